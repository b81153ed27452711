"""The event pane's layout: the event list shown or collapsed, the outlet columns' width and
paging through them, and the event header.

A mixin of :class:`~.event_screen.EventScreen`. On a narrow terminal (under 110 columns) the
event list is collapsed (``v`` or Tab shows it) and the columns take the width; at 80 columns
that is two outlet columns, and ``<`` / ``>`` page to the others.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import HorizontalScroll
from textual.widgets import Static

from ..layout.header import event_counter
from ..layout.highlight import legend
from ..layout.lines import column_width
from ..widgets.event_list import EventList
from .event_screen_parts import EventScreenParts
from ..widgets.label_bar import LabelBar


class PaneMixin(EventScreenParts):
    _header_lines: int = -1
    #: None: as the width says (shown when wide, collapsed when narrow); else as asked with v
    list_wanted: bool | None = None

    # --- the event list ---------------------------------------------------------

    @property
    def list_shown(self) -> bool:
        if self.list_wanted is not None:
            return self.list_wanted
        return not self.has_class("-narrow")

    def _apply_list_visibility(self) -> None:
        self.set_class(self.list_wanted is True, "-list-shown")
        self.set_class(self.list_wanted is False, "-list-hidden")
        self.call_after_refresh(self._columns_resized)

    def action_toggle_list(self) -> None:
        """v: show or collapse the event list (on a narrow terminal it starts collapsed)."""
        self.list_wanted = not self.list_shown
        self._apply_list_visibility()
        if self.list_wanted:
            self.event_list.focus()
        elif isinstance(self.focused, EventList):
            self._focus_cell(self.column, self.row)

    def action_toggle_focus(self) -> None:
        """Tab: from the passages to the event list (shown if it was collapsed) and back."""
        if isinstance(self.focused, EventList):
            if self.has_class("-narrow") and self.list_wanted is True:
                self.list_wanted = None  # collapsed again, as it was
                self._apply_list_visibility()
            self._focus_cell(self.column, self.row)
            return
        if not self.list_shown:
            self.list_wanted = True
            self._apply_list_visibility()
        self.event_list.focus()

    # --- the outlet columns ---------------------------------------------------------

    def on_resize(self) -> None:
        self._columns_resized()

    def _columns_resized(self) -> None:
        self._size_columns()
        self._update_header()
        if self.grid:
            self.call_after_refresh(self._show_column, self.column)

    def _size_columns(self) -> int:
        """Share the pane's width among the outlet columns, none narrower than is readable;
        when they do not fit (a narrow terminal) the pane scrolls sideways, a page of columns
        at a time (h/l, ←/→, < and >). Returns the columns' width."""
        container = self.query_one("#columns", HorizontalScroll)
        columns = [c for c in self.column_pool if c.display]
        if not columns:
            return 0
        width = column_width(container.size.width or self.size.width, len(columns))
        for column in columns:
            if column.styles.width is None or column.styles.width.value != width:
                column.styles.width = width
        self.query_one(LabelBar).refresh_layout_for(self.size.width)
        return width

    def _columns_per_page(self) -> int:
        columns = [c for c in self.column_pool if c.display]
        if not columns or not columns[0].styles.width:
            return 1
        width = int(columns[0].styles.width.value) or 1
        available = self.query_one("#columns", HorizontalScroll).size.width or self.size.width
        return max(1, min(len(columns), available // width))

    def _first_column_in_view(self) -> int:
        columns = [c for c in self.column_pool if c.display]
        if not columns or not columns[0].styles.width:
            return 0
        width = int(columns[0].styles.width.value) or 1
        return round(self.query_one("#columns", HorizontalScroll).scroll_x / width)

    def _outlets_in_view(self, columns: int) -> str:
        per_page = self._columns_per_page()
        if columns <= per_page:
            return f"{columns} outlets"
        first = self._first_column_in_view()
        last = min(columns, first + per_page)
        return f"outlets {first + 1}–{last} of {columns} (< > more)"

    def action_page_outlets(self, direction: int) -> None:
        """< and >: the previous or next page of outlet columns (the focus goes along)."""
        if not self.grid:
            return
        per_page = self._columns_per_page()
        first = self._first_column_in_view()
        target = max(0, min(len(self.grid) - 1, first + direction * per_page))
        if target == first and direction:
            self.notify("No more outlets that way.", timeout=2)
            return
        self._focus_cell(target, 0)
        container = self.query_one("#columns", HorizontalScroll)
        scalar = self.column_pool[0].styles.width
        width = int(scalar.value) if scalar is not None else 0
        container.scroll_to(x=target * width, animate=False, immediate=True)
        self._update_header()

    # --- the header -------------------------------------------------------------------

    def _update_header(self) -> None:
        if self.view is None:
            return
        s = self.view.summary
        columns = len(self.grid)
        counter = event_counter(
            self.event_index.get(s.id), len(self.events), s.seq, self.filter.active
        )
        partial = f" ({s.partial} partial)" if s.partial else ""
        status = (
            f"{s.done}/{s.total} coded{partial} · {len(self.view.passages)} passages · "
            f"{self._outlets_in_view(columns)}"
        )
        marks = legend()
        width = self.query_one("#event-header", Static).size.width or self.app.size.width
        if len(status) + 3 + len(marks.plain) > width:
            marks = legend(compact=True)
        text = Text.assemble(
            (f"{counter} ", "dim"),
            (s.shown_label, "bold"),
            "\n",
            (status, "dim"),
            "   ",
            marks,
        )
        if self.view.note:
            text.append("\nevent note: ", style="dim")
            text.append(self.view.note, style="italic")
        lines = text.plain.count("\n")
        self.query_one("#event-header", Static).update(text, layout=lines != self._header_lines)
        self._header_lines = lines
