"""A new event from the event view: N, a passage found by a search, Enter; undo takes it away."""

from __future__ import annotations

from pathlib import Path

from tests.events_fixture import apart_from
from tests.tui.helpers import db_rows, focused_passage, screen, settle, widget_text

from nato_compare.model import event_id
from nato_compare.store import open_db
from nato_compare.store.judgements import judge_link, pair_score, passage_outlet_keys
from nato_compare.store.worklist import ANNOTATED, EventFilter
from nato_compare.tui.app import make_app
from nato_compare.tui.screens.review_dialogs import NewEventScreen, NewEventStartScreen
from nato_compare.tui.widgets.evidence import EvidenceBar

SIZE = (160, 45)


def other_passage(db_path: Path, passage: str) -> tuple[str, str]:
    """A passage of another outlet that no event holds with ``passage``, and words of it to
    search for (the start of its text)."""
    db = open_db(db_path)
    try:
        other = apart_from(db, passage)
        text = db.execute("SELECT text FROM passages WHERE id = ?", [other]).fetchone()[0]
    finally:
        db.close()
    words = text[:30]
    assert words.isascii(), f"search words the test can type: {words!r}"
    return other, words


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_n_makes_an_event_of_the_focused_passage_and_a_found_one(event_db: Path) -> None:
    app = make_app(event_db, "alice")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        first_event = screen(app).view.summary.id
        mine = focused_passage(app).passage.id
        other, words = other_passage(event_db, mine)
        count = len(screen(app).event_list.event_ids)

        await pilot.press("N")
        await settle(pilot)
        await pilot.press("enter")  # start from the focused passage
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewEventScreen)
        # the suggestions: scored against the focused passage, of other outlets, none with it
        db = open_db(event_db)
        keys = passage_outlet_keys(db, [mine, *(c.passage_id for c in dialog.candidates)])
        db.close()
        for candidate in dialog.candidates:
            assert candidate.anchor_id == mine and keys[candidate.passage_id] != keys[mine]
        await pilot.press(*words)
        await settle(pilot)
        assert dialog.candidates[0].passage_id == other
        await pilot.press("enter")
        await settle(pilot)

        made = event_id(min(mine, other), -1)
        assert db_rows(
            event_db, "SELECT passage_id FROM event_passages WHERE event_id = ? ORDER BY 1", (made,)
        ) == sorted([(mine,), (other,)])
        events = screen(app).event_list
        assert screen(app).view.summary.id == made  # the screen is on it
        assert len(events.event_ids) == count + 1 and events.event_ids[events.cursor] == made
        assert " 0/2 " in events.prompt_at(events.cursor)  # with its progress
        assert (mine,) in db_rows(  # and the passage is still in the event it was in
            event_db, "SELECT passage_id FROM event_passages WHERE event_id = ?", (first_event,)
        )
        assert any(m.startswith("Saved: new event of ") for m in messages(app))
        bar = widget_text(screen(app).query_one(EvidenceBar))
        db = open_db(event_db)
        scored = pair_score(db, mine, other) is not None
        db.close()
        assert ("same fact ✓ accepted" if scored else "(your link) ✓ accepted") in bar

        await pilot.press("u")
        await settle(pilot)
        assert db_rows(event_db, "SELECT id FROM events WHERE id = ?", (made,)) == []
        assert made not in events.event_ids and len(events.event_ids) == count
        assert screen(app).view.summary.id == first_event  # back where the passage is
        assert focused_passage(app).passage.id == mine


async def test_a_refused_new_event_is_a_notice_and_writes_nothing(event_db: Path) -> None:
    app = make_app(event_db, "alice")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        mine = focused_passage(app).passage.id
        other, words = other_passage(event_db, mine)
        db = open_db(event_db)
        judge_link(db, "bob", mine, other, "different")
        db.close()
        events_before = db_rows(event_db, "SELECT * FROM events ORDER BY id")

        await pilot.press("N")
        await settle(pilot)
        await pilot.press("enter")  # start from the focused passage
        await settle(pilot)
        await pilot.press(*words)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert any("bob rejected the link between these passages" in m for m in messages(app))
        assert db_rows(event_db, "SELECT * FROM events ORDER BY id") == events_before
        assert db_rows(event_db, "SELECT count(*) FROM judgements WHERE annotator = 'alice'") == [
            (0,)
        ]


async def test_the_new_event_is_shown_where_the_filter_leaves_it_out(event_db: Path) -> None:
    """Listing only the events coded completely: the new event (not coded yet) is not listed,
    and the screen shows it all the same."""
    app = make_app(event_db, "alice")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        first_event = screen(app).view.summary.id
        mine = focused_passage(app).passage.id
        other, words = other_passage(event_db, mine)
        for _ in screen(app).view.passages:  # code the event completely: frame and stance
            await pilot.press("1", "plus", "j", "l")
            await settle(pilot)
        assert screen(app).view.summary.done == screen(app).view.summary.total
        screen(app).filter = EventFilter(status=ANNOTATED)
        screen(app).load_events()
        await settle(pilot)
        assert screen(app).event_list.event_ids == [first_event]
        for _ in screen(app).view.passages:  # back to the first passage
            await pilot.press("h", "k")
        await settle(pilot)
        assert focused_passage(app).passage.id == mine

        await pilot.press("N")
        await settle(pilot)
        await pilot.press("enter")  # start from the focused passage
        await settle(pilot)
        await pilot.press(*words)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        made = event_id(min(mine, other), -1)
        assert screen(app).view.summary.id == made
        assert screen(app).event_list.event_ids == [first_event]  # not coded: not listed
        assert "–/1 · event " in widget_text(screen(app).query_one("#event-header"))


async def test_a_new_event_may_start_from_a_passage_no_event_holds(event_db: Path) -> None:
    """A fact the aligner left out everywhere: N, search the first passage, then its partner."""
    app = make_app(event_db, "alice")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        mine = focused_passage(app).passage.id
        lone = db_rows(
            event_db,
            "SELECT id, text FROM passages WHERE superseded_at IS NULL AND id NOT IN "
            "(SELECT passage_id FROM event_passages) ORDER BY id LIMIT 1",
        )[0]
        first, first_words = lone[0], lone[1][:30]
        other, other_words = other_passage(event_db, first)
        assert first_words.isascii() and mine not in (first, other)

        await pilot.press("N")
        await settle(pilot)
        start = app.screen
        assert isinstance(start, NewEventStartScreen)
        assert [c.passage_id for c in start.candidates] == [mine]  # Enter: the focused one
        await pilot.press(*first_words)
        await settle(pilot)
        assert start.candidates[0].passage_id == first
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewEventScreen) and app.screen.passage.id == first
        await pilot.press(*other_words)
        await settle(pilot)
        assert app.screen.candidates[0].passage_id == other
        await pilot.press("enter")
        await settle(pilot)

        made = event_id(min(first, other), -1)
        assert db_rows(
            event_db, "SELECT passage_id FROM event_passages WHERE event_id = ? ORDER BY 1", (made,)
        ) == sorted([(first,), (other,)])
        assert screen(app).view.summary.id == made
        assert {ref.passage.id for column in screen(app).grid for ref in column} == {first, other}
