"""A note on the focused passage (`m`) or on the whole event (`e`).

The dialog sits at the bottom of the screen and is a few lines high, so that the passage being
noted (scrolled to the top of its column first) stays in view above it, at 80x24 too.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from ...safe_text import terminal_safe


class NoteScreen(ModalScreen[str | None]):
    """Returns the note's new text (empty: remove the note), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.note_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label(terminal_safe(self.note_title), classes="dialog-title", markup=False)
            yield TextArea(self.text, id="note-text", soft_wrap=True)
            with Horizontal(classes="note-keys"):
                yield Label("Ctrl+S save · Esc cancel · empty removes", classes="dim")
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
