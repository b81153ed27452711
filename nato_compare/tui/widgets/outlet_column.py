"""One outlet's passages of an event, in a scrolling column: outlet and title on top,
each passage highlighted (shared words / own words / amounts) with the annotator's labels."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...store.annotations import PassageLabels
from ...store.worklist import EventPassage
from .highlight import highlight


def labels_line(labels: PassageLabels | None) -> Text:
    if labels is None or (not labels.annotated and not labels.note):
        return Text("no labels yet", style="dim italic")
    parts = []
    for dimension, names in labels.labels.items():
        if names:
            parts.append(Text.assemble((f"{dimension}: ", "dim"), (", ".join(names), "bold")))
    if labels.note:
        parts.append(Text.assemble(("note: ", "dim"), (labels.note, "italic")))
    return Text(" · ").join(parts)


class PassageView(Static, can_focus=True):
    """A passage; focus it to label it."""

    def __init__(self, passage: EventPassage, shared: set[str], compare: bool,
                 labels: PassageLabels | None) -> None:
        super().__init__(classes="passage")
        self.passage = passage
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
        self.update(Group(self._body, Text(), labels_line(self.labels)))


class OutletColumn(VerticalScroll, can_focus=False):
    """All passages one outlet column contributes to the event."""

    def __init__(self, key: str, passages: list[EventPassage], shared: set[str], compare: bool,
                 labels: dict[str, PassageLabels]) -> None:
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
            view = PassageView(passage, shared, compare, labels.get(passage.id))
            self.passage_views.append(view)
            self._parts.append(view)

    def compose(self):
        yield from self._parts
