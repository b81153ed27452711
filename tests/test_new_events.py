"""An analyst's new event of two passages: what it writes, what it refuses, undo and redo, and
what the next alignment does with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.events_fixture import CGTN, HERALD, MINISTERS, RUTTE, apart_from, build_event_db
from nato_compare.alignment.database import align_db
from nato_compare.errors import NatoCompareError
from nato_compare.model import event_id, event_label
from nato_compare.store import annotations, judgements, open_db
from nato_compare.store.new_events import new_event
from nato_compare.tui.data import apply_undo

TABLES = ("events", "event_passages", "judgements", "action_log", "alignments")


def pid(db, article: str, seq: int) -> str:
    return db.execute(
        "SELECT id FROM passages WHERE article_id = ? AND seq = ?", [article, seq]
    ).fetchone()[0]


def snapshot(db) -> dict[str, list[tuple]]:
    return {t: sorted(map(tuple, db.execute(f"SELECT * FROM {t}"))) for t in TABLES}


def members(db, event: str) -> set[str]:
    return {
        r[0]
        for r in db.execute("SELECT passage_id FROM event_passages WHERE event_id = ?", [event])
    }


def claim_member(db) -> tuple[str, str]:
    """(event, passage): a passage the aligner put in an event through one of its sentences."""
    row = db.execute(
        "SELECT ep.event_id, ep.passage_id FROM event_passages ep JOIN events e "
        "ON e.id = ep.event_id WHERE ep.claims != '[]' ORDER BY e.seq, ep.passage_id LIMIT 1"
    ).fetchone()
    assert row is not None, "the aligner put no passage in an event through a claim"
    return row[0], row[1]


def suggested_apart(db) -> tuple[str, str, str]:
    """(event, passage, other): a passage in an event through one of its sentences, and a
    passage of another outlet the aligner scored against it (a suggestion) but left out: an
    accepted link between the two would join the other to that sentence's event."""
    row = db.execute(
        "SELECT ep.event_id, ep.passage_id, CASE WHEN s.passage_a = ep.passage_id "
        "THEN s.passage_b ELSE s.passage_a END FROM suggestions s JOIN event_passages ep "
        "ON ep.passage_id IN (s.passage_a, s.passage_b) AND ep.claims != '[]' "
        "ORDER BY s.score DESC, ep.event_id LIMIT 1"
    ).fetchone()
    assert row is not None, "the aligner suggested nothing for a passage of an event"
    return row[0], row[1], row[2]


@pytest.fixture
def aligned(tmp_path: Path) -> Path:
    """The seed articles aligned by the real aligner."""
    return build_event_db(tmp_path / "aligned.db")


def test_a_new_event_holds_both_passages_and_undo_redo_remove_and_restore_it(
    aligned: Path,
) -> None:
    db = open_db(aligned)
    old_event, p = claim_member(db)
    q = apart_from(db, p)
    first = min(p, q)
    text = db.execute("SELECT text FROM passages WHERE id = ?", [first]).fetchone()[0]
    run, last_seq = db.execute("SELECT max(run_id), max(seq) FROM events").fetchone()
    before = snapshot(db)

    action = new_event(db, "alice", p, q)

    new_id = event_id(first, -1)  # as the aligner names an event of an analyst's link
    assert action["event_id"] == new_id
    assert db.execute(
        "SELECT run_id, seq, label, passages, outlets FROM events WHERE id = ?", [new_id]
    ).fetchone() == (run, last_seq + 1, event_label(text), 2, 2)
    assert members(db, new_id) == {p, q}
    assert db.execute(
        "SELECT DISTINCT claims FROM event_passages WHERE event_id = ?", [new_id]
    ).fetchall() == [("[]",)]
    assert p in members(db, old_event)  # it stays in the event it was in
    a, b = judgements.ordered(p, q)
    assert db.execute(
        "SELECT annotator, kind, passage_a, passage_b, verdict, via FROM judgements"
    ).fetchall() == [("alice", "link", a, b, "same", "new_event")]
    assert action["description"].startswith("new event of ")
    after = snapshot(db)

    # undone the way the interface does it: where the passage is now, and the list changed
    change = apply_undo(db, "alice")
    assert change is not None and change.events and change.event_id == old_event
    assert snapshot(db) == {**before, "action_log": snapshot(db)["action_log"]}
    change = apply_undo(db, "alice", redo=True)
    assert change is not None and change.events and change.event_id == new_id
    assert {t: rows for t, rows in snapshot(db).items() if t != "action_log"} == {
        t: rows for t, rows in after.items() if t != "action_log"
    }
    db.close()


def test_passages_of_two_unknown_outlets_count_as_two(aligned: Path) -> None:
    db = open_db(aligned)
    ministers, rutte = pid(db, MINISTERS, 0), pid(db, RUTTE, 0)
    assert (ministers, rutte) not in judgements.together_pairs(
        db, [judgements.ordered(ministers, rutte)]
    )
    made = new_event(db, "alice", ministers, rutte)["event_id"]
    assert db.execute("SELECT passages, outlets FROM events WHERE id = ?", [made]).fetchone() == (
        2,
        2,
    )
    db.close()


def refusal_cases(db) -> dict[str, tuple[str, str, str]]:
    """Name -> (passage, other passage, what the refusal says)."""
    event, p = claim_member(db)
    mate = next(iter(members(db, event) - {p}))
    q = apart_from(db, p)
    herald = [pid(db, HERALD, 0), pid(db, HERALD, 1)]
    judgements.judge_link(db, "bob", p, q, "different")
    return {
        "one passage twice": (p, p, "a new event needs two different passages"),
        "one outlet": (*herald, "both passages are from The Eastern Herald"),
        "held by an event": (p, mate, "already holds both passages"),
        "rejected": (q, p, "bob rejected the link between these passages"),
        "unknown passage": (p, "p-nothing", "no passage p-nothing"),
    }


@pytest.mark.parametrize(
    "case", ["one passage twice", "one outlet", "held by an event", "rejected", "unknown passage"]
)
def test_a_refused_new_event_says_why_and_writes_nothing(aligned: Path, case: str) -> None:
    db = open_db(aligned)
    a, b, says = refusal_cases(db)[case]
    before = snapshot(db)
    with pytest.raises(NatoCompareError, match=says):
        new_event(db, "alice", a, b)
    assert snapshot(db) == before
    assert annotations.undo(db, "alice") is None  # nothing logged either
    db.close()


def test_no_new_event_before_the_first_alignment(seed_db: Path) -> None:
    db = open_db(seed_db)
    a, b = pid(db, CGTN, 0), pid(db, HERALD, 0)
    with pytest.raises(NatoCompareError, match="no alignment run yet: run 'nato-compare align'"):
        new_event(db, "alice", a, b)
    assert snapshot(db) == {t: [] for t in TABLES}
    db.close()


def test_a_passage_in_an_event_by_a_link_only_makes_no_second_one(aligned: Path) -> None:
    """Tied by the passage itself, its events would merge at the next alignment: refused, and
    the analyst told to attach instead."""
    db = open_db(aligned)
    _, p = claim_member(db)
    q = apart_from(db, p)
    new_event(db, "alice", p, q)
    third = apart_from(db, q)
    with pytest.raises(NatoCompareError, match=r"by an analyst's link only.*attach it"):
        new_event(db, "alice", q, third)
    db.close()


def test_the_next_alignment_keeps_the_new_event_and_what_was_said_about_it(
    aligned: Path,
) -> None:
    db = open_db(aligned)
    old_event, p, q = suggested_apart(db)
    made = new_event(db, "alice", p, q)["event_id"]
    assert judgements.link_claims(db, [judgements.ordered(p, q)]) == {
        judgements.ordered(p, q): (None, None)
    }
    annotations.set_event_note(db, "alice", made, "both report the pledge")
    judgements.judge_event(db, "alice", made, "same_fact")
    judgements.set_event_title(db, "alice", made, "The pledge")
    annotations.toggle_label(db, "alice", q, "frame", "Economic", made)
    db.close()

    for _ in range(2):  # and again: the run it made steers the next one the same way
        align_db(aligned)
        db = open_db(aligned)
        assert members(db, made) == {p, q}
        assert p in members(db, old_event)  # still in the event of its own sentence
        assert q not in members(db, old_event)
        assert annotations.event_note(db, "alice", made) == "both report the pledge"
        assert judgements.reviewed_events(db, "alice") == {made}
        assert judgements.event_titles(db, "alice") == {made: "The pledge"}
        assert annotations.labels_for_passages(db, "alice", [q])[q].labels == {
            "frame": ["Economic"]
        }
        db.close()


def test_undo_after_the_next_alignment_removes_the_event_it_found_again(aligned: Path) -> None:
    db = open_db(aligned)
    _, p, q = suggested_apart(db)
    made = new_event(db, "alice", p, q)["event_id"]
    db.close()
    align_db(aligned)
    db = open_db(aligned)
    assert members(db, made) == {p, q}
    annotations.undo(db, "alice")
    assert not db.execute("SELECT 1 FROM events WHERE id = ?", [made]).fetchone()
    assert members(db, made) == set()
    assert judgements.link_verdicts(db) == {}
    annotations.redo(db, "alice")
    assert members(db, made) == {p, q}
    db.close()


def test_the_latest_verdict_on_the_pair_decides_how_the_next_alignment_ties_it(
    aligned: Path,
) -> None:
    db = open_db(aligned)
    _, p, q = suggested_apart(db)
    pair = judgements.ordered(p, q)
    new_event(db, "alice", p, q)
    assert judgements.link_claims(db, [pair]) == {pair: (None, None)}
    with db.atomic():  # bob accepts the link later
        db.execute("UPDATE judgements SET created_at = '2000-01-01T00:00:00+00:00'")
    judgements.judge_link(db, "bob", p, q, "same")
    # in the new event: he agrees with it, and it is found again
    assert judgements.link_claims(db, [pair]) == {pair: (None, None)}
    db.close()
    align_db(aligned, use_judgements=False)  # a run that does not hold the new event
    db = open_db(aligned)
    assert judgements.link_claims(db, [pair]) == {}  # an accepted link like any other
    db.close()


def test_another_annotator_accepting_the_new_events_link_keeps_the_event(aligned: Path) -> None:
    """Bob presses y on the pair in Alice's new event (he agrees): the next alignment still
    finds the event, with its passages, and Alice's verdict and title stay on it (the pair is
    not tied into the event of the first passage's sentence instead)."""
    db = open_db(aligned)
    old_event, p = claim_member(db)
    keys = judgements.passage_outlet_keys(db, [r[0] for r in db.execute("SELECT id FROM passages")])
    q = db.execute(  # a passage no event holds (tied by a sentence, it would join old_event)
        "SELECT id FROM passages WHERE id NOT IN (SELECT passage_id FROM event_passages) "
        "ORDER BY id"
    ).fetchall()
    q = next(r[0] for r in q if keys[r[0]] != keys[p])
    made = new_event(db, "alice", p, q)["event_id"]
    judgements.judge_event(db, "alice", made, "same_fact")
    judgements.set_event_title(db, "alice", made, "The pledge")
    with db.atomic():  # Alice's link is older than Bob's
        db.execute("UPDATE judgements SET created_at = '2000-01-01T00:00:00+00:00'")
    judgements.judge_link(db, "bob", p, q, "same", event_id=made)
    db.close()

    for _ in range(2):
        align_db(aligned)
        db = open_db(aligned)
        assert members(db, made) == {p, q}
        assert q not in members(db, old_event)
        assert judgements.reviewed_events(db, "alice") == {made}
        assert judgements.event_titles(db, "alice") == {made: "The pledge"}
        db.close()


def test_undoing_a_new_event_another_annotator_added_to_leaves_no_event_of_one_passage(
    aligned: Path,
) -> None:
    """Bob attaches a third passage to Alice's new event, then Alice undoes it: no event of
    Bob's passage alone is left in the list (an event joins reports of two outlets at least);
    Bob's link stays, and the next alignment makes its event."""
    db = open_db(aligned)
    _, p = claim_member(db)
    q = apart_from(db, p)
    made = new_event(db, "alice", p, q)["event_id"]
    keys = judgements.passage_outlet_keys(db, [r[0] for r in db.execute("SELECT id FROM passages")])
    r = next(
        row[0]
        for row in db.execute(
            "SELECT id FROM passages WHERE id NOT IN (SELECT passage_id FROM event_passages) "
            "ORDER BY id"
        )
        if keys[row[0]] not in (keys[p], keys[q])
    )
    judgements.attach(db, "bob", made, r, q)
    annotations.undo(db, "alice")
    assert not db.execute("SELECT 1 FROM events WHERE id = ?", [made]).fetchone()
    assert not db.execute(
        "SELECT 1 FROM event_passages WHERE event_id NOT IN (SELECT id FROM events)"
    ).fetchone()
    assert not db.execute("SELECT 1 FROM events WHERE passages < 2").fetchone()
    assert judgements.link_verdicts(db, "bob") == {judgements.ordered(q, r): "same"}
    db.close()
    align_db(aligned)
    db = open_db(aligned)
    held = db.execute(
        "SELECT 1 FROM event_passages x JOIN event_passages y ON x.event_id = y.event_id "
        "WHERE x.passage_id = ? AND y.passage_id = ?",
        [q, r],
    ).fetchone()
    assert held
    db.close()


def test_undoing_a_new_event_keeps_the_notice_of_what_changed_in_the_passages_event(
    aligned: Path,
) -> None:
    """Alice saw the passage's event, made a new event; meanwhile Bob attached a passage to the
    event she saw. Undoing her new event lands her there: the notice still tells her of Bob's
    passage (her undo changed nothing in that event, so it is not marked as seen)."""
    from nato_compare.tui.review_data import load_review

    db = open_db(aligned)
    old_event, p = claim_member(db)
    shown = sorted(members(db, old_event))
    assert load_review(db, "alice", old_event, shown).notice is None  # she sees it
    q = apart_from(db, p)
    new_event(db, "alice", p, q)
    keys = judgements.passage_outlet_keys(db, [r[0] for r in db.execute("SELECT id FROM passages")])
    r = next(
        row[0]
        for row in db.execute(
            "SELECT id FROM passages WHERE id NOT IN (SELECT passage_id FROM event_passages) "
            "ORDER BY id"
        )
        if keys[row[0]] not in {keys[m] for m in shown} | {keys[q]}
    )
    judgements.attach(db, "bob", old_event, r, p)

    change = apply_undo(db, "alice")
    assert change is not None and change.event_id == old_event
    notice = load_review(db, "alice", old_event, sorted(members(db, old_event))).notice
    assert notice is not None and "joined since you last saw it" in notice
    db.close()


def test_a_passage_attached_to_a_new_event_stays_in_it_after_the_next_alignment(
    aligned: Path,
) -> None:
    """A new event of two passages that each state a fact of another event; a third passage
    attached to it (as the refusal of a second new event advises): the next alignment keeps the
    third with the new event, not in the event of its anchor's own sentence."""
    db = open_db(aligned)
    rows = db.execute(
        "SELECT ep.event_id, ep.passage_id FROM event_passages ep WHERE ep.claims != '[]' "
        "ORDER BY ep.event_id, ep.passage_id"
    ).fetchall()
    everyone = [r[0] for r in db.execute("SELECT id FROM passages")]
    keys = judgements.passage_outlet_keys(db, everyone)
    (e1, p), (e2, q) = next(
        (x, y) for x in rows for y in rows if x[0] < y[0] and keys[x[1]] != keys[y[1]]
    )
    made = new_event(db, "alice", p, q)["event_id"]
    in_events = {r[0] for r in db.execute("SELECT passage_id FROM event_passages")}
    r = next(
        x for x in sorted(everyone) if x not in in_events and keys[x] not in (keys[p], keys[q])
    )
    judgements.attach(db, "alice", made, r, q)
    db.close()

    for _ in range(2):
        align_db(aligned)
        db = open_db(aligned)
        (holding,) = [  # renamed after r when its id comes first, as the aligner names events
            e for e in (made, event_id(min(p, q, r), -1)) if {p, q} <= members(db, e)
        ]
        assert members(db, holding) == {p, q, r}
        assert r not in members(db, e2)
        db.close()


def test_undoing_an_attach_of_a_new_events_passage_leaves_the_new_event_whole(
    aligned: Path,
) -> None:
    """Alice makes a new event of a passage and a member of another event, then attaches the
    first passage to that event too, and undoes the attach: the new event keeps both passages
    (the link that made it is still there)."""
    db = open_db(aligned)
    event, member = claim_member(db)
    other = apart_from(db, member)
    made = new_event(db, "alice", member, other)["event_id"]
    judgements.attach(db, "alice", event, other, member)
    annotations.undo(db, "alice")
    assert members(db, made) == {member, other}
    assert other not in members(db, event)
    assert judgements.link_verdicts(db, "alice") == {judgements.ordered(member, other): "same"}
    db.close()
