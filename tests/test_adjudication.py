"""Adjudication: disagreements side by side, decisions stored with who and why, the
adjudicated labels in report and agreement's warnings on few units."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from tests.exchange_helpers import annotate, passage_ids
from nato_compare.adjudication import decide, disagreements
from nato_compare.cli import main
from nato_compare.errors import NatoCompareError
from nato_compare.report import distribution


@pytest.fixture
def coded(seed_db):
    """alice and bob disagree on p0's stance and p1's frames; agree on p2; p3 is alice's."""
    p = passage_ids(seed_db)
    annotate(
        seed_db,
        [
            ("alice", p[0], "stance", "FAVOR"),
            ("bob", p[0], "stance", "AGAINST"),
            ("bob", p[0], "note", "", "sarcastic, I think"),
            ("alice", p[1], "frame", "Economic"),
            ("bob", p[1], "frame", "Economic"),
            ("bob", p[1], "frame", "Political"),
            ("alice", p[2], "stance", "NONE"),
            ("bob", p[2], "stance", "NONE"),
            ("alice", p[3], "stance", "AGAINST"),
        ],
    )
    return seed_db, p


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_disagreements_per_dimension_with_labels_and_notes(coded):
    db, p = coded
    found = disagreements(db)
    assert [(u.passage_id, u.dimension) for u in found] == [(p[0], "stance"), (p[1], "frame")]
    stance = found[0]
    assert stance.labels == {"alice": ("FAVOR",), "bob": ("AGAINST",)}
    assert stance.notes == {"bob": "sarcastic, I think"}
    assert found[1].labels == {"alice": ("Economic",), "bob": ("Economic", "Political")}
    assert [u.passage_id for u in disagreements(db, "frame")] == [p[1]]


def test_a_decision_is_stored_with_who_and_why_and_replaces_the_last(coded):
    db, p = coded
    decide(db, p[0], "stance", ["AGAINST"], "carol", "the quote is ironic")
    decide(db, p[0], "stance", ["NONE"], "dave", "on reflection, neutral")
    assert rows(
        db, "SELECT passage_id, dimension, label, adjudicator, reason FROM adjudications"
    ) == [(p[0], "stance", "NONE", "dave", "on reflection, neutral")]
    assert [r[:2] for r in rows(db, "SELECT annotator, role FROM role_log")] == [
        ("carol", "adjudicator"),
        ("dave", "adjudicator"),
    ]
    assert disagreements(db)[0].decision == ("NONE",)
    assert [u.passage_id for u in disagreements(db, undecided_only=True)] == [p[1]]


@pytest.mark.parametrize(
    ("labels", "reason", "problem"),
    [
        (["FAVOR", "AGAINST"], "x", "stance takes one label per passage, not 2"),
        (["MAYBE"], "x", "stance has no label 'MAYBE'"),
        (["FAVOR"], " ", "say why"),
        ([], "x", "give the final stance label"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_written(coded, labels, reason, problem):
    db, p = coded
    with pytest.raises(NatoCompareError, match=problem):
        decide(db, p[0], "stance", labels, "carol", reason)
    assert rows(db, "SELECT count(*) FROM adjudications") == [(0,)]


def test_report_with_adjudicated_labels_uses_decisions_and_agreement(coded):
    db, p = coded
    decide(db, p[0], "stance", ["AGAINST"], "carol", "the quote is ironic")
    table = distribution(db, labels="adjudicated")
    stance = {(r["label"], r["count"]) for r in table if r["dimension"] == "stance"}
    # p0 decided AGAINST, p2 agreed NONE, p3 coded by alice alone; p1's frames are undecided
    assert stance == {("AGAINST", 2), ("NONE", 1)}
    assert {r["labels"] for r in table} == {"adjudicated"}
    assert not [r for r in table if r["dimension"] == "frame"]


def test_adjudicate_command_lists_records_and_report_uses_it(coded):
    db, p = coded
    runner = CliRunner()
    listed = runner.invoke(main, ["adjudicate", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert "[1/2] stance" in listed.output and "[2/2] frame" in listed.output
    assert "alice  FAVOR" in listed.output
    assert "bob    AGAINST  sarcastic, I think" in listed.output
    assert "2 disagreements, 2 undecided." in listed.stderr
    recorded = runner.invoke(
        main,
        [
            "adjudicate", "--db", str(db), "--by", "carol", "--passage", p[0],
            "--dimension", "stance", "--label", "AGAINST", "--reason", "ironic",
        ],
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    as_json = runner.invoke(main, ["adjudicate", "--db", str(db), "--format", "jsonl"])
    first = json.loads(as_json.stdout.splitlines()[0])
    assert first["decision"] == ["AGAINST"] and first["adjudicator"] == "carol"
    assert first["reason"] == "ironic"
    report = runner.invoke(
        main, ["report", "--db", str(db), "--labels", "adjudicated", "--format", "jsonl"]
    )
    assert report.exit_code == 0, report.output
    stance = [json.loads(line) for line in report.stdout.splitlines()]
    assert {(r["label"], r["count"]) for r in stance if r["dimension"] == "stance"} == {
        ("AGAINST", 2),
        ("NONE", 1),
    }
    assert "1 undecided disagreements are left out" in report.stderr
    half = runner.invoke(main, ["adjudicate", "--db", str(db), "--by", "carol", "--passage", p[0]])
    assert half.exit_code == 2 and "needs --by, --passage, --dimension and --label" in half.output


def test_adjudicate_walks_through_undecided_units_interactively(coded):
    db, p = coded
    # frame unit: keys "1p" = Economic + Political, then a reason
    result = CliRunner().invoke(
        main,
        ["adjudicate", "--db", str(db), "--by", "carol"],
        input="\nzz\n1p\nboth frames are there\n",
    )
    assert result.exit_code == 0, result.output
    assert "'zz' is neither a frame label nor its key" in result.output
    assert "1 of 2 undecided units decided." in result.stderr
    assert rows(db, "SELECT passage_id, label, adjudicator FROM adjudications ORDER BY label") == [
        (p[1], "Economic", "carol"),
        (p[1], "Political", "carol"),
    ]


def test_agreement_warns_when_a_figure_rests_on_fewer_than_ten_units(coded):
    db, _ = coded
    result = CliRunner().invoke(main, ["agreement", "--db", str(db), "--dimension", "stance"])
    assert result.exit_code == 0, result.output
    assert "before adjudication" in result.stderr
    assert "rest on fewer than 10 units" in result.stderr
    alpha_all = next(
        line for line in result.output.splitlines() if line.startswith("stance") and " all " in line
    )
    assert "! fewer than 10 units" in alpha_all


def test_export_carries_adjudicated_labels_and_event_notes(coded, tmp_path):
    import csv
    import io

    db, p = coded
    decide(db, p[0], "stance", ["AGAINST"], "carol", "=ironic")  # a formula-like reason
    conn = sqlite3.connect(db)
    with conn:
        event_id = "ev-notes"
        conn.execute("INSERT INTO align_runs (id, started_at, params) VALUES (1, 'x', '{}')")
        conn.execute(
            "INSERT INTO events (id, run_id, seq, label, passages, outlets) "
            "VALUES (?, 1, 1, 'Rutte pledge', 1, 1)",
            [event_id],
        )
        conn.execute(
            "INSERT INTO event_notes VALUES ('bob', ?, 'same speech, two outlets', 'now')",
            [event_id],
        )
    conn.close()
    runner = CliRunner()
    every = runner.invoke(main, ["export", "--db", str(db)])
    records = list(csv.DictReader(io.StringIO(every.stdout)))
    decided = {(r["annotator"], r["adjudicated"]) for r in records if r["passage_id"] == p[0]}
    assert ("alice", "AGAINST") in decided and ("bob", "AGAINST") in decided
    assert {r["adjudicated"] for r in records if r["passage_id"] == p[1]} == {""}
    gold = runner.invoke(main, ["export", "--db", str(db), "--labels", "adjudicated"])
    assert gold.exit_code == 0, gold.output
    final = list(csv.DictReader(io.StringIO(gold.stdout)))
    assert {(r["passage_id"], r["label"], r["basis"]) for r in final} == {
        (p[0], "AGAINST", "adjudicated"),
        (p[2], "NONE", "agreement"),
        (p[3], "AGAINST", "one coder"),
    }
    assert next(r for r in final if r["basis"] == "adjudicated")["reason"] == "'=ironic"
    assert "1 undecided disagreements left out" in gold.stderr
    notes = runner.invoke(main, ["export", "--db", str(db), "--event-notes"])
    assert list(csv.DictReader(io.StringIO(notes.stdout))) == [
        {
            "event_id": event_id,
            "event_seq": "1",
            "event_label": "Rutte pledge",
            "annotator": "bob",
            "note": "same speech, two outlets",
            "updated_at": "now",
        }
    ]
    one = runner.invoke(main, ["export", "--db", str(db), "--labels", "bob", "--format", "jsonl"])
    assert {json.loads(line)["annotator"] for line in one.stdout.splitlines()} == {"bob"}
