"""What the event screen's mixins (annotating, reviewing) use of the screen they are part of,
declared once for the type checker: they are split off :class:`~.event_screen.EventScreen`
so that each file stays readable, and share its state."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from ...codebook import Codebook
from ...store.worklist import EventFilter, EventSummary
from .. import data
from ..layout.read_ahead import ReadAhead

if TYPE_CHECKING:
    from ..app import AnnotateApp
    from ..widgets.event_list import EventList
    from ..widgets.outlet_column import OutletColumn, PassageRef


class EventScreenParts(Screen[None]):
    codebook: Codebook
    view: data.EventView | None
    grid: list[list[PassageRef]]
    show_all: bool
    read_ahead: ReadAhead[data.EventView]
    events: list[EventSummary]
    event_index: dict[str, int]
    wanted_event: str | None
    stay_on: str | None
    filter: EventFilter
    column: int
    row: int
    column_pool: list[OutletColumn]

    if TYPE_CHECKING:
        app: AnnotateApp  # Textual types it App[object]

        @property
        def annotator(self) -> str: ...

        @property
        def event_list(self) -> EventList: ...

        @property
        def focused_passage(self) -> PassageRef | None: ...

        def open_event(self, event_id: str, focus_passage: str | None = None) -> None: ...

        def load_events(self) -> Any: ...

        def _update_header(self) -> None: ...

        def _focus_passage_id(self, passage_id: str) -> bool: ...

        def _after_focus(self) -> None: ...

        def _focus_cell(self, column: int, row: int) -> None: ...

        def _show_column(self, index: int) -> None: ...

        def _columns_resized(self) -> None: ...

        def _size_columns(self) -> int: ...

        def _write(self, verb: str, fn: Callable[..., Any], *args: Any) -> None: ...

        def _review_changed(self, change: Any, verb: str) -> None: ...
