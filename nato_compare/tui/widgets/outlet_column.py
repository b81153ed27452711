"""One outlet's passages of an event, in a scrolling column: outlet and title on top,
each passage highlighted (shared words / own words / amounts; see ``highlight``) with the
annotator's labels.

A column is ONE line-API widget, not a widget per passage: the passages are wrapped
into lines once per event (and per width), and only the lines on screen are ever
painted. A widget per passage made every key press pay for laying out and painting
dozens of widgets, several times the 50 ms a key press may take.
"""

from __future__ import annotations

from dataclasses import dataclass
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

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


@dataclass(eq=False)
class PassageRef:
    """A passage as shown in a column (row ``row`` of ``column``); what the focus is on."""

    column: "OutletColumn"
    row: int
    passage: EventPassage
    labels: PassageLabels | None

    @property
    def annotated(self) -> bool:
        return bool(self.labels and self.labels.annotated)

    @property
    def span(self) -> tuple[int, int]:
        """First line and the line after the last, in the column's scrolling coordinates."""
        return self.column.passage_span(self.row)

    @property
    def height(self) -> int:
        top, bottom = self.span
        return bottom - top

    def set_labels(self, labels: PassageLabels) -> None:
        self.labels = labels
        self.column.labels_changed(self.row)

    def shown_text(self) -> str:
        """The plain text the column shows for this passage (before wrapping)."""
        return self.column.passage_content(self.row).plain


class OutletColumn(ScrollView, can_focus=True, inherit_bindings=False):
    """All passages one outlet column contributes to the event (keys are the screen's).

    The column has the focus when one of its passages has: ``cursor`` is that passage."""

    COMPONENT_CLASSES = {"outlet-column--mark", "outlet-column--mark-annotated",
                         "outlet-column--mark-focused", "outlet-column--focused"}
    DEFAULT_CSS = """
    OutletColumn { overflow-x: hidden; scrollbar-gutter: stable; }
    OutletColumn > .outlet-column--mark { color: $panel-lighten-2; }
    OutletColumn > .outlet-column--mark-annotated { color: $success; }
    OutletColumn > .outlet-column--mark-focused { color: $accent; }
    OutletColumn > .outlet-column--focused { background: $boost; }
    """

    @dataclass
    class PassageClicked(Message):
        column: "OutletColumn"
        row: int

    def __init__(self, codebook: Codebook | None = None) -> None:
        super().__init__(classes="outlet-column")
        self.codebook = codebook
        self.key = ""
        self.refs: list[PassageRef] = []
        self.cursor = 0
        self._bodies: list[Content] = []
        self._titles = Text()
        self._width = 0  # the text width the lines were wrapped at
        #: (passage row or -1 for the titles, the line's cells without the column's style)
        self._lines: list[tuple[int, Strip]] = []
        self._spans: list[tuple[int, int]] = []
        #: Finished lines by (line, focused): painting a line is then a look-up.
        self._painted: dict[tuple[int, bool], Strip] = {}
        self._base: RichStyle | None = None  # the column's own style, looked up once

    # --- content -----------------------------------------------------------------

    def show(self, key: str, passages: list[EventPassage], bodies: dict[str, Content],
             labels: dict[str, PassageLabels], width: int) -> None:
        """Show an event's passages of this column; ``width`` is the column's outer width."""
        self.key = key
        self.border_title = passages[0].outlet
        titles = Text()
        for passage in {p.article_id: p for p in reversed(passages)}.values():
            if titles:
                titles.append("\n")
            titles.append(passage.title or passage.article_id, style="bold italic")
            if passage.date:
                titles.append(f"  {passage.date}", style="dim")
        self._titles = titles
        self.refs = [PassageRef(self, row, p, labels.get(p.id)) for row, p in enumerate(passages)]
        self._bodies = [bodies[p.id] for p in passages]
        self.cursor = 0
        # border (2) and the scrollbar's gutter (1)
        self._wrap(max(1, width - 3))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def passage_content(self, row: int) -> Content:
        ref = self.refs[row]
        return self._bodies[row] + "\n" + Content.from_rich_text(labels_line(ref.labels, self.codebook))

    def passage_span(self, row: int) -> tuple[int, int]:
        return self._spans[row]

    def labels_changed(self, row: int) -> None:
        self._wrap(self._width + 3, force=True)
        self.refresh()

    def _wrap(self, content_width: int, force: bool = False) -> None:
        """Wrap the titles and passages into lines for a content width (the text has a cell
        of padding on each side and the passage mark on the left)."""
        text_width = max(1, content_width - 3)
        if text_width == self._width and not force:
            return
        self._width = text_width
        plain = Style()
        lines: list[tuple[int, Strip]] = []
        pad = Segment(" ")
        title = Content.from_rich_text(self._titles)
        for strip in Visual.to_strips(self, title, text_width + 1, None, plain):
            lines.append((-1, Strip([pad, *strip])))
        lines.append((-1, Strip([])))
        spans = []
        for row in range(len(self.refs)):
            top = len(lines)
            for strip in Visual.to_strips(self, self.passage_content(row), text_width, None, plain):
                lines.append((row, Strip([pad, *strip])))
            spans.append((top, len(lines)))
            lines.append((-1, Strip([])))
        self._lines, self._spans = lines, spans
        self._painted.clear()
        self.virtual_size = Size(content_width, len(lines))

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width and width - 3 != self._width:
            self._wrap(width)
            self.refresh()

    # --- focus ---------------------------------------------------------------------

    def set_cursor(self, row: int) -> None:
        if row != self.cursor:
            self._refresh_passage(self.cursor)
            self.cursor = row
            self._refresh_passage(row)

    def _refresh_passage(self, row: int) -> None:
        if 0 <= row < len(self._spans):
            top, bottom = self._spans[row]
            self.refresh_lines(top, bottom - top)

    def on_focus(self) -> None:
        self._refresh_passage(self.cursor)

    def on_blur(self) -> None:
        self._refresh_passage(self.cursor)

    def scroll_to_passage(self, row: int) -> None:
        """Scroll as little as needed to show the passage; its top if it is taller than the view."""
        top, bottom = self._spans[row]
        seen = self.scrollable_content_region.height
        if bottom > self.scroll_y + seen:
            self.scroll_to(y=min(top, bottom - seen), animate=False, immediate=True)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        y = offset.y + self.scroll_offset.y
        if 0 <= y < len(self._lines) and self._lines[y][0] >= 0:
            self.post_message(OutletColumn.PassageClicked(self, self._lines[y][0]))

    # --- rendering -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        if index >= len(self._lines):
            return Strip.blank(self.scrollable_content_region.width, self._base_style())
        row = self._lines[index][0]
        focused = row >= 0 and row == self.cursor and self.has_focus
        strip = self._painted.get((index, focused))
        if strip is None:
            strip = self._painted[index, focused] = self._paint(index, focused)
        return strip

    def _base_style(self) -> RichStyle:
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _paint(self, index: int, focused: bool) -> Strip:
        width = self._width + 3
        base = self._base_style()
        row, strip = self._lines[index]
        if row < 0:
            return strip.apply_style(base).crop_extend(0, width, base)
        if focused:
            base = base + self.get_component_rich_style("outlet-column--focused", partial=True)
            mark_name, mark = "outlet-column--mark-focused", "█"
        elif self.refs[row].annotated:
            mark_name, mark = "outlet-column--mark-annotated", "▌"
        else:
            mark_name, mark = "outlet-column--mark", "▌"
        mark_style = base + RichStyle(color=self.get_component_rich_style(mark_name, partial=True).color)
        return Strip([Segment(mark, mark_style), *strip.apply_style(base)]).crop_extend(0, width, base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._painted.clear()
        self.refresh()
