"""The list of events, each with the annotator's progress (annotated passages / all).

A line-API widget: one line per event, and only the visible lines are ever
rendered, so 5,000 events cost no more than 50 (an ``OptionList`` re-measures
every option when one changes).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...store.worklist import EventSummary


def event_prompt(event: EventSummary) -> Text:
    """✓ every passage coded completely, ◐ some coding, · none; then complete/all passages
    and, as ◐n, the passages coded only partly (a required dimension missing)."""
    if event.total and event.done == event.total:
        mark, style = "✓", "bold green"
    elif event.done or event.partial:
        mark, style = "◐", "yellow"
    else:
        mark, style = "·", "dim"
    partial = f"◐{event.partial} " if event.partial else ""
    return Text.assemble(
        (f"{mark} {event.done}/{event.total} {partial}", style),
        (f"{event.seq}. ", "dim"),
        review_marks(event),
        event.shown_label,
    )


#: How the event list marks the annotator's verdict on an event (none: not reviewed).
VERDICT_MARKS = {
    "same_fact": ("=", "bold green"),
    "same_theme": ("≈", "yellow"),
    "unrelated": ("≠", "bold red"),
}


def review_marks(event: EventSummary) -> Text:
    """◧n: the event's outlets; then =, ≈ or ≠ once the annotator judged it same fact, same
    theme only or unrelated."""
    text = Text(f"◧{event.outlets} ", style="cyan")
    if event.verdict in VERDICT_MARKS:
        mark, style = VERDICT_MARKS[event.verdict]
        text.append(mark + " ", style=style)
    return text


class EventList(ScrollView, can_focus=True, inherit_bindings=False):
    """Events in order; the cursor is on the event shown beside the list."""

    BORDER_TITLE = "Events"
    COMPONENT_CLASSES = {"event-list--cursor"}
    DEFAULT_CSS = """
    EventList { overflow-x: hidden; }
    EventList > .event-list--cursor { background: $accent 40%; text-style: bold; }
    EventList:focus > .event-list--cursor { background: $accent; color: $text; text-style: bold; }
    """
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Previous", show=False),
        Binding("down,j", "cursor(1)", "Next", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor(-1000000)", "First", show=False),
        Binding("end", "cursor(1000000)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    # repaint=False: the watcher repaints the two lines that change, not the whole list
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    @dataclass
    class Highlighted(Message):
        """The annotator moved the cursor to an event."""

        event_id: str

    @dataclass
    class Selected(Message):
        """The annotator chose an event (Enter or a click)."""

        event_id: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.events: list[EventSummary] = []
        self._index: dict[str, int] = {}

    # --- content ---------------------------------------------------------------

    @property
    def event_ids(self) -> list[str]:
        return [e.id for e in self.events]

    def prompt_at(self, index: int) -> str:
        return event_prompt(self.events[index]).plain

    def show_events(self, events_: list[EventSummary], current_id: str | None) -> None:
        self.events = list(events_)
        self._index = {e.id: i for i, e in enumerate(self.events)}
        self.virtual_size = Size(self.size.width, len(self.events))
        self.select_event(current_id)
        self.refresh()

    def select_event(self, event_id: str | None) -> None:
        """Put the cursor on an event without announcing it (the screen already shows it)."""
        index = self._index.get(event_id or "")
        if index is not None:
            with self.prevent(EventList.Highlighted):
                self.cursor = index

    def update_event(self, event: EventSummary) -> None:
        index = self._index.get(event.id)
        if index is not None:
            self.events[index] = event
            self.refresh_line(index)  # ScrollView.refresh_line takes the line in the list

    # --- moving ------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.events) - 1)) if self.events else 0

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)
        if self.scroll_offset.y == top:  # only the two lines change
            self.refresh_line(old)
            self.refresh_line(new)
        else:
            self.refresh()
        if self.events and old != new:
            self.post_message(EventList.Highlighted(self.events[new].id))

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_select(self) -> None:
        if self.events:
            self.post_message(EventList.Selected(self.events[self.cursor].id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:  # on the border
            return
        index = offset.y + self.scroll_offset.y
        if 0 <= index < len(self.events):
            self.cursor = index
            self.post_message(EventList.Selected(self.events[index].id))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.events))

    # --- rendering -------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        base = self._base_style()
        if index >= len(self.events):
            return Strip.blank(width, base)
        text = event_prompt(self.events[index])
        text.truncate(width - 1, overflow="ellipsis")
        segments = [
            Segment(s.text, base + s.style if s.style else base)
            for s in text.render(self.app.console)
        ]
        # The event on screen is marked, whether the list has the focus or not.
        mark = "▸" if index == self.cursor else " "
        strip = Strip([Segment(mark, base), *segments]).crop_extend(0, width, base)
        if index == self.cursor:
            strip = strip.apply_style(self.get_component_rich_style("event-list--cursor"))
        return strip

    _base: Style | None = None

    def _base_style(self) -> Style:
        """The list's own style, looked up once (it walks up the DOM every time)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self.refresh()
