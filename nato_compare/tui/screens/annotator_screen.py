"""Asks who is annotating, once: the name is remembered in the database's settings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Function
from textual.widgets import Input, Label

MAX_NAME = 64


class AnnotatorScreen(ModalScreen[str]):
    def compose(self) -> ComposeResult:
        with Vertical(id="annotator-dialog", classes="dialog"):
            yield Label("Who is annotating?", classes="dialog-title")
            yield Label(
                "Your labels are stored under this name; others' labels stay hidden "
                "(blind coding). Asked once: it is remembered for this database."
            )
            yield Input(
                placeholder="your name, e.g. alice",
                id="annotator-name",
                validators=[
                    Function(
                        lambda v: 0 < len(v.strip()) <= MAX_NAME, f"1 to {MAX_NAME} characters"
                    )
                ],
            )
            yield Label("", id="annotator-error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name or len(name) > MAX_NAME:
            self.query_one("#annotator-error", Label).update(
                f"Type a name (1 to {MAX_NAME} characters)."
            )
            return
        self.dismiss(name)
