"""The codebook's keys above the footer, with the focused passage's labels lit up."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...codebook import Codebook
from ...store.annotations import PassageLabels
from ..layout.lines import ordered_labels


class LabelBar(Static):
    def __init__(self, codebook: Codebook, **kwargs) -> None:
        super().__init__(**kwargs)
        self.codebook = codebook
        self.labels: PassageLabels | None = None
        self.short = False
        self._lines = 0
        self._width = 0
        self._shown: tuple | None = None  # what the bar shows now: unchanged, it is not redrawn

    def on_mount(self) -> None:
        self.show_labels(None)

    def refresh_layout_for(self, width: int) -> None:
        """Use each label's first word when the full names would take more than two lines."""
        if max(1, width - 2) == self._width:
            return
        full = sum(
            len(dim.title) + 4 + sum(len(label.name) + 5 for label in dim.labels)
            for dim in self.codebook.dimensions
        )
        self._width = max(1, width - 2)  # the bar's padding is one cell on each side
        self.short = full > 2 * self._width
        self.show_labels(self.labels)

    def _display_name(self, name: str, on: bool) -> str:
        if self.short and not on:
            return name.split()[0].rstrip(",")
        return name

    def show_labels(self, labels: PassageLabels | None) -> None:
        self.labels = labels
        wide = not self.short or self.size.width >= 120
        given_labels = (
            {(dim, label) for dim, names in labels.labels.items() for label in names}
            if labels
            else set()
        )
        shown = (frozenset(given_labels), self.short, wide, self._width)
        if shown == self._shown:
            return  # moving between passages with the same labels repaints nothing
        self._shown = shown
        text = Text()
        for dim in self.codebook.dimensions:
            given = {label for d, label in given_labels if d == dim.name}
            heading = dim.title + (f" → {dim.target}" if dim.target and wide else "")
            text.append(f"{heading}: ", style="bold")
            for label in dim.labels:
                on = label.name in given
                text.append(
                    f" {label.key} ", style="reverse bold" if not on else "bold black on green"
                )
                text.append(
                    f"{self._display_name(label.name, on)}{' ✓' if on else ''}",
                    style="bold green" if on else "",
                )
                text.append("  ")
            text.append("\n" if not self.short else "  ")
        text.rstrip()
        # The bar's height is set from the wrapped text, so that lighting up a label (the same
        # number of lines) repaints the bar alone instead of laying out the whole screen.
        width = self._width or self.content_region.width or max(1, self.app.size.width - 2)
        lines = max(1, len(text.wrap(self.app.console, width)))
        if lines != self._lines:
            self._lines = lines
            self.styles.height = lines
        self.update(text, layout=False)


class AdjudicationPanel(Static):
    """Every annotator's labels for the focused passage (hidden unless asked for)."""

    def __init__(self, codebook: Codebook, **kwargs) -> None:
        super().__init__(**kwargs)
        self.codebook = codebook

    def show_annotators(self, passage_label: str, by_annotator: dict[str, PassageLabels]) -> None:
        text = Text(f"All annotators on {passage_label}:", style="bold")
        if not by_annotator:
            text.append("  nobody has labelled this passage yet", style="dim")
        for name, labels in by_annotator.items():
            text.append(f"\n  {name}: ", style="bold")
            parts = [f"{dim}={', '.join(v)}" for dim, v in ordered_labels(labels, self.codebook)]
            if labels.note:
                parts.append(f'note "{labels.note}"')
            text.append("; ".join(parts) or "—")
        self.update(text)

    def show_refusal(self, passage_label: str, why: str) -> None:
        text = Text(f"All annotators on {passage_label}: ", style="bold")
        text.append(why, style="italic")
        self.update(text)


class DefinitionLine(Static):
    """The codebook at hand: the stance target, and the definition of the focused label (the
    label just given, else the focused passage's first label)."""

    def __init__(self, codebook: Codebook, **kwargs) -> None:
        super().__init__(**kwargs)
        self.codebook = codebook
        self._shown: tuple | None = None
        self._pinned_on: str | None = None  # the passage whose label was just given

    def label_given(self, passage_id: str, dimension: str, label: str) -> None:
        """A label key was pressed: its definition stays while the focus stays."""
        self._pinned_on = passage_id
        self.show_label(dimension, label)

    def show_label(self, dimension: str | None, label: str | None) -> None:
        if (dimension, label) == self._shown:
            return
        self._shown = (dimension, label)
        text = Text(no_wrap=True, overflow="ellipsis")
        for dim in self.codebook.dimensions:
            if dim.target:
                text.append(f"{dim.title} → ", style="bold")
                text.append(dim.target, style="italic")
                text.append("  ")
        if dimension is not None and label is not None:
            try:
                given = self.codebook.dimension(dimension).label(label)
            except KeyError:
                given = None
            if given is not None:
                text.append(f"{given.key} {given.name}: ", style="bold")
                text.append(given.description or "(no definition in the codebook)")
        else:
            text.append("? shows every label's definition", style="dim")
        self.update(text)

    def show_passage(self, passage_id: str | None, labels: PassageLabels | None) -> None:
        """The focused passage's first label in codebook order, or none."""
        if passage_id is not None and passage_id == self._pinned_on:
            return
        self._pinned_on = None
        for dim, names in ordered_labels(labels, self.codebook) if labels else []:
            self.show_label(dim, names[0])
            return
        self.show_label(None, None)
