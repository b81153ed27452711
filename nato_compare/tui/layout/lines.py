"""Outlet columns as lines: an event's passages wrapped and painted for a column of a given
width, away from any widget (the database thread prepares columns with it, and unit tests
reach it without an app).

A column is ONE line-API widget (``widgets.outlet_column``), not a widget per passage: the
passages are wrapped into lines here, once per event (and per width), and the widget paints
only the lines on screen. It uses Textual's text primitives (``Content``, ``Strip``), no widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions

from ...codebook import Codebook
from ...safe_text import terminal_safe
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
    """The annotator's labels on a passage, in codebook order, and the note; ✓ when coded
    completely, or what is still missing."""
    if labels is None or (not labels.annotated and not labels.note):
        return Text("no labels yet", style="dim italic")
    required = codebook.required if codebook is not None else ()
    parts = []
    if labels.complete(required):
        parts.append(Text("✓", style="bold green"))
    elif labels.annotated:
        parts.append(Text(f"◐ needs {', '.join(labels.missing(required))}", style="bold yellow"))
    parts += [
        Text.assemble((f"{dim}: ", "dim"), (", ".join(names), "bold"))
        for dim, names in ordered_labels(labels, codebook)
    ]
    if labels.note:
        parts.append(Text.assemble(("note: ", "dim"), (labels.note, "italic")))
    return Text(" · ").join(parts)


#: Outlet columns are never narrower than this; more columns than fit scroll sideways.
COLUMN_MIN_WIDTH = 38


def column_width(available: int, columns: int) -> int:
    """The width of each of ``columns`` outlet columns sharing ``available`` cells."""
    fitting = max(1, available // COLUMN_MIN_WIDTH)
    return max(1, available // max(1, min(fitting, columns)))


def text_width(width: int) -> int:
    """The passage text's width in a column ``width`` wide: border (2), scroll indicator (1),
    passage mark (1), padding (2)."""
    return max(1, width - 6)


@dataclass(frozen=True)
class ColumnLook:
    """The resolved styles a column paints with (theme colours), so that lines can be
    prepared away from the widget (on the database thread)."""

    base: RichStyle
    mark: RichStyle
    mark_annotated: RichStyle
    mark_focused: RichStyle
    focused: RichStyle
    track: RichStyle
    thumb: RichStyle


@dataclass
class ColumnLines:
    """A column's titles and passages wrapped into lines at ``width`` (the text's width)."""

    width: int
    #: (passage row or -1 for titles and gaps, the line's cells without the column's style)
    lines: list[tuple[int, Strip]]
    spans: list[tuple[int, int]]  # each passage's first line and the line after its last
    #: The first line of the column's first claim (an underlined sentence), or -1.
    first_claim: int = -1
    #: Finished lines by (line, focused); the unfocused ones may be painted in advance.
    painted: dict[tuple[int, bool], Strip] = field(default_factory=dict)
    look: ColumnLook | None = None


def column_name(passages: list[EventPassage]) -> str:
    """The column's border title: the outlet and the article's title, so that two columns of
    one outlet ("unknown": a column per article) are told apart even when the titles at the
    top of the columns have scrolled out of view (the border truncates it to fit)."""
    first = passages[0]
    articles = list(dict.fromkeys(p.article_id for p in passages))
    if len(articles) > 1:
        return first.outlet
    return f"{first.outlet} · {first.title or first.article_id}"


def column_titles(passages: list[EventPassage]) -> Text:
    titles = Text()
    for passage in {p.article_id: p for p in reversed(passages)}.values():
        if titles:
            titles.append("\n")
        titles.append(terminal_safe(passage.title or passage.article_id), style="bold italic")
        if passage.date:
            titles.append(f"  {passage.date}", style="dim")
    return titles


def passage_content(
    body: Content, labels: PassageLabels | None, codebook: Codebook | None
) -> Content:
    """What a column shows for a passage: its highlighted text, then the annotator's labels."""
    return body + "\n" + Content.from_rich_text(labels_line(labels, codebook))


def _parse_style(style: str | Style) -> Style:
    return style if isinstance(style, Style) else Style.parse(style)


_RENDER_OPTIONS = RenderOptions(_parse_style, {})


def lay_out_column(
    titles: Text,
    contents: list[Content],
    annotated: list[bool],
    width: int,
    look: ColumnLook | None = None,
) -> ColumnLines:
    """Wrap a column's titles and passages at text width ``width``; with ``look``, paint the
    lines too. Touches no widget: the database thread prepares columns with it."""
    pad = Segment(" ")
    plain = Style()
    lines: list[tuple[int, Strip]] = [
        (-1, Strip([pad, *strip]))
        for strip in Content.from_rich_text(titles).render_strips(
            width + 1, None, plain, _RENDER_OPTIONS
        )
    ]
    lines.append((-1, Strip([])))
    spans = []
    for row, content in enumerate(contents):
        top = len(lines)
        lines += [
            (row, Strip([pad, *strip]))
            for strip in content.render_strips(width, None, plain, _RENDER_OPTIONS)
        ]
        spans.append((top, len(lines)))
        lines.append((-1, Strip([])))
    first_claim = next(
        (
            index
            for index, (row, strip) in enumerate(lines)
            if row >= 0 and any(seg.style is not None and seg.style.underline for seg in strip)
        ),
        -1,
    )
    prepared = ColumnLines(width, lines, spans, first_claim, look=look)
    if look is not None:
        for index in range(len(lines)):
            prepared.painted[index, False] = paint_line(prepared, index, False, annotated)
    return prepared


def paint_line(column: ColumnLines, index: int, focused: bool, annotated: list[bool]) -> Strip:
    """A line as the terminal shows it: the passage mark (focused, annotated or neither) and
    the column's colours, padded to the column's width."""
    look = column.look
    assert look is not None, "a column is painted once its colours are known"
    width = column.width + 3
    base = look.base
    row, strip = column.lines[index]
    if row < 0:
        return strip.apply_style(base).crop_extend(0, width, base)
    if focused:
        base = base + look.focused
        mark, mark_style = "█", look.mark_focused
    else:
        mark, mark_style = "▌", look.mark_annotated if annotated[row] else look.mark
    return Strip([Segment(mark, base + mark_style), *strip.apply_style(base)]).crop_extend(
        0, width, base
    )
