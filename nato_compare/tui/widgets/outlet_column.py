"""One outlet's passages of an event, in a scrolling column: outlet and title on top,
each passage highlighted (shared words / own words / amounts; see ``highlight``) with the
annotator's labels.

Columns and passage widgets are reused from event to event (only their content
changes), because mounting fresh widgets costs more than the 50 ms a key press may take.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...codebook import Codebook
from ...store.annotations import PassageLabels
from ...store.worklist import EventPassage


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
    parts = [Text("✓", style="bold green")] if labels.annotated else []
    parts += [Text.assemble((f"{dim}: ", "dim"), (", ".join(names), "bold"))
             for dim, names in ordered_labels(labels, codebook)]
    if labels.note:
        parts.append(Text.assemble(("note: ", "dim"), (labels.note, "italic")))
    return Text(" · ").join(parts)


class PassageView(Static, can_focus=True):
    """A passage; focus it to label it."""

    def __init__(self, codebook: Codebook | None = None) -> None:
        super().__init__(classes="passage")
        self.codebook = codebook
        self.passage: EventPassage | None = None
        self.labels: PassageLabels | None = None
        self._body = Content()

    def show(self, passage: EventPassage, body: Content, labels: PassageLabels | None) -> None:
        """Show a passage: ``body`` is its highlighted text (see ``tui.data.load_event``)."""
        self.passage = passage
        self.labels = labels
        self._body = body
        self._refresh_content()

    def set_labels(self, labels: PassageLabels) -> None:
        self.labels = labels
        self._refresh_content()

    @property
    def annotated(self) -> bool:
        return bool(self.labels and self.labels.annotated)

    def _refresh_content(self) -> None:
        self.set_class(self.annotated, "-annotated")
        # Textual Content (not rich renderables): Textual wraps and renders it natively, which
        # is several times cheaper for long, densely highlighted passages.
        self.update(self._body + "\n" + Content.from_rich_text(labels_line(self.labels, self.codebook)))


class OutletColumn(VerticalScroll, can_focus=False, inherit_bindings=False):
    """All passages one outlet column contributes to the event (keys are the screen's)."""

    def __init__(self, codebook: Codebook | None = None) -> None:
        super().__init__(classes="outlet-column")
        self.codebook = codebook
        self.key = ""
        self.header = Static(classes="article-title")
        self.pool: list[PassageView] = []
        self.shown = 0

    def compose(self):
        yield self.header

    @property
    def passage_views(self) -> list[PassageView]:
        return self.pool[: self.shown]

    async def show(self, key: str, passages: list[EventPassage], bodies: dict[str, Content],
                   labels: dict[str, PassageLabels]) -> None:
        self.key = key
        self.border_title = passages[0].outlet
        titles = Text()
        for passage in {p.article_id: p for p in reversed(passages)}.values():
            if titles:
                titles.append("\n")
            titles.append(passage.title or passage.article_id, style="bold italic")
            if passage.date:
                titles.append(f"  {passage.date}", style="dim")
        self.header.update(titles)
        missing = len(passages) - len(self.pool)
        if missing > 0:
            new = [PassageView(self.codebook) for _ in range(missing)]
            self.pool.extend(new)
            await self.mount_all(new)
        for view, passage in zip(self.pool, passages):
            view.show(passage, bodies[passage.id], labels.get(passage.id))
            view.display = True
        for view in self.pool[len(passages):]:
            view.display = False
        self.shown = len(passages)
        self.scroll_to(0, 0, animate=False, immediate=True)
