"""The list of events, each with the annotator's progress (annotated passages / all)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...store.worklist import EventSummary


def event_prompt(event: EventSummary) -> Text:
    if event.total and event.done == event.total:
        mark, style = "✓", "bold green"
    elif event.done:
        mark, style = "◐", "yellow"
    else:
        mark, style = "·", "dim"
    return Text.assemble(
        (f"{mark} {event.done}/{event.total} ", style),
        (f"{event.seq}. ", "dim"),
        event.label,
        no_wrap=True,
        overflow="ellipsis",
    )


class EventList(OptionList):
    """Events in order; the highlighted one is the event shown beside the list."""

    BORDER_TITLE = "Events"

    def show_events(self, events: list[EventSummary], current_id: str | None) -> None:
        self.set_options(Option(event_prompt(e), id=e.id) for e in events)
        self.select_event(current_id)

    def select_event(self, event_id: str | None) -> None:
        if event_id is None or self.option_count == 0:
            return
        try:
            index = self.get_option_index(event_id)
        except Exception:  # the event is not in the (filtered) list
            return
        if self.highlighted != index:
            with self.prevent(OptionList.OptionHighlighted):
                self.highlighted = index

    def update_event(self, event: EventSummary) -> None:
        try:
            self.replace_option_prompt(event.id, event_prompt(event))
        except Exception:  # not listed under the current filter
            pass
