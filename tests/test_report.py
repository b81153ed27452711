"""Report: per-outlet label distributions, terminal chart, PNG; plotting imported lazily."""

from __future__ import annotations


import pytest

from tests.exchange_helpers import annotate, passage_ids
from nato_compare.errors import NatoCompareError
from nato_compare.report import (
    dimension_colours,
    distribution,
    render_image,
    terminal_chart,
    write_image,
)


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


def _rows(table, **where):
    return {
        r["label"]: (r["count"], r["share"], r["n"], r["passages"])
        for r in table
        if all(r[k] == v for k, v in where.items())
    }


def test_distribution_counts_each_coder_on_their_own_rows_with_n(coded):
    table = distribution(coded)
    # alice's and bob's CGTN stances are never added together
    assert _rows(table, dimension="stance", outlet="CGTN", labels="alice") == {
        "FAVOR": (2, 2 / 3, 3, 3),
        "AGAINST": (1, 1 / 3, 3, 3),
    }
    assert _rows(table, dimension="stance", outlet="CGTN", labels="bob") == {"NONE": (1, 1.0, 1, 1)}
    # two frames on one passage: n counts labels, passages counts passages
    assert _rows(table, dimension="frame", outlet="CGTN", labels="alice") == {
        "Economic": (1, 0.5, 2, 1),
        "Morality": (1, 0.5, 2, 1),
    }
    herald = sorted(
        (r["dimension"], r["label"], r["count"])
        for r in table
        if r["outlet"] == "The Eastern Herald"
    )
    assert herald == [("frame", "Economic", 1), ("stance", "AGAINST", 1)]
    only_bob = distribution(coded, labels="bob")
    assert [(r["labels"], r["outlet"], r["label"], r["count"]) for r in only_bob] == [
        ("bob", "CGTN", "NONE", 1)
    ]
    assert distribution(coded, annotator="bob") == only_bob


def test_distribution_refuses_unknown_annotator_and_empty_db(coded, tmp_path):
    with pytest.raises(
        NatoCompareError, match=r"unknown annotator 'carol' \(annotators in .*: alice, bob\)"
    ):
        distribution(coded, labels="carol")


def test_terminal_chart_shows_every_bar_with_n_and_full_names(coded):
    chart = terminal_chart(distribution(coded), width=80)
    assert (
        "stance: share of labels per outlet" in chart
        and "frame: share of labels per outlet" in chart
    )
    assert "CGTN · alice (n=3, 3 passages)" in chart
    assert "CGTN · bob (n=1, 1 passages)" in chart
    assert "The Eastern Herald · alice (n=1, 1 passages)" in chart
    assert "# FAVOR  = AGAINST  . NONE" in chart
    assert "\x1b[" not in chart  # plain text, fit for a file or a pipe
    assert max(len(line) for line in chart.splitlines()) <= 80


def test_colour_sets_differ_per_dimension():
    frames, stance = dimension_colours(0, 15), dimension_colours(1, 3)
    assert len(set(frames)) == 15 and len(set(stance)) == 3
    assert not set(frames) & set(stance)


def test_image_is_a_png_written_atomically(coded, tmp_path):
    table = distribution(coded)
    assert render_image(table).startswith(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "report.png"
    write_image(table, out)
    assert out.read_bytes().startswith(b"\x89PNG") and out.stat().st_size > 5000
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
