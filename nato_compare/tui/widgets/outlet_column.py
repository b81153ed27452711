"""One outlet's passages of an event, in a scrolling column: outlet and title on top,
each passage highlighted (shared words / own words / amounts) with the annotator's labels."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...codebook import Codebook
from ...store.annotations import PassageLabels
from ...store.worklist import EventPassage
from .highlight import highlight


def ordered_labels(labels: PassageLabels, codebook: Codebook | None) -> list[tuple[str, list[str]]]:
    """(dimension, labels) pairs in codebook order (unknown ones last), empty ones left out."""
    order: dict[str, int] = {}
    if codebook is not None:
        for d, dim in enumerate(codebook.dimensions):
            order[dim.name] = d
            for n, label in enumerate(dim.labels):
                order[f"{dim.name}\x1f{label.name}"] = n
    last = 10**6
    return [
        (dim, sorted(names, key=lambda n: order.get(f"{dim}\x1f{n}", last)))
        for dim, names in sorted(labels.labels.items(), key=lambda item: order.get(item[0], last))
        if names
    ]


def labels_line(labels: PassageLabels | None, codebook: Codebook | None = None) -> Text:
    """The annotator's labels on a passage, in codebook order, and the note."""
    if labels is None or (not labels.annotated and not labels.note):
        return Text("no labels yet", style="dim italic")
    parts = [Text.assemble((f"{dim}: ", "dim"), (", ".join(names), "bold"))
             for dim, names in ordered_labels(labels, codebook)]
    if labels.note:
        parts.append(Text.assemble(("note: ", "dim"), (labels.note, "italic")))
    return Text(" · ").join(parts)


class PassageView(Static, can_focus=True):
    """A passage; focus it to label it."""

    def __init__(self, passage: EventPassage, shared: set[str], compare: bool,
                 labels: PassageLabels | None, codebook: Codebook | None = None) -> None:
        super().__init__(classes="passage")
        self.passage = passage
        self.codebook = codebook
        self.labels = labels
        self._body = highlight(passage.text, shared, compare=compare)
        self.border_title = f"¶{passage.seq + 1}" + (" (superseded)" if passage.superseded else "")
        self._refresh_content()

    def set_labels(self, labels: PassageLabels) -> None:
        self.labels = labels
        self._refresh_content()

    @property
    def annotated(self) -> bool:
        return bool(self.labels and self.labels.annotated)

    def _refresh_content(self) -> None:
        self.set_class(self.annotated, "-annotated")
        self.border_subtitle = "✓" if self.annotated else ""
        self.update(Group(self._body, Text(), labels_line(self.labels, self.codebook)))


class OutletColumn(VerticalScroll, can_focus=False):
    """All passages one outlet column contributes to the event."""

    def __init__(self, key: str, passages: list[EventPassage], shared: set[str], compare: bool,
                 labels: dict[str, PassageLabels], codebook: Codebook | None = None) -> None:
        super().__init__(classes="outlet-column")
        self.key = key
        first = passages[0]
        self.border_title = first.outlet
        self.passage_views: list[PassageView] = []
        self._parts: list[Static] = []
        article = None
        for passage in passages:
            if passage.article_id != article:
                article = passage.article_id
                title = Text(passage.title or passage.article_id, style="bold italic")
                if passage.date:
                    title.append(f"  {passage.date}", style="dim")
                self._parts.append(Static(title, classes="article-title"))
            view = PassageView(passage, shared, compare, labels.get(passage.id), codebook)
            self.passage_views.append(view)
            self._parts.append(view)

    def compose(self):
        yield from self._parts
