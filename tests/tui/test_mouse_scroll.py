"""A column longer than the screen scrolls with the mouse: the wheel, dragging the scroll
indicator on its right edge, and clicking the indicator's track."""

from __future__ import annotations

from tests.tui.helpers import focused_passage, screen, settle
from textual import events

from nato_compare.tui.app import make_app
from nato_compare.tui.widgets.outlet_column import OutletColumn


def long_column(app) -> OutletColumn:
    column = max(
        (c for c in screen(app).query(OutletColumn) if c.display), key=lambda c: c.max_scroll_y
    )
    assert column.max_scroll_y > 20, "the column is longer than the screen"
    return column


def indicator_x(column: OutletColumn) -> int:
    """The indicator's cell, in the column's coordinates: left of the right border."""
    return column.outer_size.width - 2


def thumb(column: OutletColumn) -> tuple[int, int]:
    """The lines of the column's content (from the top) the indicator's thumb covers."""
    lines = [column.render_line(y) for y in range(column.scrollable_content_region.height)]
    rows = [y for y, line in enumerate(lines) if line.text.endswith("┃")]
    assert rows, "the indicator shows a thumb"
    return rows[0], rows[-1] + 1


async def test_the_mouse_wheel_scrolls_a_long_column(long_column_db):
    app = make_app(long_column_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        column = long_column(app)
        focus = focused_passage(app)
        for _ in range(3):
            await pilot._post_mouse_events([events.MouseScrollDown], column, offset=(10, 5))
        await settle(pilot)
        assert column.scroll_y >= 3
        assert thumb(column)[0] > 0
        down = column.scroll_y
        await pilot._post_mouse_events([events.MouseScrollUp], column, offset=(10, 5))
        await settle(pilot)
        assert 0 <= column.scroll_y < down
        assert focused_passage(app) is focus  # scrolling reads on, it does not move the focus


async def test_dragging_the_scroll_indicator_scrolls_the_column(long_column_db):
    app = make_app(long_column_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        column = long_column(app)
        focus = focused_passage(app)
        top, bottom = thumb(column)
        assert top == 0
        x = indicator_x(column)
        seen = column.scrollable_content_region.height
        await pilot.mouse_down(column, offset=(x, 1 + top))
        await pilot._post_mouse_events(
            [events.MouseMove], column, offset=(x, 1 + top + 4), button=1
        )
        await settle(pilot)
        assert column.scroll_y > 0
        middle = column.scroll_y
        # to the bottom (and past it): the end of the column is in view
        await pilot._post_mouse_events([events.MouseMove], column, offset=(x, seen), button=1)
        await pilot.mouse_up(column, offset=(x, seen))
        await settle(pilot)
        assert column.scroll_y == column.max_scroll_y > middle
        assert thumb(column)[1] == seen
        # the mouse is released: moving it no longer scrolls
        await pilot._post_mouse_events([events.MouseMove], column, offset=(x, 1))
        await settle(pilot)
        assert column.scroll_y == column.max_scroll_y
        assert focused_passage(app) is focus  # the indicator is not a passage


async def test_clicking_the_indicator_track_pages_the_column(long_column_db):
    app = make_app(long_column_db, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        column = long_column(app)
        await pilot.press("l")  # the focus is in the other column, and stays there
        focus = focused_passage(app)
        assert focus.column is not column
        seen = column.scrollable_content_region.height
        x = indicator_x(column)
        await pilot.click(column, offset=(x, seen))  # below the thumb: a page down
        await settle(pilot)
        assert min(seen - 3, column.max_scroll_y) <= column.scroll_y <= seen
        paged = column.scroll_y
        top, _ = thumb(column)
        assert top > 0
        await pilot.click(column, offset=(x, 1))  # above the thumb: a page up
        await settle(pilot)
        assert column.scroll_y < paged
        assert focused_passage(app) is focus
