"""The small faults a coder met in the real TUI, each pinned down: j on a long last passage,
the counter with a filter, the search words marked, the current event marked in the list, Tab,
the filter dialog by keyboard, and a restart opening where the annotator stopped."""

from __future__ import annotations

from tests.tui.helpers import db_rows, focused_passage, screen, settle, widget_text
from rich.color import Color

import nato_compare.store.annotations as annotations_store
from nato_compare.store import open_db
from nato_compare.store.worklist import event_passages, list_events
from nato_compare.tui.app import make_app
from nato_compare.tui.layout.highlight import SEARCH_STYLE
from nato_compare.tui.screens.filter_screen import FilterScreen
from nato_compare.tui.widgets.event_list import EventList


def events_in(db_path, annotator="alice"):
    db = open_db(db_path)
    try:
        events = list_events(db, annotator)
        return events, {e.id: event_passages(db, e.id) for e in events}
    finally:
        db.close()


async def test_j_on_a_long_last_passage_reads_down_and_stays_at_80x24(fixed_event_db):
    app = make_app(fixed_event_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = screen(app)
        # the last passage of a column, taller than the column shows
        target = next(
            (
                (c, len(column) - 1)
                for c, column in enumerate(view.grid)
                if column[-1].height > column[-1].column.scrollable_content_region.height
            ),
            None,
        )
        assert target is not None, "the fixed event has a long last passage at 80x24"
        for _ in range(target[0]):
            await pilot.press("l")
        for _ in range(target[1]):
            await pilot.press("j")
        await settle(pilot)
        passage = focused_passage(app)
        column = passage.column
        positions = [column.scroll_y]
        for _ in range(8):
            await pilot.press("j")
            await settle(pilot)
            assert focused_passage(app) is passage
            positions.append(column.scroll_y)
        # down to the passage's end, then still: never flipping back to its top
        assert positions == sorted(positions) and positions[-1] > positions[0]
        top, bottom = passage.span
        assert positions[-1] == bottom - column.scrollable_content_region.height
        assert positions[-1] == positions[-2] == positions[-3]


async def test_the_counter_with_a_search_counts_the_events_found(event_db):
    events, passages = events_in(event_db)
    found = [e for e in events if any("nato" in p.text.lower() for p in passages[e.id])]
    later = [e for e in found if e.seq > 1]
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"NATO", "enter")
        await settle(pilot)
        await pilot.press(*["right_square_bracket"] * (len(found) - 1))
        await settle(pilot)
        shown = screen(app).view.summary
        header = widget_text(screen(app).query_one("#event-header"))
        assert header.startswith(f"{len(found)}/{len(found)} · event {shown.seq} ")
        assert later and shown.seq > 1


async def test_the_search_words_are_marked_in_the_passages(event_db):
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"billion", "enter")
        await settle(pilot)
        marked = Color.parse(SEARCH_STYLE.split(" on ")[1]).triplet.hex
        found = []
        for column in screen(app).grid:
            strips = [column[0].column.render_line(y) for y in range(30)]
            for strip in strips:
                for segment in strip:
                    style = segment.style
                    if style and style.bgcolor and style.bgcolor.triplet.hex == marked:
                        found.append(segment.text.lower())
        assert found and set(found) == {"billion"}


async def test_the_event_on_screen_is_marked_in_the_list(event_db):
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        events_list = screen(app).query_one(EventList)
        assert app.focused is not events_list
        lines = [events_list.render_line(y).text for y in range(3)]
        assert [line.startswith("▸") for line in lines] == [False, False, True]


async def test_tab_goes_to_the_list_and_back_to_the_same_passage(event_db):
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("l", "j")
        await settle(pilot)
        before = focused_passage(app)
        await pilot.press("tab")
        assert isinstance(app.focused, EventList)
        await pilot.press("tab")
        assert focused_passage(app) is before


async def test_the_filter_dialog_by_keyboard_and_esc_in_a_drop_down(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        dialog = app.screen
        # the outlet drop-down has the focus: open it, Esc closes the drop-down, not the dialog
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.query_one("#filter-outlet").expanded
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog and not dialog.query_one("#filter-outlet").expanded
        # choose the second outlet by keys and apply with Ctrl+S
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        outlet = dialog.query_one("#filter-outlet").value
        assert isinstance(outlet, str)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FilterScreen)
        assert screen(app).filter.outlet == outlet
        expected = [e.id for e in events if any(p.outlet == outlet for p in passages[e.id])]
        assert screen(app).query_one(EventList).event_ids == expected
        # Esc from the dialog itself cancels: the filter stays as it was
        await pilot.press("f", "escape")
        await settle(pilot)
        assert screen(app).filter.outlet == outlet


async def test_a_restart_opens_where_the_annotator_stopped(event_db):
    events, passages = events_in(event_db)
    # killed after labelling the third event: no closing, the latest action says where
    db = open_db(event_db)
    annotations_store.toggle_label(db, "alice", passages[events[2].id][0].id, "frame", "Other")
    db.close()
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert screen(app).view.summary.id == events[2].id
        assert screen(app).query_one(EventList).cursor == 2
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        await pilot.press("q")
    # quit on the fifth event: it opens there
    assert "position:alice" in {k for (k,) in db_rows(event_db, "SELECT key FROM settings")}
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert screen(app).view.summary.id == events[4].id
    # another annotator starts at the first event
    app = make_app(event_db, "bob")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert screen(app).view.summary.id == events[0].id
