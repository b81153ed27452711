"""The event view: the event list, the selected event's passages side by side, label keys.

All database work goes through the app's database thread in workers that post
messages back; the handlers only touch widgets. Writes are queued on the
database thread in the handler itself, so they happen in key-press order.
"""

from __future__ import annotations

import asyncio
import gc

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, HorizontalScroll, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from ...codebook import Codebook
from ...safe_text import safe_markup
from ...store.worklist import EventFilter, EventSummary
from .. import data
from ..bindings import COMMAND_BINDINGS, label_bindings
from ..layout.read_ahead import ReadAhead
from ..messages import EventLoaded, EventsLoaded
from ..widgets.event_list import EventList
from ..widgets.evidence import EvidenceBar
from ..widgets.footer import StableFooter
from ..widgets.label_bar import AdjudicationPanel, DefinitionLine, LabelBar
from ..widgets.outlet_column import OutletColumn, PassageRef
from .annotating import AnnotatingMixin
from .annotator_screen import AnnotatorScreen
from .filter_screen import FilterScreen
from .help_screen import HelpScreen
from .navigation import FIRST_UNANNOTATED, NavigationMixin
from .pane import PaneMixin
from .review import ReviewMixin


class EventScreen(PaneMixin, NavigationMixin, ReviewMixin, AnnotatingMixin, Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    @classmethod
    def for_codebook(cls, codebook: Codebook) -> EventScreen:
        """The screen with the command keys and the codebook's label keys. Textual reads
        BINDINGS per class, and the label keys come from the codebook, so the class is made here."""
        bindings = COMMAND_BINDINGS + label_bindings(codebook)
        return type(cls.__name__, (cls,), {"BINDINGS": bindings})(codebook)

    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.codebook = codebook
        self.events: list[EventSummary] = []
        self.event_index: dict[str, int] = {}
        self.view: data.EventView | None = None
        self.wanted_event: str | None = None
        self.grid: list[list[PassageRef]] = []
        self.column = 0
        self.row = 0
        self.filter = EventFilter()
        self.outlets: list[str] = []
        self.show_all = False
        # One column from the start: its colours let the database thread paint columns.
        self.column_pool: list[OutletColumn] = [OutletColumn(codebook)]
        self.column_pool[0].display = False
        self._header_lines = -1
        self.read_ahead: ReadAhead[data.EventView] = ReadAhead()
        self._prefetch_after_paint = False
        self._list_after_paint = False  # the event list waits for the first event's paint
        self._reopen = False  # the filter changed: show the event again (search words marked)
        self.stay_on: str | None = None  # a new event: shown even if the filter leaves it out

    # --- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="◧")
        with Horizontal(id="main"):
            yield EventList(id="events")
            with Vertical(id="event-pane"):
                yield Static("Opening the database …", id="event-header")
                with HorizontalScroll(id="columns", can_focus=False):
                    yield from self.column_pool
                yield EvidenceBar(id="evidence")
                yield AdjudicationPanel(self.codebook, id="adjudication", classes="hidden")
        yield LabelBar(self.codebook, id="label-bar")
        yield DefinitionLine(self.codebook, id="definition")
        yield StableFooter()

    @property
    def event_list(self) -> EventList:
        return self.query_one(EventList)

    @property
    def annotator(self) -> str:
        annotator = self.app.annotator
        if annotator is None:  # the screen asks for a name before anything needs it
            raise RuntimeError("no annotator chosen yet")
        return annotator

    def on_mount(self) -> None:
        self.start()

    def on_unmount(self) -> None:
        # Where the annotator stopped, for the next start (queued before the database closes).
        if self.view is not None and self.app.annotator:
            self.app.db.submit(data.remember_position_if_free, self.annotator, self.view.summary.id)

    @work(group="startup", exit_on_error=False)
    async def start(self) -> None:
        # Read on the database thread since the app was made (see AnnotateApp).
        opening: data.Opening = await asyncio.wrap_future(self.app.opening)
        if opening.annotator is None:
            self.app.push_screen(AnnotatorScreen(), self._annotator_chosen)
            return
        self.app.annotator = opening.annotator
        self._set_sub_title()
        if opening.view is not None and opening.event_id is not None:  # read: shown as read ahead
            self.read_ahead.store(opening.event_id, opening.view, self.read_ahead.generation)
        self._show_first(opening.event_id)

    def _annotator_chosen(self, name: str | None) -> None:
        if not name:
            self.app.exit(message="no annotator name given")
            return
        self.app.annotator = name
        self.app.db.submit(data.remember_annotator_if_free, name)
        if self.app.adjudicator:
            self.app.db.submit_write(data.log_adjudicator, name)
        self._annotator_ready()

    def _set_sub_title(self) -> None:
        role = " · adjudicator (not blind)" if self.app.adjudicator else ""
        self.app.sub_title = f"{self.annotator}{role} · {self.app.db.path.name}"

    def _annotator_ready(self) -> None:
        self._set_sub_title()
        # Queued now, while the screen is still being laid out, not when a worker starts.
        self._open_first_event(asyncio.wrap_future(self.app.db.submit(data.first_event_id)))

    @work(group="first", exit_on_error=False)
    async def _open_first_event(self, first_event_id: asyncio.Future) -> None:
        self._show_first(await first_event_id)

    def _show_first(self, event_id: str | None) -> None:
        """Show the first event at once; the list (every event's progress) takes longer, and
        is read once the first event is painted (or now, if there is nothing to paint)."""
        if event_id is not None and self.wanted_event is None:
            self._list_after_paint = True
            self.open_event(event_id)
        else:
            self.load_events()

    def _load_list_if_waiting(self) -> None:
        if self._list_after_paint:
            self._list_after_paint = False
            self.load_events()

    def on_worker_state_changed(self, event) -> None:
        self.app.report_worker_error(event)

    # --- loading -------------------------------------------------------------

    @work(group="events", exclusive=True, exit_on_error=False)
    async def load_events(self) -> None:
        events, total = await self.app.db.call(
            data.load_events, self.annotator, self.filter, self.codebook.required
        )
        outlets = self.outlets or await self.app.db.call(data.outlets)
        self.post_message(EventsLoaded(events, total, outlets))

    def on_events_loaded(self, message: EventsLoaded) -> None:
        self.events = message.events
        self.outlets = message.outlets
        self.event_index = {e.id: i for i, e in enumerate(self.events)}
        self.event_list.border_subtitle = (
            f"{len(self.events)} of {message.total} · {safe_markup(self.filter.describe())}"
            if self.filter.active
            else f"{message.total}"
        )
        current = self.wanted_event
        stay_on, self.stay_on = self.stay_on, None
        if current not in self.event_index and not (current and current == stay_on):
            current = self.events[0].id if self.events else None
        self.event_list.show_events(self.events, current)
        self._update_header()  # "n/total": the total is known now
        # Long-lived objects (thousands of events, the widgets) need no more cyclic-GC scans:
        # a full collection over them would stall a key press by 100 ms and more.
        gc.freeze()
        if not self.events and current is None:
            self._show_empty(message.total)
        elif current is not None and (current != self.wanted_event or self._reopen):
            self._reopen = False
            self.open_event(current, self._focused_passage_id(current))
        else:
            self.call_after_refresh(self._prefetch_neighbours)

    def _show_empty(self, total: int) -> None:
        self.view = None
        self.grid = []
        for column in self.column_pool:
            column.display = False
        if total == 0:
            text = (
                f"No events in {self.app.db.path.name} yet: run "
                f"'nato-compare align --db {self.app.db.path}' to find the events the outlets "
                "share, then open this again."
            )
        else:
            text = f"No event matches the filter ({self.filter.describe()}): press f to change it."
        self.query_one("#event-header", Static).update(Text(text, style="bold"))
        self._header_lines = -1

    def open_event(self, event_id: str, focus_passage: str | None = None) -> None:
        self.wanted_event = event_id
        self._keep_for_return()
        # The list's cursor moves when the event is on screen, in the same repaint.
        prefetched = self.read_ahead.get(event_id)
        if prefetched is not None:
            self.post_message(EventLoaded(prefetched, event_id, focus_passage))
        else:
            # Queued now, not when the worker starts: before whatever is asked next.
            self._load_event(
                self._read_event(event_id), event_id, focus_passage, self.read_ahead.generation
            )

    def _keep_for_return(self) -> None:
        """Keep the event on screen for moving back to it without reading it again (its
        neighbour is read ahead otherwise: twice the work for each key held down)."""
        if self.view is not None:
            self.read_ahead.keep_for_return(self.view.summary.id, self.view)

    def _prefetch_neighbours(self) -> None:
        """Read the events before and after this one in the background, so that moving there
        only has to show them."""
        if self.view is None:
            return
        current = self.view.summary.id
        index = self.event_index.get(current)
        if index is None:
            return
        wanted = self.read_ahead.to_read([e.id for e in self.events], index)
        if wanted:
            self._prefetch(wanted, self.read_ahead.generation)

    def _column_layout(self) -> data.ColumnLayout | None:
        """The columns' shared width and colours, for the database thread to lay columns out."""
        width = self.query_one("#columns", HorizontalScroll).size.width
        if not width or not self.column_pool:
            return None
        return data.ColumnLayout(width, self.column_pool[0].look())

    def _read_event(self, event_id: str) -> asyncio.Future:
        """Queue the reading of an event on the database thread; await the result."""
        return asyncio.wrap_future(
            self.app.db.submit(
                data.load_event,
                self.annotator,
                event_id,
                self._column_layout(),
                self.codebook,
                self.filter.text,
            )
        )

    @work(group="prefetch", exclusive=True, exit_on_error=False)
    async def _prefetch(self, event_ids: list[str], generation: int) -> None:
        for event_id in event_ids:
            view = await self._read_event(event_id)
            if view is None or not self.read_ahead.store(event_id, view, generation):
                return

    @work(group="event", exclusive=True, exit_on_error=False)
    async def _load_event(
        self, reading: asyncio.Future, event_id: str, focus_passage: str | None, generation: int
    ) -> None:
        view = await reading
        if view is not None:
            view.generation = generation
        self.post_message(EventLoaded(view, event_id, focus_passage))

    async def on_event_loaded(self, message: EventLoaded) -> None:
        if message.event_id != self.wanted_event:
            return  # the annotator has moved on since
        view = message.view
        if view is None:
            self.notify(
                f"event {message.event_id} is gone: run the alignment again?", severity="error"
            )
            self._load_list_if_waiting()
            return
        if self.show_all and (self.view is None or self.view.summary.id != view.summary.id):
            self.close_all_annotators()  # a new event: its passages are coded blind again
        self.view = view
        container = self.query_one("#columns", HorizontalScroll)
        with self.app.batch_update():
            missing = len(view.columns) - len(self.column_pool)
            if missing > 0:
                new = [OutletColumn(self.codebook) for _ in range(missing)]
                self.column_pool.extend(new)
                await container.mount_all(new)
            columns = self.column_pool[: len(view.columns)]
            for column in columns:
                column.display = True
            for column in self.column_pool[len(view.columns) :]:
                column.display = False
            width = self._size_columns()
            for column, (key, passages) in zip(columns, view.columns):
                column.show(key, passages, view.bodies, view.labels, width, view.prepared.get(key))
            container.scroll_to(0, 0, animate=False, immediate=True)
        self.grid = [c.refs for c in columns]
        self.event_list.select_event(view.summary.id)
        self._update_header()
        self.event_list.update_event(view.summary)
        self.column, self.row = 0, 0
        if message.focus_passage == FIRST_UNANNOTATED:
            flat = [v for column in self.grid for v in column]
            first = next((v for v in flat if not v.complete), flat[0] if flat else None)
            if first is not None:
                self._focus_passage_id(first.passage.id)
        elif message.focus_passage:
            self._focus_passage_id(message.focus_passage)
        else:
            self._focus_cell(0, 0)
        # Once the event is painted, so that reading ahead (on the database thread, which
        # shares the interpreter with the screen) does not slow the painting down.
        self._prefetch_after_paint = True
        self._review_event_shown()

    def on_outlet_column_painted(self) -> None:
        self._load_list_if_waiting()  # the list then reads ahead when it is shown
        if self._prefetch_after_paint:
            self._prefetch_after_paint = False
            self._prefetch_neighbours()

    # --- focus ----------------------------------------------------------------

    def _focused_passage_id(self, event_id: str | None) -> str | None:
        """The focused passage, if it is of ``event_id`` (to keep it when reopening)."""
        passage = self.focused_passage
        if passage is None or self.view is None or self.view.summary.id != event_id:
            return None
        return passage.passage.id

    def _after_focus(self) -> None:
        passage = self.focused_passage
        self._show_review()
        self.query_one(LabelBar).show_labels(passage.labels if passage else None)
        self.query_one(DefinitionLine).show_passage(
            passage.passage.id if passage else None, passage.labels if passage else None
        )
        if self.show_all and passage is not None:
            self._load_adjudication(passage.passage.id)

    # --- filters and help ----------------------------------------------------------

    def _open_filter(self, search_first: bool) -> None:
        def apply(flt: EventFilter | None) -> None:
            if flt is not None and flt != self.filter:
                self.filter = flt
                self.read_ahead.written()  # read again: the search words are marked
                self._reopen = True
                self.load_events()

        self.app.push_screen(
            FilterScreen(self.filter, self.outlets, self.codebook, search_first), apply
        )

    def action_filter(self) -> None:
        self._open_filter(False)

    def action_search(self) -> None:
        self._open_filter(True)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.codebook))
