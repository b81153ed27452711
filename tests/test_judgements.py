"""Judgements on the alignment: stored per annotator, undone like labels, exported as links,
imported and merged back."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.common import SOURCES, dump
from tests.events_fixture import insert_seed_events
from tests.exchange_helpers import passage_ids

import nato_compare.store.annotations as store
from nato_compare.cli import main
from nato_compare.errors import NatoCompareError
from nato_compare.pipeline import ingest_sources
from nato_compare.store import judgements as J
from nato_compare.store import open_db
from nato_compare.store.seen_events import event_changes


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def members(db, event_id: str) -> list[str]:
    return sorted(
        r[0]
        for r in db.execute("SELECT passage_id FROM event_passages WHERE event_id = ?", [event_id])
    )


def link_table(db) -> list[tuple]:
    return db.execute(
        "SELECT annotator, passage_a, passage_b, verdict, via FROM judgements "
        "WHERE kind = 'link' ORDER BY 1, 2, 3"
    ).fetchall()


@pytest.fixture
def events_db(seed_db: Path) -> Path:
    insert_seed_events(seed_db)
    return seed_db


def test_accept_reject_toggle_and_undo_redo(events_db: Path) -> None:
    db = open_db(events_db)
    a, b = members(db, "e-0001")[:2]
    J.judge_link(db, "alice", b, a, "same")  # order does not matter: stored a < b
    assert link_table(db) == [("alice", a, b, "same", "accept")]
    J.judge_link(db, "alice", a, b, "different")
    assert link_table(db) == [("alice", a, b, "different", "reject")]
    J.judge_link(db, "alice", a, b, "different")  # the same verdict again clears it
    assert link_table(db) == []
    assert store.undo(db, "alice")["description"] == "link different cleared"
    assert link_table(db) == [("alice", a, b, "different", "reject")]
    store.undo(db, "alice")
    assert link_table(db) == [("alice", a, b, "same", "accept")]
    store.redo(db, "alice")
    assert link_table(db) == [("alice", a, b, "different", "reject")]
    # blind: bob sees none of alice's verdicts, and his undo does not touch them
    assert J.link_verdicts(db, "bob") == {}
    assert store.undo(db, "bob") is None
    assert J.link_verdicts(db, "alice") == {(a, b): "different"}


def test_detach_and_attach_change_the_event_and_undo_restores_it(events_db: Path) -> None:
    db = open_db(events_db)
    before = members(db, "e-0001")
    gone = before[0]
    with db.atomic():  # the sentence that put it in the event, underlined on screen
        db.execute(
            "UPDATE event_passages SET claims = '[[0, 42]]' WHERE event_id = 'e-0001' "
            "AND passage_id = ?",
            [gone],
        )
    J.detach(db, "alice", "e-0001", gone)
    assert members(db, "e-0001") == before[1:]
    assert db.execute("SELECT passages FROM events WHERE id = 'e-0001'").fetchone()[0] == 3
    # different from each other member, so the next alignment keeps them apart
    assert sorted(J.constraints(db)[1]) == sorted(J.ordered(gone, o) for o in before[1:])
    store.undo(db, "alice")
    assert members(db, "e-0001") == before
    claims = "SELECT claims FROM event_passages WHERE event_id = 'e-0001' AND passage_id = ?"
    assert db.execute(claims, [gone]).fetchone()[0] == "[[0, 42]]"
    assert link_table(db) == []
    assert db.execute("SELECT passages FROM events WHERE id = 'e-0001'").fetchone()[0] == 4

    newcomer = members(db, "e-0002")[0]
    J.attach(db, "alice", "e-0001", newcomer, before[1])
    assert newcomer in members(db, "e-0001")
    assert J.constraints(db)[0] == [J.ordered(newcomer, before[1])]
    with pytest.raises(NatoCompareError, match="already in this event"):
        J.attach(db, "alice", "e-0001", newcomer, before[1])
    store.undo(db, "alice")
    assert newcomer not in members(db, "e-0001")
    store.redo(db, "alice")
    assert newcomer in members(db, "e-0001")


def test_event_verdict_and_title_per_annotator(events_db: Path) -> None:
    db = open_db(events_db)
    J.judge_event(db, "alice", "e-0002", "same_theme")
    J.set_event_title(db, "alice", "e-0002", "  Rutte's   40 billion pledge ")
    seen = J.event_judgements(db, "alice", "e-0002", [])
    assert (seen.verdict, seen.title) == ("same_theme", "Rutte's 40 billion pledge")
    assert J.event_judgements(db, "bob", "e-0002", []).verdict is None
    assert J.reviewed_events(db, "alice") == {"e-0002"} and J.reviewed_events(db, "bob") == set()
    store.undo(db, "alice")
    assert J.event_judgements(db, "alice", "e-0002", []).title is None
    with pytest.raises(NatoCompareError, match="an event verdict is one of"):
        J.judge_event(db, "alice", "e-0002", "maybe")


def test_event_changes_tell_split_and_merge(events_db: Path) -> None:
    db = open_db(events_db)
    first, second = members(db, "e-0001"), members(db, "e-0002")
    assert event_changes(db, "alice", "e-0001", first) is None  # new to alice
    assert event_changes(db, "alice", "e-0001", first) is None  # unchanged
    assert event_changes(db, "alice", "e-0002", second) is None
    merged = event_changes(db, "alice", "e-new", first + second)
    assert merged.startswith("merged from 2 events you saw")
    split = event_changes(db, "alice", "e-part", first[:2])
    assert "split: 5 passage(s) you saw with these are elsewhere now" in split
    assert event_changes(db, "bob", "e-part", first[:2]) is None  # bob never saw them


def test_a_passage_standing_in_two_events_is_no_split_or_merge(events_db: Path) -> None:
    # one paragraph states two facts: it stands in e-0001 and, for its other sentence, e-0002
    db = open_db(events_db)
    first, second = members(db, "e-0001"), members(db, "e-0002")
    both = first[0]
    with db.atomic():
        db.execute(
            "UPDATE event_passages SET claims = '[[0, 10]]' WHERE event_id = 'e-0001' "
            "AND passage_id = ?",
            [both],
        )
        db.execute(
            "INSERT INTO event_passages (event_id, passage_id, score, claims) "
            "VALUES ('e-0002', ?, 50.0, '[[20, 40]]')",
            [both],
        )
    assert event_changes(db, "alice", "e-0001", first) is None
    assert event_changes(db, "alice", "e-0002", second + [both]) is None
    assert event_changes(db, "alice", "e-0001", first) is None  # back: still as seen
    assert event_changes(db, "alice", "e-0002", second + [both]) is None
    # a real split is still told
    split = event_changes(db, "alice", "e-0002", second[:2] + [both])
    assert f"split: {len(second) - 2} passage(s)" in split


def test_what_was_seen_before_claims_still_tells_a_split(events_db: Path) -> None:
    db = open_db(events_db)
    first = members(db, "e-0001")
    assert event_changes(db, "alice", "e-0001", first) is None  # seen as passages
    # the next run (with claims) holds all but one of them
    with db.atomic():
        db.execute("UPDATE event_passages SET claims = '[[0, 10]]' WHERE event_id = 'e-0001'")
        db.execute(
            "DELETE FROM event_passages WHERE event_id = 'e-0001' AND passage_id = ?", [first[-1]]
        )
    notice = event_changes(db, "alice", "e-0001", first[:-1])
    assert notice is not None and "split: 1 passage(s)" in notice


# --- export, import, merge ---------------------------------------------------------------


@pytest.fixture
def judged_db(events_db: Path) -> Path:
    db = open_db(events_db)
    first = members(db, "e-0001")
    with db.atomic():  # the aligner scored this pair: its score goes with the verdict
        db["alignments"].insert(
            {
                "run_id": db.execute("SELECT max(id) FROM align_runs").fetchone()[0],
                "passage_a": first[0],
                "passage_b": first[1],
                "score": 61.25,
                "event_id": "e-0001",
                "evidence": "{}",
            }
        )
    J.judge_link(db, "alice", first[0], first[1], "same")
    J.judge_link(db, "=cmd|' /C calc'!A0", first[0], first[2], "different")  # a hostile name
    J.detach(db, "bob", "e-0002", members(db, "e-0002")[0])  # different from the other two
    db.close()
    return events_db


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_import_export_gives_the_same_rows(judged_db: Path, tmp_path: Path, fmt) -> None:
    first = tmp_path / f"links.{fmt}"
    result = run("export", "--links", "--format", fmt, "--db", judged_db, "--output", first)
    assert result.exit_code == 0, result.output
    assert "4 link judgements exported" in result.stderr
    fresh = tmp_path / "fresh.db"
    ingest_sources([SOURCES], fresh)
    result = run("import", first, "--db", fresh)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("4 link judgements imported, 0 already present")
    again = tmp_path / f"again.{fmt}"
    assert run("export", "--links", "--format", fmt, "--db", fresh, "-o", again).exit_code == 0
    assert again.read_text() == first.read_text()
    text = first.read_text()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == ["passage_a", "passage_b", "verdict", "annotator", "created_at"] + [
            "score"
        ]
        # the spreadsheet formula is neutralised in the file and restored on import
        assert "'=cmd|' /C calc'!A0" in {r["annotator"] for r in rows}
        assert sorted(r["score"] for r in rows) == ["", "", "", "61.25"]  # unscored: empty
    else:
        assert sorted(json.loads(line)["score"] or 0 for line in text.splitlines()) == [
            0,
            0,
            0,
            61.25,
        ]
    # importing twice adds nothing
    assert (
        "0 link judgements imported, 4 already present"
        in run("import", first, "--db", fresh).stderr
    )


def test_import_keeps_the_later_verdict(judged_db: Path, tmp_path: Path) -> None:
    p = passage_ids(judged_db)
    newer = tmp_path / "newer.csv"
    a, b = J.ordered(p[0], p[1])
    newer.write_text(
        "passage_a,passage_b,verdict,annotator,created_at,score\n"
        f"{a},{b},different,carol,2030-01-01T00:00:00+00:00,\n"
        f"{b},{a},same,carol,2020-01-01T00:00:00+00:00,41.5\n"
    )
    result = run("import", newer, "--db", judged_db)
    assert result.exit_code == 0, result.output
    assert (
        "1 link judgements imported, 0 already present, 0 replaced by a later verdict, 1 older"
        in (result.stderr)
    )
    db = open_db(judged_db)
    assert J.link_verdicts(db, "carol") == {(a, b): "different"}


@pytest.mark.parametrize(
    "line, message",
    [
        ("p1,p2,maybe,alice,2024-01-01T00:00:00,", "verdict 'maybe' is not same or different"),
        ("p1,p2,same,alice,yesterday,", "created_at 'yesterday' is not an ISO date-time"),
        ("p1,p2,same,,2024-01-01T00:00:00,", "annotator is empty"),
        ("p1,p2,same,alice,2024-01-01T00:00:00,high", "score 'high' is not a number"),
    ],
)
def test_bad_links_file_is_one_line_and_writes_nothing(
    judged_db: Path, tmp_path: Path, line: str, message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"passage_a,passage_b,verdict,annotator,created_at,score\n{line}\n")
    before = dump(judged_db)
    result = run("import", bad, "--db", judged_db)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {bad} line 2: {message}\n"
    assert dump(judged_db) == before


def test_merge_twice_equals_once(judged_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "team.db"
    ingest_sources([SOURCES], target)
    insert_seed_events(target)
    result = run("merge", judged_db, "--db", target)
    assert result.exit_code == 0, result.output
    assert "4 judgements copied" in result.stderr
    once = dump(target)
    result = run("merge", judged_db, "--db", target)
    assert "0 judgements copied, 4 already present" in result.stderr
    assert dump(target) == once
    db = open_db(target)
    assert J.link_verdicts(db) == J.link_verdicts(open_db(judged_db))


def test_export_links_of_one_annotator(judged_db: Path) -> None:
    result = run("export", "--links", "--annotator", "alice", "--db", judged_db)
    assert result.exit_code == 0
    assert [r["annotator"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["alice"]
    result = run("export", "--links", "--annotator", "carol", "--db", judged_db)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no link judgements by 'carol' in {judged_db} (annotators with some: "
        "=cmd|' /C calc'!A0, alice, bob)\n"
    )


def test_export_links_refuses_events(judged_db: Path) -> None:
    result = run("export", "--links", "--events", "--db", judged_db)
    assert result.exit_code == 2
    assert "--links takes no --events or --outlet" in result.stderr


def test_links_survive_reingest(judged_db: Path, tmp_path: Path) -> None:
    """Content-derived passage ids: re-ingesting the same sources keeps every verdict valid."""
    copy = tmp_path / "copy"
    shutil.copytree(SOURCES, copy)
    before = open_db(judged_db).execute("SELECT * FROM judgements ORDER BY id").fetchall()
    ingest_sources([copy], judged_db)
    db = open_db(judged_db)
    assert db.execute("SELECT * FROM judgements ORDER BY id").fetchall() == before
    live = {r[0] for r in db.execute("SELECT id FROM passages WHERE superseded_at IS NULL")}
    assert {p for pair in J.link_verdicts(db) for p in pair} <= live


def test_what_was_seen_is_not_waited_for_while_another_program_writes(events_db: Path) -> None:
    import sqlite3

    other = sqlite3.connect(events_db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. an alignment being saved
    try:
        db = open_db(events_db)
        assert event_changes(db, "alice", "e-0001", members(db, "e-0001")) is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert db.execute("SELECT count(*) FROM seen_events").fetchone()[0] == 0  # next time
    event_changes(db, "alice", "e-0001", members(db, "e-0001"))
    assert db.execute("SELECT count(*) FROM seen_events").fetchone()[0] == 4
