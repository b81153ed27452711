"""Export: awkward texts survive CSV and JSONL, formula cells are neutralised, events and coverage."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.exchange_helpers import AWKWARD_TEXTS, add_events, annotate, awkward_db, passage_ids
from nato_compare.errors import NatoCompareError
from nato_compare.export import (
    COLUMNS,
    export_annotations,
    export_coverage,
    neutralise,
    restore,
)
from nato_compare.store import open_db
from nato_compare.store.exchange import export_rows


@pytest.fixture
def awkward(tmp_path: Path) -> Path:
    """Every awkward text as a passage, annotated by alice with a note that is awkward too."""
    path = awkward_db(tmp_path / "awkward.db")
    ids = passage_ids(path)
    rows = [("alice", p, "note", "", AWKWARD_TEXTS[-1 - i]) for i, p in enumerate(ids)]
    rows += [("bob", p, "frame", "=Economic") for p in ids[:3]]
    annotate(path, rows)
    add_events(path, {"e-1": [(ids[0], 0.75), (ids[1], 0.5)]})
    return path


def stored(path: Path) -> list[dict]:
    """The values the export must carry, straight from the database, as strings."""
    db = open_db(path, create=False)
    try:
        return [
            {
                k: "" if v is None else (repr(v) if isinstance(v, float) else str(v))
                for k, v in row.items()
            }
            for row in export_rows(db)
        ]
    finally:
        db.close()


@pytest.mark.parametrize(
    "cell, written",
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted'", "''quoted'"),
        ("''", "'''"),
        ("plain", "plain"),
        ("", ""),
        ("a=b", "a=b"),
        ("НАТО", "НАТО"),
    ],
)
def test_neutralise_prefixes_one_apostrophe_and_restore_removes_exactly_one(cell, written):
    assert neutralise(cell) == written
    assert restore(written) == cell


def test_csv_read_back_by_csv_module_gives_stored_values(awkward, tmp_path):
    out = tmp_path / "out.csv"
    assert export_annotations(awkward, out) == len(AWKWARD_TEXTS) + 3
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == COLUMNS
        read = [{k: restore(v) for k, v in row.items()} for row in reader]
    assert read == stored(awkward)
    # the passage texts really are all there, awkward characters included
    assert {r["passage_text"] for r in read} == set(AWKWARD_TEXTS)


def test_csv_read_back_by_pandas_gives_stored_values(awkward, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations(awkward, out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8")
    read = frame.map(restore).to_dict("records")
    assert read == stored(awkward)


def test_cells_a_spreadsheet_would_run_begin_with_an_apostrophe(awkward, tmp_path):
    out = tmp_path / "out.csv"
    export_annotations(awkward, out)
    with out.open(encoding="utf-8", newline="") as f:
        raw = list(csv.DictReader(f))
    texts = {r["passage_text"] for r in raw}
    assert "'=SUM(A1:A9) is not a formula here" in texts
    assert "'- a passage that begins with a dash" in texts
    assert "'''=double apostrophe then equals" in texts
    assert "НАТО обсуждает помощь Украине, «срочно»." in texts  # untouched
    assert {r["label"] for r in raw if r["dimension"] == "frame"} == {"'=Economic"}
    for row in raw:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_jsonl_holds_exact_values_for_pandas(awkward, tmp_path):
    out = tmp_path / "out.jsonl"
    export_annotations(awkward, out, fmt="jsonl")
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == len(AWKWARD_TEXTS) + 4
    records = [json.loads(line) for line in lines[:-1]]
    by_pandas = pd.read_json(out, lines=True, dtype=False).to_dict("records")
    assert [r["passage_text"] for r in by_pandas] == [r["passage_text"] for r in records]
    expected = stored(awkward)
    for record, want in zip(records, expected):
        assert record["passage_text"] == want["passage_text"]
        assert record["note"] == want["note"]
        assert record["label"] == want["label"]  # "=Economic": no apostrophe in JSONL


def test_excel_csv_has_bom_and_crlf_and_reads_back(awkward, tmp_path):
    out = tmp_path / "excel.csv"
    export_annotations(awkward, out, excel=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.split(b"\n", 1)[0].endswith(b"\r")
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert frame.map(restore).to_dict("records") == stored(awkward)


def test_event_is_the_best_scoring_one_and_empty_without_event(seed_db, tmp_path):
    p = passage_ids(seed_db)
    annotate(
        seed_db,
        [
            ("alice", p[0], "stance", "FAVOR"),
            ("alice", p[1], "stance", "NONE"),
            ("alice", p[2], "stance", "AGAINST"),
        ],
    )
    # p0 is in two events: the better score wins; p1 ties: the smaller event id wins
    add_events(seed_db, {"e-b": [(p[0], 0.9), (p[1], 0.6)], "e-a": [(p[0], 0.4), (p[1], 0.6)]})
    buffer = io.StringIO()
    export_annotations(seed_db, stream=buffer)
    rows = {r["passage_id"]: r for r in csv.DictReader(io.StringIO(buffer.getvalue()))}
    assert (rows[p[0]]["event_id"], rows[p[0]]["alignment_score"]) == ("e-b", "0.9")
    assert (rows[p[1]]["event_id"], rows[p[1]]["alignment_score"]) == ("e-a", "0.6")
    assert (rows[p[2]]["event_id"], rows[p[2]]["alignment_score"]) == ("", "")
    assert len(buffer.getvalue().splitlines()) == 4  # header + one row per annotation


def test_filters_by_annotator_and_outlet(seed_db):
    p = passage_ids(seed_db)
    annotate(
        seed_db,
        [
            ("alice", p[0], "stance", "FAVOR"),
            ("bob", p[0], "stance", "NONE"),
            ("bob", p[-1], "stance", "AGAINST"),
        ],
    )
    buffer = io.StringIO()
    export_annotations(seed_db, stream=buffer, annotator="bob", fmt="jsonl")
    rows = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert sorted(r["label"] for r in rows) == ["AGAINST", "NONE"]
    buffer = io.StringIO()
    export_annotations(seed_db, stream=buffer, outlet="CGTN", fmt="jsonl")
    rows = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert {r["outlet"] for r in rows} == {"CGTN"} and len(rows) == 2


def test_unknown_annotator_and_outlet_are_refused(seed_db):
    annotate(seed_db, [("alice", passage_ids(seed_db)[0], "stance", "FAVOR")])
    with pytest.raises(
        NatoCompareError, match=r"unknown annotator 'carol' \(annotators in .*: alice\)"
    ):
        export_annotations(seed_db, stream=io.StringIO(), annotator="carol")
    with pytest.raises(NatoCompareError, match=r"unknown outlet 'BBC'"):
        export_annotations(seed_db, stream=io.StringIO(), outlet="BBC")


def test_coverage_counts_passages_per_outlet_and_zero_for_omissions(awkward, tmp_path):
    ids = passage_ids(awkward)  # one article per outlet; two "unknown" articles
    by_article = {}
    for p in ids:
        by_article.setdefault(p.split("-")[1], []).append(p)
    add_more = {
        "e-2": [(by_article["0"][1], 0.8), (by_article["2"][0], 0.7), (by_article["3"][0], 0.7)]
    }
    db = open_db(awkward)
    with db.atomic():
        db["events"].insert(
            {"id": "e-2", "run_id": 1, "seq": 1, "label": "event 1", "passages": 3, "outlets": 3}
        )
        for p, s in add_more["e-2"]:
            db["event_passages"].insert({"event_id": "e-2", "passage_id": p, "score": s})
    db.close()
    out = tmp_path / "coverage.csv"
    assert export_coverage(awkward, out) == 2
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == [
        "event_id",
        "label",
        "passages",
        "outlets",
        "CGTN",
        "unknown:article-2",
        "unknown:article-3",
        "Вести, «Москва»",
        "reviewed",
        "not_reported",
        "not_aligned",
    ]
    e1, e2 = frame.to_dict("records")
    # e-1 holds the first two passages, both of article-0 (CGTN)
    assert (e1["CGTN"], e1["Вести, «Москва»"], e1["unknown:article-2"]) == ("2", "0", "0")
    assert (e1["passages"], e1["outlets"]) == ("2", "1")
    assert (
        e2["CGTN"],
        e2["Вести, «Москва»"],
        e2["unknown:article-2"],
        e2["unknown:article-3"],
    ) == ("1", "0", "1", "1")
    assert (e2["passages"], e2["outlets"]) == ("3", "3")
    # nobody reviewed them: the zeros are the aligner's, not an analyst's finding
    assert (e2["reviewed"], e2["not_reported"], e2["not_aligned"]) == ("no", "", "Вести, «Москва»")


def test_coverage_tells_reviewed_omissions_from_unaligned_ones(awkward, tmp_path):
    from nato_compare.store.judgements import judge_event

    db = open_db(awkward)
    judge_event(db, "alice", "e-1", "same_fact")
    db.close()
    out = tmp_path / "coverage.jsonl"
    assert export_coverage(awkward, out, fmt="jsonl") == 1
    (e1,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert e1["reviewed"] == "yes"
    assert e1["not_reported"] == ["unknown:article-2", "unknown:article-3", "Вести, «Москва»"]
    assert e1["not_aligned"] == []


def test_coverage_without_events_says_to_align_first(seed_db):
    with pytest.raises(
        NatoCompareError, match=r"no events in .* \(run 'nato-compare align' first\)"
    ):
        export_coverage(seed_db, stream=io.StringIO())


def test_coverage_after_an_alignment_without_events_says_so(seed_db):
    add_events(seed_db, {})  # a run that found nothing
    with pytest.raises(
        NatoCompareError, match=r"no events in .* \(the latest alignment found none\)$"
    ):
        export_coverage(seed_db, stream=io.StringIO())
