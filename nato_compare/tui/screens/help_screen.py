"""`?`: every key, from the same binding list as the footer, and the codebook's labels."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...codebook import Codebook
from ..bindings import key_rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="Esc"),
    ]

    def __init__(self, codebook: Codebook) -> None:
        super().__init__()
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        keys = Table(title="Keys", expand=True, show_edge=False)
        keys.add_column("key", style="bold", no_wrap=True)
        keys.add_column("does")
        for key, does in key_rows(self.codebook):
            keys.add_row(key, does)
        labels = Table(title=f"Codebook: {self.codebook.name}", expand=True, show_edge=False)
        labels.add_column("key", style="bold", no_wrap=True)
        labels.add_column("label")
        labels.add_column("meaning")
        for dim in self.codebook.dimensions:
            kind = "several per passage" if dim.multi else "one per passage"
            target = f" toward {dim.target}" if dim.target else ""
            labels.add_section()
            labels.add_row("", f"[b]{dim.title}[/b]", f"{kind}{target}")
            for label in dim.labels:
                labels.add_row(label.key, label.name, label.description)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help — Esc to close"
            yield Static(keys)
            yield Static(labels)
            yield Static(
                "Blind coding: you see only your own labels; [b]a[/b] shows every annotator's "
                "labels for the focused passage (for adjudication). Every key press is saved at "
                "once; undo/redo survive a restart.",
                classes="help-note",
            )
