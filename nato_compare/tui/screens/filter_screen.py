"""`f` filter and `/` search: which events the list shows.

By keyboard: Tab walks the fields; Enter in the search box or Ctrl+S anywhere applies; Esc
closes an open drop-down first and cancels only from the dialog itself (an Esc meant for a
drop-down never throws away the choices made).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ...codebook import Codebook
from ...store.worklist import ANNOTATED, UNANNOTATED, EventFilter


class FilterScreen(ModalScreen[EventFilter | None]):
    """Returns the new filter (an empty one clears it), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filter.apply"),
    ]

    def __init__(
        self,
        current: EventFilter,
        outlets: list[str],
        codebook: Codebook,
        search_first: bool = False,
    ) -> None:
        super().__init__()
        self.current = current
        self.outlets = outlets
        self.codebook = codebook
        self.search_first = search_first

    def compose(self) -> ComposeResult:
        labels = [
            (f"{dim.title}: {label.name}", f"{dim.name}\x1f{label.name}")
            for dim in self.codebook.dimensions
            for label in dim.labels
        ]
        current_label = "\x1f".join(self.current.label) if self.current.label else Select.NULL
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Label("Show events …", classes="dialog-title")
            yield Label("whose passages contain (search):")
            yield Input(
                self.current.text or "", placeholder="words, e.g. 40 billion", id="filter-text"
            )
            yield Label("reported by outlet:")
            yield Select(
                [(o, o) for o in self.outlets],
                value=self.current.outlet or Select.NULL,
                prompt="any outlet",
                id="filter-outlet",
            )
            yield Label("where I gave the label:")
            yield Select(labels, value=current_label, prompt="any label", id="filter-label")
            yield Label("that I have annotated:")
            yield Select(
                [("completely", ANNOTATED), ("not completely", UNANNOTATED)],
                value=self.current.status or Select.NULL,
                prompt="either",
                id="filter-status",
            )
            yield Label("Enter (in the search box) or Ctrl+S applies · Esc cancels", classes="dim")
            with Horizontal(classes="buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        (
            self.query_one("#filter-text")
            if self.search_first
            else self.query_one("#filter-outlet")
        ).focus()

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def chosen(self) -> EventFilter:
        label = self._value("#filter-label")
        return EventFilter(
            outlet=self._value("#filter-outlet"),
            label=label_pair(label) if label else None,
            status=self._value("#filter-status"),
            text=self.query_one("#filter-text", Input).value.strip() or None,
        )

    def on_input_submitted(self) -> None:
        self.dismiss(self.chosen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.dismiss(self.chosen())
        elif event.button.id == "clear":
            self.dismiss(EventFilter())
        else:
            self.dismiss(None)

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        for select in self.query(Select):
            if select.expanded:
                select.expanded = False
                select.focus()
                return
        self.dismiss(None)


def label_pair(value: str) -> tuple[str, str]:
    """(dimension, label) from the label filter's option value."""
    dimension, _, label = value.partition("\x1f")
    return dimension, label
