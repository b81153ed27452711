"""Report: per-outlet label distributions, terminal chart, PNG; plotting imported lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

from exchange_helpers import annotate, passage_ids
from nato_compare.errors import NatoCompareError
from nato_compare.report import distribution, render_image, terminal_chart, write_image


@pytest.fixture
def coded(seed_db):
    p = passage_ids(seed_db)  # ordered by article id: cgtn-… first, then eastern-herald-…
    import sqlite3

    outlet_of = dict(
        sqlite3.connect(seed_db).execute(
            "SELECT p.id, a.outlet FROM passages p JOIN articles a ON a.id = p.article_id"
        )
    )
    cgtn = [x for x in p if outlet_of[x] == "CGTN"][:3]
    herald = [x for x in p if outlet_of[x] == "The Eastern Herald"][:2]
    annotate(
        seed_db,
        [
            ("alice", cgtn[0], "stance", "FAVOR"),
            ("alice", cgtn[1], "stance", "FAVOR"),
            ("alice", cgtn[2], "stance", "AGAINST"),
            ("bob", cgtn[0], "stance", "NONE"),
            ("alice", cgtn[0], "frame", "Economic"),
            ("alice", cgtn[0], "frame", "Morality"),
            ("alice", herald[0], "stance", "AGAINST"),
            ("alice", herald[1], "frame", "Economic"),
            ("alice", herald[1], "note", "", "notes are not counted"),
        ],
    )
    return seed_db


def test_distribution_counts_labels_per_outlet_with_shares(coded):
    table = distribution(coded)
    stance_cgtn = {
        r["label"]: (r["count"], r["share"])
        for r in table
        if (r["dimension"], r["outlet"]) == ("stance", "CGTN")
    }
    assert stance_cgtn == {"FAVOR": (2, 0.5), "AGAINST": (1, 0.25), "NONE": (1, 0.25)}
    frame_cgtn = {
        r["label"]: r["share"] for r in table if (r["dimension"], r["outlet"]) == ("frame", "CGTN")
    }
    assert frame_cgtn == {"Economic": 0.5, "Morality": 0.5}
    assert {r["dimension"] for r in table} == {"frame", "stance"}
    herald = [
        (r["dimension"], r["label"], r["count"])
        for r in table
        if r["outlet"] == "The Eastern Herald"
    ]
    assert sorted(herald) == [("frame", "Economic", 1), ("stance", "AGAINST", 1)]
    only_bob = distribution(coded, annotator="bob")
    assert [(r["outlet"], r["label"], r["count"]) for r in only_bob] == [("CGTN", "NONE", 1)]


def test_distribution_refuses_unknown_annotator_and_empty_db(coded, tmp_path):
    with pytest.raises(
        NatoCompareError, match=r"unknown annotator 'carol' \(annotators in .*: alice, bob\)"
    ):
        distribution(coded, annotator="carol")


def test_terminal_chart_shows_every_outlet_and_a_legend(coded):
    chart = terminal_chart(distribution(coded), width=80)
    assert (
        "stance: share of labels per outlet" in chart
        and "frame: share of labels per outlet" in chart
    )
    assert "CGTN" in chart and "The Eastern Herald" in chart
    assert "# FAVOR  = AGAINST  . NONE" in chart
    assert "\x1b[" not in chart  # plain text, fit for a file or a pipe
    assert max(len(line) for line in chart.splitlines()) <= 80


def test_image_is_a_png_written_atomically(coded, tmp_path):
    table = distribution(coded)
    assert render_image(table).startswith(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "report.png"
    write_image(table, out)
    assert out.read_bytes().startswith(b"\x89PNG") and out.stat().st_size > 5000
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_importing_the_core_does_not_import_plotting_libraries():
    code = (
        "import sys, nato_compare.report, nato_compare.agreement, nato_compare.export; "
        "print(sorted(m for m in ('matplotlib', 'plotext', 'krippendorff', 'sklearn', 'textual') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
