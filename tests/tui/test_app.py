"""The annotation app driven through the Pilot: assertions on the database rows and on the widgets."""

from __future__ import annotations

from tests.tui.helpers import (
    db_rows,
    focused_passage,
    labels_of,
    painted_text,
    screen,
    settle,
    widget_text,
)
from textual.widgets import Label

import nato_compare.store.annotations as annotations_store
from nato_compare.store import open_db
from nato_compare.store.worklist import event_passages, list_events
from nato_compare.tui.app import make_app
from nato_compare.tui.screens.annotator_screen import AnnotatorScreen
from nato_compare.tui.screens.filter_screen import FilterScreen
from nato_compare.tui.screens.help_screen import HelpScreen
from nato_compare.tui.widgets.event_list import EventList
from nato_compare.tui.widgets.label_bar import AdjudicationPanel, LabelBar
from nato_compare.tui.widgets.outlet_column import OutletColumn


def events_in(db_path, annotator="alice"):
    db = open_db(db_path)
    try:
        return list_events(db, annotator), {
            e.id: event_passages(db, e.id) for e in list_events(db, annotator)
        }
    finally:
        db.close()


async def test_opens_on_the_first_event_with_one_column_per_outlet(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        view = screen(app)
        assert view.query_one(EventList).event_ids == [e.id for e in events]
        first = events[0]
        header = widget_text(view.query_one("#event-header"))
        assert first.label in header and f"{first.seq}/{len(events)} " in header
        columns = list(view.query(OutletColumn))
        assert [c.key for c in columns] == list(dict.fromkeys(p.column for p in passages[first.id]))
        assert focused_passage(app).passage.id == passages[first.id][0].id
        assert f"0/{first.total}" in view.query_one(EventList).prompt_at(0)


async def test_moving_between_events_and_passages(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        view = screen(app)
        assert view.view.summary.id == events[1].id
        assert events[1].label in widget_text(view.query_one("#event-header"))
        assert view.query_one(EventList).cursor == 1
        await pilot.press("l")
        second_column = [
            p for p in passages[events[1].id] if p.column != passages[events[1].id][0].column
        ][0]
        assert focused_passage(app).passage.id == second_column.id
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert view.view.summary.id == events[0].id
        assert focused_passage(app).passage.id == passages[events[0].id][0].id


async def test_labelling_by_keys_writes_rows_and_shows_them(event_db):
    events, passages = events_in(event_db)
    target = passages[events[0].id][0].id
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("1", "8", "plus")
        await settle(pilot)
        assert labels_of(event_db, target) == [
            ("frame", "Economic"),
            ("frame", "Security and defense"),
            ("stance", "FAVOR"),
        ]
        shown = widget_text(focused_passage(app))
        assert "frame: Economic, Security and defense · stance: FAVOR" in shown
        assert "Economic ✓" in widget_text(screen(app).query_one(LabelBar))
        assert "stance: FAVOR" in painted_text(focused_passage(app).column)
        prompt = screen(app).query_one(EventList).prompt_at(0)
        assert f"1/{events[0].total}" in prompt
        # stance is single-label: "-" replaces FAVOR; a frame key again removes the frame
        await pilot.press("minus", "1")
        await settle(pilot)
        assert labels_of(event_db, target) == [
            ("frame", "Security and defense"),
            ("stance", "AGAINST"),
        ]
        assert "frame: Security and defense · stance: AGAINST" in widget_text(focused_passage(app))
        rows = db_rows(event_db, "SELECT annotator, created_at FROM annotations")
        assert all(a == "alice" and t.endswith("+00:00") for a, t in rows)


async def test_passage_and_event_notes(event_db):
    events, passages = events_in(event_db)
    target = passages[events[0].id][0].id
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.press(*"only NATO voices")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert db_rows(
            event_db,
            "SELECT dimension, label, note FROM annotations WHERE passage_id = ?",
            (target,),
        ) == [("note", "", "only NATO voices")]
        assert "note: only NATO voices" in widget_text(focused_passage(app))
        await pilot.press("e")
        await pilot.press(*"same speech")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert db_rows(
            event_db, "SELECT event_id, note FROM event_notes WHERE annotator = 'alice'"
        ) == [(events[0].id, "same speech")]
        assert "event note: same speech" in widget_text(screen(app).query_one("#event-header"))
        await pilot.press("m", "escape")  # cancelled: nothing changes
        await settle(pilot)
        assert db_rows(event_db, "SELECT count(*) FROM action_log") == [(2,)]


async def test_undo_and_redo(event_db):
    events, passages = events_in(event_db)
    target = passages[events[0].id][0].id
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("1", "equals_sign")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert labels_of(event_db, target) == [("frame", "Economic")]
        assert "stance: NONE" not in widget_text(focused_passage(app))
        assert "◐ needs stance" in widget_text(focused_passage(app))
        await pilot.press("u")
        await settle(pilot)
        assert labels_of(event_db, target) == []
        assert "no labels yet" in widget_text(focused_passage(app))
        await pilot.press("r", "r")
        await settle(pilot)
        assert labels_of(event_db, target) == [("frame", "Economic"), ("stance", "NONE")]
        assert "stance: NONE" in widget_text(focused_passage(app))


async def test_undo_jumps_to_the_event_it_changes(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("1", "right_square_bracket")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert screen(app).view.summary.id == events[0].id
        assert focused_passage(app).passage.id == passages[events[0].id][0].id
        assert labels_of(event_db, passages[events[0].id][0].id) == []


async def test_restart_finds_everything_as_left(event_db):
    events, passages = events_in(event_db)
    first, second = passages[events[0].id][0].id, passages[events[1].id][0].id
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("4", "plus", "right_square_bracket")
        await settle(pilot)
        await pilot.press("p", "minus", "m", *"hedged", "ctrl+s")
        await settle(pilot)
    # a new app on the same database: labels, note and progress as left; undo continues
    app = make_app(event_db, None)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert app.annotator == "alice"  # remembered
        prompts = [screen(app).query_one(EventList).prompt_at(i) for i in range(2)]
        assert f"1/{events[0].total}" in prompts[0] and f"1/{events[1].total}" in prompts[1]
        # it opens where alice stopped: the second event
        assert screen(app).view.summary.id == events[1].id
        shown = widget_text(focused_passage(app))
        assert "frame: Political · stance: AGAINST" in shown and "note: hedged" in shown
        await pilot.press("u", "u")
        await settle(pilot)
        assert labels_of(event_db, second) == [("frame", "Political")]
        assert labels_of(event_db, first) == [
            ("frame", "Fairness and equality"),
            ("stance", "FAVOR"),
        ]


async def test_the_first_event_opens_while_another_program_holds_the_write_lock(event_db):
    # e.g. an alignment being saved: remembering the annotator waits, showing the event does not
    import sqlite3

    events, _ = events_in(event_db)
    holder = sqlite3.connect(event_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        app = make_app(event_db, "carol")
        async with app.run_test(size=(160, 45), notifications=True) as pilot:
            for _ in range(300):
                await pilot.pause(0.01)
                if screen(app).view is not None:
                    break
            assert screen(app).view is not None and screen(app).view.summary.id == events[0].id
            holder.execute("ROLLBACK")
            await settle(pilot)
            assert [n.message for n in app._notifications if n.severity == "error"] == []
    finally:
        holder.close()
    assert db_rows(event_db, "SELECT value FROM settings WHERE key = 'annotator'") == [("carol",)]


async def test_redo_after_a_restart_brings_the_label_back(event_db):
    events, passages = events_in(event_db)
    first, target = passages[events[0].id][0].id, passages[events[1].id][0].id
    log = "SELECT undone FROM action_log WHERE annotator = 'alice' ORDER BY seq"
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("4", "right_square_bracket")
        await settle(pilot)
        await pilot.press("minus")
        await settle(pilot)
        assert labels_of(event_db, target) == [("stance", "AGAINST")]
        label_id = db_rows(event_db, "SELECT id FROM annotations WHERE passage_id = ?", (target,))
        await pilot.press("u")
        await settle(pilot)
        assert labels_of(event_db, target) == []
        assert "no labels yet" in widget_text(focused_passage(app))
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert db_rows(event_db, log) == [(0,), (1,)]  # the undone action waits to be redone
    # a new app on the same database opens where alice quit (the second event); she goes back
    # to the first, and redo takes her to the second again
    app = make_app(event_db, None)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        assert screen(app).view.summary.id == events[1].id
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen(app).view.summary.id == events[0].id
        assert "frame: Fairness and equality" in widget_text(focused_passage(app))
        assert f"0/{events[1].total}" in screen(app).query_one(EventList).prompt_at(1)
        await pilot.press("r")
        await settle(pilot)
        assert labels_of(event_db, target) == [("stance", "AGAINST")]
        assert labels_of(event_db, first) == [("frame", "Fairness and equality")]
        # the same row as before the undo (merges rely on the ids)
        assert (
            db_rows(event_db, "SELECT id FROM annotations WHERE passage_id = ?", (target,))
            == label_id
        )
        assert db_rows(event_db, log) == [(0,), (0,)]
        assert screen(app).view.summary.id == events[1].id
        passage = focused_passage(app)
        assert passage.passage.id == target
        assert "stance: AGAINST" in widget_text(passage)
        assert "stance: AGAINST" in painted_text(passage.column)
        assert "AGAINST ✓" in widget_text(screen(app).query_one(LabelBar))
        # a stance without a frame is partial coding, not complete
        assert f"0/{events[1].total} ◐1" in screen(app).query_one(EventList).prompt_at(1)
        assert "Redone: stance = AGAINST" in [n.message for n in app._notifications]
        await pilot.press("r")  # nothing left to redo: nothing changes
        await settle(pilot)
        assert "Nothing to redo." in [n.message for n in app._notifications]
        assert labels_of(event_db, target) == [("stance", "AGAINST")]
        assert "stance: AGAINST" in widget_text(focused_passage(app))
    assert db_rows(event_db, log) == [(0,), (0,)]


async def test_next_unannotated_passage_then_event(event_db):
    events, passages = events_in(event_db)
    first_event = passages[events[0].id]
    # the second passage has a frame only (no stance)
    db = open_db(event_db)
    annotations_store.toggle_label(db, "alice", first_event[1].id, "frame", "Economic")
    db.close()
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("8", "plus")  # the first passage coded completely
        await settle(pilot)
        assert (
            screen(app).query_one(EventList).prompt_at(0).startswith(f"◐ 1/{len(first_event)} ◐1")
        )
        # a frame without a stance is not complete: n stops there instead of skipping it
        await pilot.press("n")
        await settle(pilot)
        assert focused_passage(app).passage.id == first_event[1].id
        assert "◐ needs stance" in widget_text(focused_passage(app))
        await pilot.press("minus")
        await settle(pilot)
        assert "✓" in widget_text(focused_passage(app))
        for _ in first_event[2:]:
            await pilot.press("n", "8", "equals_sign")
            await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert screen(app).view.summary.id == events[1].id
        assert focused_passage(app).passage.id == passages[events[1].id][0].id
        prompt = screen(app).query_one(EventList).prompt_at(0)
        assert prompt.startswith(f"✓ {len(first_event)}/{len(first_event)}")


async def test_search_and_filters_narrow_the_event_list(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, FilterScreen)
        await pilot.press(*"40 billion", "enter")
        await settle(pilot)
        listed = screen(app).query_one(EventList).event_ids
        expected = [
            e.id for e in events if any("40 billion" in p.text.lower() for p in passages[e.id])
        ]
        assert listed == expected and 0 < len(listed) < len(events)
        assert screen(app).view.summary.id == listed[0]
        # outlet filter (the search is kept), then clear everything
        await pilot.press("f")
        app.screen.query_one("#filter-outlet").value = "ICARO Media Group"
        await pilot.click("#apply")
        await settle(pilot)
        icaro = [
            e.id
            for e in events
            if any(p.outlet == "ICARO Media Group" for p in passages[e.id]) and e.id in expected
        ]
        assert screen(app).query_one(EventList).event_ids == icaro
        await pilot.press("f")
        await pilot.click("#clear")
        await settle(pilot)
        assert screen(app).query_one(EventList).event_ids == [e.id for e in events]


async def test_filter_by_label_and_by_progress(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        for _ in passages[events[1].id]:
            await pilot.press("7", "plus", "n")
            await settle(pilot)
        await pilot.press("f")
        app.screen.query_one("#filter-label").value = "frame\x1fCrime and punishment"
        await pilot.click("#apply")
        await settle(pilot)
        assert screen(app).query_one(EventList).event_ids == [events[1].id]
        await pilot.press("f")
        app.screen.query_one("#filter-label").clear()
        app.screen.query_one("#filter-status").value = "unannotated"
        await pilot.click("#apply")
        await settle(pilot)
        assert screen(app).query_one(EventList).event_ids == [
            e.id for e in events if e.id != events[1].id
        ]
        await pilot.press("f")
        app.screen.query_one("#filter-status").value = "annotated"
        await pilot.click("#apply")
        await settle(pilot)
        assert screen(app).query_one(EventList).event_ids == [events[1].id]
        assert screen(app).view.summary.id == events[1].id


async def test_blind_coding_and_the_adjudication_toggle(event_db):
    events, passages = events_in(event_db)
    target = passages[events[0].id][0].id
    db = open_db(event_db)
    annotations_store.toggle_label(db, "bob", target, "frame", "Morality")
    annotations_store.set_single_label(db, "bob", target, "stance", "AGAINST")
    db.close()
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        assert "Morality" not in widget_text(focused_passage(app))
        panel = screen(app).query_one(AdjudicationPanel)
        assert not panel.display
        # refused before alice has coded the passage, and after a frame alone
        for keys in (("a",), ("2", "a")):
            await pilot.press(*keys)
            await settle(pilot)
            assert not panel.display and "bob" not in widget_text(panel)
        refusals = [n.message for n in app._notifications if n.title == "Blind coding"]
        assert len(refusals) == 2 and "still missing: stance" in refusals[-1]
        await pilot.press("plus", "a")
        await settle(pilot)
        assert panel.display
        assert "bob: frame=Morality; stance=AGAINST" in widget_text(panel)
        assert "alice: frame=Capacity and resources; stance=FAVOR" in widget_text(panel)
        # on another passage (not coded yet) the panel stays open but shows no labels
        await pilot.press("l")
        await settle(pilot)
        assert focused_passage(app).passage.id != target
        assert panel.display and "bob" not in widget_text(panel)
        assert "once you have coded this passage completely" in widget_text(panel)
        await pilot.press("h")
        await settle(pilot)
        assert "bob: frame=Morality" in widget_text(panel)
        # another event: the panel closes
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert not panel.display
        await pilot.press("left_square_bracket", "a")
        await settle(pilot)
        assert panel.display
        await pilot.press("a")
        assert not panel.display
    assert db_rows(event_db, "SELECT count(*) FROM role_log") == [(0,)]


async def test_the_adjudicator_role_sees_every_label_and_is_logged(event_db):
    events, passages = events_in(event_db)
    target = passages[events[0].id][0].id
    db = open_db(event_db)
    annotations_store.set_single_label(db, "bob", target, "stance", "AGAINST")
    db.close()
    app = make_app(event_db, "carol", adjudicator=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "adjudicator" in app.sub_title
        await pilot.press("a")
        await settle(pilot)
        panel = screen(app).query_one(AdjudicationPanel)
        assert panel.display and "bob: stance=AGAINST" in widget_text(panel)
    assert db_rows(event_db, "SELECT annotator, role, via FROM role_log") == [
        ("carol", "adjudicator", "tui")
    ]


async def test_asks_for_the_annotator_once(event_db):
    app = make_app(event_db, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AnnotatorScreen)
        # the explanation wraps inside the dialog instead of running past its edge
        dialog = app.screen.query_one("#annotator-dialog")
        explanation = next(
            label for label in app.screen.query(Label) if "blind coding" in str(label.content)
        )
        assert explanation.region.height >= 2
        assert explanation.region.right <= dialog.content_region.right
        await pilot.press("enter")  # empty: refused
        assert isinstance(app.screen, AnnotatorScreen)
        await pilot.press(*"carol", "enter")
        await settle(pilot)
        assert app.annotator == "carol"
        await pilot.press("3")
        await settle(pilot)
    assert db_rows(event_db, "SELECT value FROM settings WHERE key = 'annotator'") == [("carol",)]
    assert db_rows(event_db, "SELECT DISTINCT annotator FROM annotations") == [("carol",)]
    app = make_app(event_db, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, AnnotatorScreen) and app.annotator == "carol"


async def test_a_database_without_events_says_to_align(seed_db):
    app = make_app(seed_db, "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = widget_text(screen(app).query_one("#event-header"))
        assert f"No events in {seed_db.name} yet: run 'nato-compare align --db {seed_db}'" in header
        await pilot.press("1", "n", "right_square_bracket")  # nothing to do, nothing breaks
        await settle(pilot)
    assert db_rows(seed_db, "SELECT count(*) FROM annotations") == [(0,)]


async def test_a_failed_write_is_reported_not_a_crash(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        target = focused_passage(app).passage.id
        db_rows(
            event_db, "DELETE FROM passages WHERE id = ?", (target,)
        )  # gone behind the app's back
        import sqlite3

        conn = sqlite3.connect(event_db)
        conn.execute("DELETE FROM event_passages WHERE passage_id = ?", (target,))
        conn.execute("DELETE FROM passages WHERE id = ?", (target,))
        conn.commit()
        conn.close()
        await pilot.press("1")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert f"no passage {target} in the database" in messages
        assert app.is_running
        await pilot.press("l", "1")
        await settle(pilot)
    assert len(db_rows(event_db, "SELECT * FROM annotations")) == 1


async def test_narrow_terminal_scrolls_sideways_to_each_outlet(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        columns = list(screen(app).query(OutletColumn))
        assert len(columns) > 1
        for index in range(len(columns)):
            passage = focused_passage(app)
            assert passage.column is columns[index]
            region = passage.column.region
            assert region.width > 20 and 0 <= region.x and region.right <= 80, region
            await pilot.press("l")
            await settle(pilot)


async def test_help_lists_every_key(event_db):
    app = make_app(event_db, "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(widget_text(w) for w in app.screen.query("Static"))
        for needle in ("Next to code", "Undo", "Redo", "All annotators", "Economic", "FAVOR"):
            assert needle in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_events_read_ahead_never_show_stale_labels(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")  # shown from the read-ahead
        await settle(pilot)
        assert focused_passage(app).passage.id == passages[events[1].id][0].id
        await pilot.press("3", "left_square_bracket")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "frame: Morality" in widget_text(focused_passage(app))
        await pilot.press("u", "left_square_bracket")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "no labels yet" in widget_text(focused_passage(app))
        assert labels_of(event_db, passages[events[1].id][0].id) == []


async def test_a_long_passage_scrolls_before_the_focus_moves_on(fixed_event_db):
    app = make_app(fixed_event_db, "alice")
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(pilot)
        await pilot.pause()
        view = screen(app)
        # the first passage taller than its column, wherever it is
        target = next(
            (
                (c, r)
                for c, column in enumerate(view.grid)
                for r, p in enumerate(column)
                if p.height > p.column.scrollable_content_region.height
            ),
            None,
        )
        assert target is not None, "the first fixed event has a passage longer than 80x20 shows"
        for _ in range(target[0]):
            await pilot.press("l")
        for _ in range(target[1]):
            await pilot.press("j")
        await settle(pilot)
        passage = focused_passage(app)
        column = passage.column
        top = column.scroll_y
        await pilot.press("j")
        await settle(pilot)
        assert focused_passage(app) is passage and column.scroll_y > top
        await pilot.press("k")
        await settle(pilot)
        assert focused_passage(app) is passage and column.scroll_y < top + 1


async def test_clicking_an_event_in_the_list_opens_it(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.click("#events", offset=(4, 2))  # row 2 of the widget = the second event
        await settle(pilot)
        assert screen(app).view.summary.id == events[1].id
        assert focused_passage(app).passage.id == passages[events[1].id][0].id
        await pilot.click("#events", offset=(4, 0))  # the border: nothing happens
        await settle(pilot)
        assert screen(app).view.summary.id == events[1].id


async def test_q_quits_and_everything_is_already_saved(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert labels_of(event_db, passages[events[0].id][0].id) == [("frame", "Health and safety")]


async def test_columns_paint_the_passages_of_the_event_shown(event_db):
    events, passages = events_in(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        for key, index in (
            ("right_square_bracket", 1),
            ("right_square_bracket", 2),
            ("left_square_bracket", 1),
        ):  # read ahead, read ahead, back
            await pilot.press(key)
            await settle(pilot)
            columns = [c for c in screen(app).query(OutletColumn) if c.display]
            shown = {column.key: painted_text(column) for column in columns}
            first_in_column = {}
            for passage in passages[events[index].id]:
                first_in_column.setdefault(passage.column, passage)
            assert set(shown) == set(first_in_column)
            for key_, passage in first_in_column.items():
                assert " ".join(passage.text.split()[:4]) in shown[key_], (index, key_)


async def test_moving_back_shows_the_event_left_without_reading_it_unless_written(
    event_db, monkeypatch
):
    from nato_compare.tui import data

    events, passages = events_in(event_db)
    first = events[0].id
    reads: list[str] = []
    load_event = data.load_event

    def counted(db, annotator, event_id, *args):
        reads.append(event_id)
        return load_event(db, annotator, event_id, *args)

    monkeypatch.setattr(data, "load_event", counted)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        reads.clear()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reads == [events[2].id]  # the next one read ahead; the one left is kept
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen(app).view.summary.id == first and first not in reads
        await pilot.press("1")  # a label on it: a view read before this write is stale
        await settle(pilot)
        reads.clear()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert first in reads  # read again (ahead, as a neighbour), not kept
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "frame: Economic" in widget_text(focused_passage(app))
        assert "frame: Economic" in painted_text(focused_passage(app).column)
