"""One outlet's passages of an event, in a scrolling column: outlet and article on the border,
each passage highlighted (shared words / own words / amounts; see ``layout.highlight``) with
the annotator's labels.

A column is ONE line-API widget, not a widget per passage: the lines are laid out by
``layout.lines`` (once per event and width, often on the database thread) and only the lines on
screen are ever painted. A widget per passage made every key press pay for laying out and
painting dozens of widgets, several times the 50 ms a key press may take.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...codebook import Codebook
from ...safe_text import safe_markup
from ...store.annotations import PassageLabels
from ...store.worklist import EventPassage
from ..layout.lines import (
    ColumnLines,
    ColumnLook,
    column_name,
    column_titles,
    lay_out_column,
    paint_line,
    passage_content,
    text_width,
)
from ..layout.scrolling import scroll_to_show


@dataclass(eq=False)
class PassageRef:
    """A passage as shown in a column (row ``row`` of ``column``); what the focus is on."""

    column: OutletColumn
    row: int
    passage: EventPassage
    labels: PassageLabels | None

    @property
    def complete(self) -> bool:
        """Coded completely by the annotator (a label of every required dimension)."""
        codebook = self.column.codebook
        required = codebook.required if codebook is not None else ()
        return bool(self.labels and self.labels.complete(required))

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

    COMPONENT_CLASSES = {
        "outlet-column--mark",
        "outlet-column--mark-annotated",
        "outlet-column--mark-focused",
        "outlet-column--focused",
        "outlet-column--track",
        "outlet-column--thumb",
    }
    # The scroll position is painted in the lines' last cell (see ``render_line``): Textual's
    # scrollbar widget costs more to repaint, for every event, than the column's text.
    DEFAULT_CSS = """
    OutletColumn { overflow-x: hidden; overflow-y: auto; scrollbar-size-vertical: 0; }
    OutletColumn > .outlet-column--mark { color: $panel-lighten-2; }
    OutletColumn > .outlet-column--mark-annotated { color: $success; }
    OutletColumn > .outlet-column--mark-focused { color: $accent; }
    OutletColumn > .outlet-column--focused { background: $boost; }
    OutletColumn > .outlet-column--track { color: $panel; }
    OutletColumn > .outlet-column--thumb { color: $primary; }
    """

    @dataclass
    class PassageClicked(Message):
        column: OutletColumn
        row: int

    class Painted(Message):
        """The column has painted the event it was given (sent once per event)."""

    def __init__(self, codebook: Codebook | None = None) -> None:
        super().__init__(classes="outlet-column")
        self.codebook = codebook
        self.key = ""
        self.refs: list[PassageRef] = []
        self.cursor = 0
        self._bodies: list[Content] = []
        self._titles = Text()
        self._column = ColumnLines(0, [], [])
        self._look: ColumnLook | None = None
        self._announce_paint = False
        self._frame: tuple | None = None  # see render_lines
        self._grab: tuple[int, float] | None = None  # dragging the thumb: (mouse y, scroll y)

    # --- content -----------------------------------------------------------------

    def show(
        self,
        key: str,
        passages: list[EventPassage],
        bodies: dict[str, Content],
        labels: dict[str, PassageLabels],
        width: int,
        prepared: ColumnLines | None = None,
    ) -> None:
        """Show an event's passages of this column; ``width`` is the column's outer width, and
        ``prepared`` the lines the database thread laid out for it (used if they still fit)."""
        self.key = key
        self._name_border(passages)
        self._titles = column_titles(passages)
        self.refs = [PassageRef(self, row, p, labels.get(p.id)) for row, p in enumerate(passages)]
        self._bodies = [bodies[p.id] for p in passages]
        self.cursor = 0
        if (
            prepared is not None
            and prepared.width == text_width(width)
            and prepared.look == self.look()
        ):
            self._adopt(prepared)
        else:
            self._lay_out(text_width(width))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()
        self._announce_paint = True
        if not self.show_first_claim():
            self.call_after_refresh(self.show_first_claim)

    def show_first_claim(self) -> bool:
        """Scroll as little as needed to show the first claim (the underlined sentence that put
        a passage in the event) with a line after it, when it lies below the column's view; False
        while the column has no height yet."""
        seen = self.scrollable_content_region.height
        if not seen:
            return False
        line = self._column.first_claim
        if line >= 0 and int(self.scroll_y) == 0:
            target = scroll_to_show(line, min(line + 2, len(self._column.lines)), 0, seen)
            if target:
                self.scroll_to(y=target, animate=False, immediate=True)
        return True

    def _name_border(self, passages: list[EventPassage]) -> None:
        # a border title is markup: names from sources are escaped
        self.border_title = safe_markup(column_name(passages))

    def look(self) -> ColumnLook:
        if self._look is None:
            style = self.get_component_rich_style
            self._look = ColumnLook(
                self.rich_style,
                RichStyle(color=style("outlet-column--mark", partial=True).color),
                RichStyle(color=style("outlet-column--mark-annotated", partial=True).color),
                RichStyle(color=style("outlet-column--mark-focused", partial=True).color),
                self._focused_style(),
                self.rich_style
                + RichStyle(color=style("outlet-column--track", partial=True).color),
                self.rich_style
                + RichStyle(color=style("outlet-column--thumb", partial=True).color),
            )
        return self._look

    def _focused_style(self) -> RichStyle:
        """The focused passage's background: the theme's ``$boost`` is translucent, and a Rich
        style has no alpha (it would paint white), so it is blended over the column's own."""
        focused = self.get_component_styles("outlet-column--focused").background
        _, background = self.background_colors
        return RichStyle(bgcolor=(background + focused).rich_color)

    def passage_content(self, row: int) -> Content:
        return passage_content(self._bodies[row], self.refs[row].labels, self.codebook)

    def passage_span(self, row: int) -> tuple[int, int]:
        return self._column.spans[row]

    def labels_changed(self, row: int) -> None:
        self._lay_out(self._column.width)
        self.refresh()

    def _lay_out(self, width: int) -> None:
        contents = [self.passage_content(row) for row in range(len(self.refs))]
        self._adopt(lay_out_column(self._titles, contents, [], width))

    def _adopt(self, column: ColumnLines) -> None:
        self._column = column
        size = Size(column.width + 4, len(column.lines))
        if self.is_mounted and self.size:
            # Setting the reactive would lay out the whole screen again, for a size that
            # only this column's scrolling depends on.
            self.set_reactive(OutletColumn.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width and self.refs and width - 4 != self._column.width:
            self._lay_out(width - 4)
            self.refresh()

    @property
    def allow_vertical_scroll(self) -> bool:
        """The mouse wheel scrolls the column, which draws its own scroll indicator."""
        return not self._check_disabled() and self.max_scroll_y > 0

    # --- focus ---------------------------------------------------------------------

    def set_cursor(self, row: int) -> None:
        if row != self.cursor:
            self._refresh_passage(self.cursor)
            self.cursor = row
            self._refresh_passage(row)

    def _refresh_passage(self, row: int) -> None:
        if 0 <= row < len(self._column.spans):
            top, bottom = self._column.spans[row]
            self.refresh_lines(top, bottom - top)

    def on_focus(self) -> None:
        self._refresh_passage(self.cursor)

    def on_blur(self) -> None:
        self._refresh_passage(self.cursor)

    def scroll_to_passage(self, row: int) -> None:
        """Scroll as little as needed to show the passage (see ``layout.scrolling``)."""
        top, bottom = self._column.spans[row]
        seen = self.scrollable_content_region.height
        if not seen:
            return  # not laid out yet: the event starts at its top
        target = scroll_to_show(top, bottom, int(self.scroll_y), seen)
        if target != int(self.scroll_y):
            self.scroll_to(y=target, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._on_indicator(offset.x):
            return
        y = offset.y + self.scroll_offset.y
        lines = self._column.lines
        if 0 <= y < len(lines) and lines[y][0] >= 0:
            self.post_message(OutletColumn.PassageClicked(self, lines[y][0]))

    # --- the scroll indicator under the mouse ---------------------------------------
    # The indicator is painted by the column (no scrollbar widget), so the column answers
    # the mouse on it as Textual's scrollbar would: drag the thumb, click the track to page.

    def _on_indicator(self, x: int) -> bool:
        """Whether content column ``x`` is the scroll indicator's (the last one)."""
        return self.max_scroll_y > 0 and x == self.scrollable_content_region.width - 1

    def focus_on_click(self) -> bool:
        # Scrolling a column with its indicator does not take the focus to it.
        x = self.app.mouse_position.x - self.content_region.x
        return not self._on_indicator(x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._on_indicator(offset.x):
            return
        event.stop()
        top, bottom = self._frame_now()[2]
        if offset.y < top:
            self.scroll_page_up(animate=False)
        elif offset.y >= bottom:
            self.scroll_page_down(animate=False)
        else:
            self._grab = (event.screen_y, self.scroll_y)
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._grab is None:
            return
        event.stop()
        grabbed_at, scroll_y = self._grab
        seen, total = self.scrollable_content_region.height, len(self._column.lines)
        thumb = max(1, round(seen * seen / total))
        lines_per_cell = (total - seen) / max(1, seen - thumb)  # the inverse of _frame_now
        target = scroll_y + (event.screen_y - grabbed_at) * lines_per_cell
        self.scroll_to(
            y=max(0, min(round(target), self.max_scroll_y)), animate=False, immediate=True
        )

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._grab is not None:
            event.stop()
            self.release_mouse()
            self._grab = None

    def on_mouse_release(self) -> None:
        self._grab = None

    # --- rendering -------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this repaint needs, looked up once rather than once per line.
        self._frame = self._frame_now()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_now(self) -> tuple:
        scroll_y, seen, total = (
            int(self.scroll_y),
            self.scrollable_content_region.height,
            len(self._column.lines),
        )
        if total <= seen or seen <= 0:
            thumb = (0, 0)
        else:
            size = max(1, round(seen * seen / total))
            top = round(scroll_y * (seen - size) / max(1, total - seen))
            thumb = (top, top + size)
        return (scroll_y, self.has_focus, thumb, self.look())

    def render_line(self, y: int) -> Strip:
        if self._announce_paint:
            self._announce_paint = False
            self.post_message(OutletColumn.Painted())
        frame = self._frame or self._frame_now()  # (called on its own, not from render_lines)
        scroll_y, has_focus, _, look = frame
        index = y + scroll_y
        column = self._column
        if index >= len(column.lines):
            return Strip.blank(column.width + 3, look.base) + Strip([self._scroll_cell(y, frame)])
        row = column.lines[index][0]
        focused = row >= 0 and row == self.cursor and has_focus
        strip = column.painted.get((index, focused))
        if strip is None:
            if column.look != look:  # laid out here, or the theme has changed since
                column.look = look
                column.painted.clear()
            annotated = [ref.complete for ref in self.refs]
            strip = column.painted[index, focused] = paint_line(column, index, focused, annotated)
        return Strip([*strip, self._scroll_cell(y, frame)], strip.cell_length + 1)

    @staticmethod
    def _scroll_cell(y: int, frame: tuple) -> Segment:
        """Line ``y``'s cell of the scroll indicator: the thumb spans the part in view."""
        _, _, (top, bottom), look = frame
        if top <= y < bottom:
            return Segment("┃", look.thumb)
        return Segment(" ", look.track)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look = None
        self.refresh()
