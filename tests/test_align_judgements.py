"""Judgements steer `nato-compare align`, and `align --evaluate` measures a run against them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.events_fixture import CGTN, HERALD, ICARO, MINISTERS, RUTTE, insert_seed_events
from nato_compare.alignment.evaluation import wilson
from nato_compare.cli import main
from nato_compare.store import open_db
from nato_compare.store.judgements import judge_link


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def pid(db, article: str, seq: int) -> str:
    return db.execute(
        "SELECT id FROM passages WHERE article_id = ? AND seq = ?", [article, seq]
    ).fetchone()[0]


def together(db_path: Path, a: str, b: str) -> bool:
    conn = sqlite3.connect(db_path)
    try:
        return bool(
            conn.execute(
                "SELECT 1 FROM event_passages x JOIN event_passages y ON x.event_id = y.event_id "
                "WHERE x.passage_id = ? AND y.passage_id = ?",
                [a, b],
            ).fetchone()
        )
    finally:
        conn.close()


def test_wilson_interval_matches_the_formula() -> None:
    # 2 of 4: p = 0.5, z^2 = 3.8415; centre (0.5 + 3.8415/8) / (1 + 3.8415/4) = 0.5,
    # half-width 1.96 / 1.9604 * sqrt(0.25/4 + 3.8415/64) = 0.3500
    low, high = wilson(2, 4)
    assert (round(low, 3), round(high, 3)) == (0.150, 0.850)
    assert wilson(0, 0) is None


def test_evaluate_prints_precision_and_recall_per_outlet_pair(seed_db: Path) -> None:
    insert_seed_events(seed_db)  # e-0001: CGTN 1, ICARO 0, HERALD 0, MINISTERS 3;
    # e-0002: RUTTE 5, MINISTERS 7, CGTN 13; e-0003: CGTN 2, HERALD 13, MINISTERS 5
    db = open_db(seed_db)
    p = lambda article, seq: pid(db, article, seq)  # noqa: E731
    judge_link(db, "alice", p(CGTN, 1), p(ICARO, 0), "same")  # together, but bob rejects: FP
    judge_link(db, "bob", p(CGTN, 1), p(ICARO, 0), "different")
    judge_link(db, "alice", p(CGTN, 1), p(HERALD, 0), "different")  # together: FP
    judge_link(db, "alice", p(ICARO, 0), p(HERALD, 0), "same")  # together: TP
    judge_link(db, "alice", p(CGTN, 2), p(ICARO, 0), "same")  # apart: FN
    judge_link(db, "alice", p(RUTTE, 5), p(MINISTERS, 7), "same")  # together: TP
    judge_link(db, "alice", p(CGTN, 13), p(HERALD, 13), "different")  # apart: TN
    db.close()
    result = run("align", "--evaluate", "--db", seed_db)
    assert result.exit_code == 0, result.output
    lines = {line.split("  ")[0]: " ".join(line.split()) for line in result.stdout.splitlines()}
    # all: TP 2, FP 2, FN 1, TN 1. precision 2/4 = 0.500, Wilson (0.150-0.850);
    # recall 2/3 = 0.667, Wilson: centre (0.6667 + 3.8415/6) / (1 + 3.8415/3) = 0.5731,
    # half-width 1.96 / 2.2805 * sqrt(0.2222/3 + 3.8415/36) = 0.3654 -> (0.208-0.939)
    assert lines["all"] == "all 6 2 2 1 1 0.500 (0.150-0.850) 0.667 (0.208-0.939)"
    # CGTN | ICARO: one FP (the rejected link is not outvoted) and one FN: 0/1 each,
    # Wilson 0/1: centre (3.8415/2) / 4.8415 = 0.3967 = half-width -> (0.000-0.793)
    assert lines["CGTN | ICARO Media Group"] == (
        "CGTN | ICARO Media Group 2 0 1 1 0 0.000 (0.000-0.793) 0.000 (0.000-0.793)"
    )
    # CGTN | Eastern Herald: one FP, one TN, no 'same' pair: no recall
    assert lines["CGTN | The Eastern Herald"] == (
        "CGTN | The Eastern Herald 2 0 1 0 1 0.000 (0.000-0.793) -"
    )
    assert result.stderr == ""  # the fixed events were not steered by the judgements


def test_evaluate_without_judgements_or_run_is_one_line(seed_db: Path) -> None:
    result = run("align", "--evaluate", "--db", seed_db)
    assert result.exit_code == 1
    assert result.stderr == f"Error: no alignment in {seed_db}: run 'nato-compare align' first\n"
    insert_seed_events(seed_db)
    result = run("align", "--evaluate", "--db", seed_db)
    assert result.exit_code == 1
    assert "no link judgements in" in result.stderr and result.stderr.count("\n") == 1
    result = run("align", "--evaluate", "--output", "x.csv", "--db", seed_db)
    assert result.exit_code == 2


@pytest.fixture
def aligned(seed_db: Path) -> Path:
    result = run("align", "--db", seed_db)
    assert result.exit_code == 0, result.output
    return seed_db


def test_rejected_link_stays_apart_and_accepted_one_together_after_align(aligned: Path) -> None:
    conn = sqlite3.connect(aligned)
    # a link the aligner made: two members of one event, from different outlets
    rejected = conn.execute(
        "SELECT passage_a, passage_b FROM alignments WHERE event_id IS NOT NULL "
        "ORDER BY score DESC LIMIT 1"
    ).fetchone()
    # a pair the aligner kept apart: CGTN's and ICARO's first passages in no event
    alone = (
        "SELECT p.id FROM passages p WHERE p.article_id = ? AND p.id NOT IN "
        "(SELECT passage_id FROM event_passages) ORDER BY p.seq LIMIT 1"
    )
    accepted = (
        conn.execute(alone, [CGTN]).fetchone()[0],
        conn.execute(alone, [ICARO]).fetchone()[0],
    )
    conn.close()
    assert together(aligned, *rejected) and not together(aligned, *accepted)
    db = open_db(aligned)
    judge_link(db, "alice", *rejected, "different")
    judge_link(db, "alice", *accepted, "same")
    db.close()

    result = run("align", "--db", aligned)
    assert result.exit_code == 0, result.output
    assert "1 accepted and 1 rejected links kept" in result.stderr
    assert not together(aligned, *rejected)
    assert together(aligned, *accepted)

    # and the run, steered by them, measures as right by construction (said so on stderr)
    result = run("align", "--evaluate", "--db", aligned)
    assert "all 2 1 0 0 1 1.000" in " ".join(result.stdout.split())
    assert "right by construction" in result.stderr

    # --ignore-judgements: the aligner's own view again
    result = run("align", "--ignore-judgements", "--db", aligned)
    assert result.exit_code == 0, result.output
    assert together(aligned, *rejected) and not together(aligned, *accepted)


def events_holding(db_path: Path, a: str, b: str) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT x.event_id FROM event_passages x JOIN event_passages y "
                "ON x.event_id = y.event_id WHERE x.passage_id = ? AND y.passage_id = ?",
                [a, b],
            )
        ]
    finally:
        conn.close()


def test_notes_and_verdicts_follow_an_event_a_new_run_renames(aligned: Path) -> None:
    from nato_compare.store import annotations, judgements

    db = open_db(aligned)
    try:
        event = db.execute("SELECT id FROM events ORDER BY seq LIMIT 1").fetchone()[0]
        annotations.set_event_note(db, "alice", event, "the pledge, as each outlet frames it")
        judgements.judge_event(db, "alice", event, "same_fact")
        # as an earlier version named it: the next run finds it under today's id
        with db.atomic():
            db.execute(
                "INSERT INTO events (id, run_id, seq, label, passages, outlets) SELECT "
                "'ev-older', run_id, seq, label, passages, outlets FROM events WHERE id = ?",
                [event],
            )
            for table in ("event_passages", "event_notes", "judgements", "alignments"):
                db.execute(f"UPDATE {table} SET event_id = 'ev-older' WHERE event_id = ?", [event])
            db.execute("DELETE FROM events WHERE id = ?", [event])
    finally:
        db.close()
    assert run("align", "--db", aligned).exit_code == 0
    db = open_db(aligned)
    try:
        assert annotations.event_note(db, "alice", event) == "the pledge, as each outlet frames it"
        assert event in judgements.reviewed_events(db, "alice")
        assert not db.execute("SELECT 1 FROM event_notes WHERE event_id = 'ev-older'").fetchone()
    finally:
        db.close()


def test_an_accepted_link_of_a_database_from_before_claims_makes_no_second_event(
    aligned: Path,
) -> None:
    conn = sqlite3.connect(aligned)
    a, b = conn.execute(
        "SELECT passage_a, passage_b FROM alignments WHERE event_id IS NOT NULL LIMIT 1"
    ).fetchone()
    conn.execute("UPDATE event_passages SET claims = '[]'")  # as the migration leaves them
    conn.commit()
    conn.close()
    db = open_db(aligned)
    judge_link(db, "alice", a, b, "same")
    db.close()
    for _ in range(2):
        assert run("align", "--db", aligned).exit_code == 0
        assert len(events_holding(aligned, a, b)) == 1


def test_an_attached_passage_rejoins_its_event_after_a_run_without_judgements(
    aligned: Path,
) -> None:
    """Measuring with --ignore-judgements, then aligning again, keeps an attached passage in
    the event it was attached to (docs/reviewing.md), even though the run in between did not
    hold it and the aligner never scored it against its anchor."""
    from nato_compare.store import judgements

    conn = sqlite3.connect(aligned)
    # an event of the aligner, and a passage no event holds, of an article the event lacks
    event, anchor = conn.execute(
        "SELECT event_id, passage_id FROM event_passages ORDER BY event_id, passage_id LIMIT 1"
    ).fetchone()
    members = [
        r[0]
        for r in conn.execute(
            "SELECT p.article_id FROM event_passages ep JOIN passages p ON p.id = ep.passage_id "
            "WHERE ep.event_id = ?",
            [event],
        )
    ]
    outsider = conn.execute(
        "SELECT id FROM passages WHERE superseded_at IS NULL AND id NOT IN "
        "(SELECT passage_id FROM event_passages) AND id NOT IN "
        "(SELECT passage_a FROM alignments UNION SELECT passage_b FROM alignments) "
        f"AND article_id NOT IN ({','.join('?' * len(members))}) ORDER BY id LIMIT 1",
        members,
    ).fetchone()[0]
    conn.close()
    db = open_db(aligned)
    judgements.attach(db, "alice", event, outsider, anchor)
    db.close()
    with_event = set(events_holding(aligned, anchor, outsider))
    assert with_event == {event}

    assert run("align", "--ignore-judgements", "--db", aligned).exit_code == 0
    assert not together(aligned, anchor, outsider)
    assert run("align", "--db", aligned).exit_code == 0
    # back in the event of the anchor's claim, beside the anchor's partner: not a new event
    # of the two alone
    holding = events_holding(aligned, anchor, outsider)
    assert len(holding) == 1
    conn = sqlite3.connect(aligned)
    size = conn.execute(
        "SELECT count(*) FROM event_passages WHERE event_id = ?", [holding[0]]
    ).fetchone()[0]
    conn.close()
    assert size >= 3


def test_an_attached_passage_of_another_event_does_not_merge_the_two_events(
    aligned: Path,
) -> None:
    """A passage the aligner put in one event (its own fact), attached to another event, then a
    run without the judgements and a run with them: the accepted link keeps the two passages
    together, but does not weld the two facts into one event (the other members of each stay
    apart)."""
    from nato_compare.store import judgements

    conn = sqlite3.connect(aligned)
    rows = conn.execute(
        "SELECT ep.event_id, ep.passage_id, p.article_id FROM event_passages ep "
        "JOIN passages p ON p.id = ep.passage_id WHERE ep.claims != '[]' "
        "ORDER BY ep.event_id, ep.passage_id"
    ).fetchall()
    conn.close()
    by_event: dict[str, list[tuple[str, str]]] = {}
    for event, passage, article in rows:
        by_event.setdefault(event, []).append((passage, article))
    # two events with no article in common, no pair of them scored: one's passage attached to
    # the other
    first, second = next(
        (e, f)
        for e in sorted(by_event)
        for f in sorted(by_event)
        if e < f and not {a for _, a in by_event[e]} & {a for _, a in by_event[f]}
    )
    anchor, outsider = by_event[first][0][0], by_event[second][0][0]
    anchor_partner = by_event[first][1][0]
    outsider_partner = by_event[second][1][0]
    db = open_db(aligned)
    assert judgements.pair_score(db, anchor, outsider) is None
    judgements.attach(db, "alice", first, outsider, anchor)
    db.close()

    assert run("align", "--ignore-judgements", "--db", aligned).exit_code == 0
    assert run("align", "--db", aligned).exit_code == 0
    assert together(aligned, anchor, outsider)
    assert together(aligned, outsider, outsider_partner)  # still in the event of its own fact
    assert not together(aligned, anchor_partner, outsider_partner)  # the two facts stay apart
    assert run("align", "--db", aligned).exit_code == 0  # and so they stay
    assert together(aligned, anchor, outsider)
    assert not together(aligned, anchor_partner, outsider_partner)


def test_redo_of_an_attach_after_align_renamed_its_event_restores_the_link(
    aligned: Path,
) -> None:
    """Attach a passage whose id comes first (the next align names the event after it), align,
    undo, redo: the redo restores the accepted link (the next align puts the passage back)
    instead of failing on the event that is gone, and leaves no membership of a missing event."""
    from nato_compare.store import judgements
    from nato_compare.tui.data import apply_undo

    conn = sqlite3.connect(aligned)
    event, anchor = conn.execute(
        "SELECT event_id, passage_id FROM event_passages ORDER BY event_id, passage_id LIMIT 1"
    ).fetchone()
    articles = [
        r[0]
        for r in conn.execute(
            "SELECT p.article_id FROM event_passages ep JOIN passages p ON p.id = ep.passage_id "
            "WHERE ep.event_id = ?",
            [event],
        )
    ]
    first = conn.execute(  # before every member by id: the event is renamed after it
        "SELECT id FROM passages WHERE superseded_at IS NULL AND id < (SELECT min(passage_id) "
        f"FROM event_passages WHERE event_id = ?) AND article_id NOT IN "
        f"({','.join('?' * len(articles))}) ORDER BY id LIMIT 1",
        [event, *articles],
    ).fetchone()[0]
    conn.close()
    db = open_db(aligned)
    judgements.attach(db, "alice", event, first, anchor)
    db.close()
    assert run("align", "--db", aligned).exit_code == 0
    assert events_holding(aligned, anchor, first) != [event]  # renamed

    db = open_db(aligned)
    assert apply_undo(db, "alice") is not None
    assert judgements.link_verdicts(db) == {}
    change = apply_undo(db, "alice", redo=True)
    assert change is not None
    assert judgements.link_verdicts(db) == {judgements.ordered(anchor, first): "same"}
    assert not db.execute(
        "SELECT 1 FROM event_passages WHERE event_id NOT IN (SELECT id FROM events)"
    ).fetchone()
    db.close()
    assert run("align", "--db", aligned).exit_code == 0
    assert together(aligned, anchor, first)


def test_undo_of_an_attach_after_align_renamed_its_event_takes_the_passage_out(
    aligned: Path,
) -> None:
    """Attach a passage whose id comes first, align (the event is renamed after it), undo: the
    passage leaves the renamed event at once, as an undo before the align would."""
    from nato_compare.store import judgements
    import nato_compare.store.annotations as annotations

    conn = sqlite3.connect(aligned)
    event, anchor = conn.execute(
        "SELECT event_id, passage_id FROM event_passages ORDER BY event_id, passage_id LIMIT 1"
    ).fetchone()
    articles = [
        r[0]
        for r in conn.execute(
            "SELECT p.article_id FROM event_passages ep JOIN passages p ON p.id = ep.passage_id "
            "WHERE ep.event_id = ?",
            [event],
        )
    ]
    first = conn.execute(
        "SELECT id FROM passages WHERE superseded_at IS NULL AND id < (SELECT min(passage_id) "
        f"FROM event_passages WHERE event_id = ?) AND article_id NOT IN "
        f"({','.join('?' * len(articles))}) ORDER BY id LIMIT 1",
        [event, *articles],
    ).fetchone()[0]
    conn.close()
    db = open_db(aligned)
    judgements.attach(db, "alice", event, first, anchor)
    db.close()
    assert run("align", "--db", aligned).exit_code == 0
    (renamed,) = events_holding(aligned, anchor, first)
    assert renamed != event

    db = open_db(aligned)
    annotations.undo(db, "alice")
    db.close()
    assert not together(aligned, anchor, first)
    assert len(events_holding(aligned, anchor, anchor)) >= 1  # the event itself stays


def test_undo_of_an_attach_after_the_aligns_made_the_pair_an_event_removes_that_event(
    aligned: Path,
) -> None:
    """attach, align --ignore-judgements, align (the two passages, each in an event of its own
    fact, are an event of their own), undo: that event, made of the link alone, goes at once;
    the list is told to change."""
    from nato_compare.store import judgements
    from nato_compare.tui.data import apply_undo

    conn = sqlite3.connect(aligned)
    rows = conn.execute(
        "SELECT ep.event_id, ep.passage_id, p.article_id FROM event_passages ep "
        "JOIN passages p ON p.id = ep.passage_id WHERE ep.claims != '[]' "
        "ORDER BY ep.event_id, ep.passage_id"
    ).fetchall()
    conn.close()
    by_event: dict[str, list[tuple[str, str]]] = {}
    for event, passage, article in rows:
        by_event.setdefault(event, []).append((passage, article))
    first, second = next(
        (e, f)
        for e in sorted(by_event)
        for f in sorted(by_event)
        if e < f and not {a for _, a in by_event[e]} & {a for _, a in by_event[f]}
    )
    anchor, outsider = by_event[first][0][0], by_event[second][0][0]
    db = open_db(aligned)
    judgements.attach(db, "alice", first, outsider, anchor)
    db.close()
    assert run("align", "--ignore-judgements", "--db", aligned).exit_code == 0
    assert run("align", "--db", aligned).exit_code == 0
    (pair_event,) = events_holding(aligned, anchor, outsider)

    db = open_db(aligned)
    change = apply_undo(db, "alice")
    assert change is not None and change.events
    assert not db.execute("SELECT 1 FROM events WHERE id = ?", [pair_event]).fetchone()
    assert not db.execute("SELECT 1 FROM events WHERE passages < 2").fetchone()
    assert not db.execute(
        "SELECT 1 FROM event_passages WHERE event_id NOT IN (SELECT id FROM events)"
    ).fetchone()
    db.close()
    assert not together(aligned, anchor, outsider)
