"""Moving on the event view: between passages, outlet columns and events, the event list,
and to the next passage not coded completely.

A mixin of :class:`~.event_screen.EventScreen` (kept apart so each file stays readable); the
scrolling rules are in :mod:`..layout.scrolling`.
"""

from __future__ import annotations

from textual import work
from textual.containers import HorizontalScroll

from .. import data
from ..layout.scrolling import scroll_within
from ..messages import NextUnannotatedFound
from ..widgets.event_list import EventList
from .event_screen_parts import EventScreenParts
from ..widgets.outlet_column import OutletColumn, PassageRef

#: Passed as the passage to focus when opening an event at its first passage not coded
#: completely.
FIRST_UNANNOTATED = "\x00first-unannotated"


class NavigationMixin(EventScreenParts):
    # --- focus and navigation --------------------------------------------------

    @property
    def focused_passage(self) -> PassageRef | None:
        if not self.grid:
            return None
        try:
            return self.grid[self.column][self.row]
        except IndexError:
            return None

    def _focus_cell(self, column: int, row: int) -> None:
        if not self.grid:
            return
        self.column = max(0, min(column, len(self.grid) - 1))
        self.row = max(0, min(row, len(self.grid[self.column]) - 1))
        passage = self.grid[self.column][self.row]
        passage.column.set_cursor(passage.row)
        passage.column.focus(scroll_visible=False)
        self._show_column(self.column)
        self._after_focus()

    def _show_column(self, index: int) -> None:
        """Scroll sideways so the focused column is wholly in view, aligned to a column edge."""
        container = self.query_one("#columns", HorizontalScroll)
        columns = [c for c in self.column_pool if c.display]
        if not columns or index >= len(columns):
            return
        width = columns[0].styles.width.value if columns[0].styles.width else 0
        start, view = int(index * width), container.scrollable_content_region.width
        if start < container.scroll_x or start + width > container.scroll_x + view:
            container.scroll_to(x=start, animate=False, immediate=True)
            self._update_header()  # "outlets 3–4 of 4"
        passage = self.grid[self.column][self.row]
        passage.column.scroll_to_passage(passage.row)

    def _focus_passage_id(self, passage_id: str) -> bool:
        for c, column in enumerate(self.grid):
            for r, view in enumerate(column):
                if view.passage.id == passage_id:
                    self._focus_cell(c, r)
                    return True
        self._focus_cell(0, 0)
        return False

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        if isinstance(widget, OutletColumn):
            for c, column in enumerate(self.grid):
                if column and column[0].column is widget:
                    if (c, widget.cursor) != (self.column, self.row):
                        self.column, self.row = c, widget.cursor
                        self._after_focus()

    def on_outlet_column_passage_clicked(self, message: OutletColumn.PassageClicked) -> None:
        for c, column in enumerate(self.grid):
            if column and column[0].column is message.column:
                self._focus_cell(c, message.row)

    def action_move(self, dx: int, dy: int) -> None:
        if isinstance(self.focused, EventList):
            return  # the event list moves its own cursor
        current = self.focused_passage
        if current is not None and dy:
            # A passage taller than the column is read by scrolling before moving on.
            column = current.column
            top, bottom = current.span
            if current.row == 0:
                top = 0  # the article titles above the first passage are read with it
            seen = column.scrollable_content_region.height
            target = scroll_within(top, bottom, int(column.scroll_y), seen, dy)
            if target is not None:
                column.scroll_to(y=target, animate=False, immediate=True)
                return
        if not self.grid:
            return
        to_column = max(0, min(self.column + dx, len(self.grid) - 1))
        to_row = max(0, min(self.row + dy, len(self.grid[to_column]) - 1))
        if (to_column, to_row) == (self.column, self.row) and current is not None:
            if current.column.has_focus:
                return  # at an edge: nothing moves (a long passage stays where it was read to)
        self._focus_cell(to_column, to_row)

    def action_scroll_column(self, direction: int) -> None:
        current = self.focused_passage
        if current is not None:
            column = current.column
            column.scroll_relative(y=direction * max(1, column.region.height - 2), animate=False)

    def _step_event(self, step: int) -> None:
        if not self.events:
            return
        current = self.event_index.get(self.wanted_event or "", -1)
        target = max(0, min(len(self.events) - 1, current + step)) if current >= 0 else 0
        if current != target or self.view is None:
            self.open_event(self.events[target].id)

    def action_next_event(self) -> None:
        self._step_event(1)

    def action_previous_event(self) -> None:
        self._step_event(-1)

    def on_event_list_highlighted(self, message: EventList.Highlighted) -> None:
        if message.event_id != self.wanted_event:
            self.open_event(message.event_id)

    def on_event_list_selected(self, message: EventList.Selected) -> None:
        if message.event_id != self.wanted_event:
            self.open_event(message.event_id)
        self._focus_cell(self.column, self.row)

    def action_next_unannotated(self) -> None:
        flat = [view for column in self.grid for view in column]
        current = self.focused_passage
        start = flat.index(current) + 1 if current in flat else 0
        for view in flat[start:]:
            if not view.complete:
                self._focus_passage_id(view.passage.id)
                return
        seq = self.view.summary.seq if self.view else 0
        self._find_next_unannotated(seq)

    @work(group="next", exclusive=True, exit_on_error=False)
    async def _find_next_unannotated(self, seq: int) -> None:
        event_id = await self.app.db.call(
            data.find_next_unannotated, self.annotator, seq, self.filter, self.codebook.required
        )
        self.post_message(NextUnannotatedFound(event_id))

    def on_next_unannotated_found(self, message: NextUnannotatedFound) -> None:
        if message.event_id is None:
            self.notify("Every passage of these events is coded completely.", title="All done")
            return
        if self.view and message.event_id == self.view.summary.id:
            for view in (v for column in self.grid for v in column):
                if not view.complete:
                    self._focus_passage_id(view.passage.id)
                    return
        self.open_event(message.event_id, focus_passage=FIRST_UNANNOTATED)
