"""The export, import, merge, agreement and report commands, and every bad input they refuse."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.common import SOURCES, dump
from tests.exchange_helpers import annotate, annotation_rows, passage_ids, set_schema_version
from nato_compare.cli import main
from nato_compare.errors import NatoCompareError
from nato_compare.pipeline import ingest_sources

COMMANDS = ["export", "import", "merge", "agreement", "report"]


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def two_coders(seed_db: Path) -> Path:
    p = passage_ids(seed_db)
    annotate(
        seed_db,
        [
            ("alice", p[0], "stance", "FAVOR"),
            ("bob", p[0], "stance", "FAVOR"),
            ("alice", p[1], "stance", "NONE"),
            ("bob", p[1], "stance", "AGAINST"),
            ("alice", p[2], "frame", "Economic"),
            ("bob", p[2], "frame", "Economic"),
            ("bob", p[2], "note", "", "=1+1, said the note"),
        ],
    )
    return seed_db


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    example = result.stdout.split("Example:\n", 1)[1]
    assert example.lstrip().startswith(f"nato-compare {command} ")


def test_export_writes_data_to_stdout_and_the_count_to_stderr(two_coders):
    result = run("export", "--db", two_coders)
    assert result.exit_code == 0
    assert result.stderr == "7 annotations exported\n"
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 7 and {r["note"] for r in rows} == {"", "'=1+1, said the note"}


def test_export_to_a_file_then_import_into_a_fresh_database(two_coders, tmp_path):
    out = tmp_path / "all.jsonl"
    result = run("export", "--db", two_coders, "--format", "jsonl", "--output", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"7 annotations exported -> {out}\n"
    fresh = tmp_path / "fresh.db"
    ingest_sources([SOURCES], fresh)
    result = run("import", out, "--db", fresh)
    assert result.exit_code == 0
    assert result.stderr == (
        f"7 annotations imported, 0 already present, 0 replaced by a later version, "
        f"0 older than the stored one, 0 on unknown passages, 0 conflict(s) -> {fresh}\n"
    )
    assert annotation_rows(fresh) == annotation_rows(two_coders)
    again = run("import", out, "--db", fresh)
    assert "0 annotations imported, 7 already present" in again.stderr


def test_export_events_coverage_needs_events_and_takes_no_filters(two_coders):
    result = run("export", "--db", two_coders, "--events", "--annotator", "alice")
    assert result.exit_code == 2 and "--events takes no --annotator or --outlet" in result.stderr
    result = run("export", "--db", two_coders, "--events")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no events in {two_coders} (run 'nato-compare align' first)\n"


def test_unknown_annotator_is_refused_with_one_line(two_coders):
    before = dump(two_coders)
    result = run("export", "--db", two_coders, "--annotator", "carol")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: unknown annotator 'carol' (annotators in {two_coders}: alice, bob)\n"
    )
    assert result.stdout == ""
    assert dump(two_coders) == before


def test_output_that_cannot_be_written_is_refused_before_anything_is_written(two_coders, tmp_path):
    before = dump(two_coders)
    missing = tmp_path / "no" / "such" / "folder" / "out.csv"
    for command in (["export"], ["export", "--events"], ["report"]):
        result = run(*command, "--db", two_coders, "--output", missing)
        assert result.exit_code == 1, command
        assert (
            result.stderr
            == f"Error: cannot write {missing}: folder {missing.parent} does not exist\n"
        )
    result = run("export", "--db", two_coders, "--output", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert dump(two_coders) == before
    assert not (tmp_path / "no").exists()


def test_no_command_writes_its_output_over_the_database(two_coders, tmp_path):
    before = dump(two_coders)
    for command in (["export"], ["export", "--events"], ["report"]):
        result = run(*command, "--db", two_coders, "--output", two_coders)
        assert result.exit_code == 1, command
        assert (
            result.stderr == f"Error: cannot write {two_coders}: it is the database {two_coders}\n"
        ), command
    assert dump(two_coders) == before


def test_output_dash_is_stdout_for_export_and_refused_for_the_chart(
    two_coders, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = run("export", "--db", two_coders, "--output", "-")
    assert result.exit_code == 0 and result.stdout.startswith("annotation_id,annotator,")
    result = run("report", "--db", two_coders, "--output", "-")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for --output: the chart is a PNG file: give it "
        "a file name (see 'main report --help')\n"
    )
    assert not (tmp_path / "-").exists()


def test_a_failure_half_way_leaves_the_previous_file_and_no_temp_file(
    two_coders, tmp_path, monkeypatch
):
    out = tmp_path / "out.csv"
    out.write_text("previous export\n")

    def broken(db, **kwargs):
        yield {"annotation_id": "x", "annotator": "alice"}
        raise NatoCompareError("disk trouble")

    monkeypatch.setattr("nato_compare.export.sql.export_rows", broken)
    result = run("export", "--db", two_coders, "--output", out)
    assert result.exit_code == 1 and result.stderr == "Error: disk trouble\n"
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")] == []


HEADER = "annotation_id,annotator,created_at,dimension,label,note,passage_id\n"


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "a,b\n1,2\n",
            "is missing column(s): annotation_id, annotator, created_at, dimension, "
            "label, note, passage_id",
        ),
        (
            HEADER + "id1,alice,yesterday,stance,FAVOR,,{p}\n",
            "line 2: created_at 'yesterday' is not an ISO date-time",
        ),
        (
            HEADER.replace("\n", ",alignment_score\n")
            + "id1,alice,2026-01-01,stance,FAVOR,,{p},high\n",
            "line 2: alignment_score 'high' is not a number",
        ),
        (HEADER + "id1,alice,2026-01-01,stance,FAVOR,{p}\n", "line 2: 6 fields, the header has 7"),
        (HEADER + "id1,,2026-01-01,stance,FAVOR,,{p}\n", "line 2: annotator is empty"),
        ("", "is empty"),
    ],
)
def test_malformed_csv_is_refused_and_the_database_unchanged(
    two_coders, tmp_path, content, message
):
    bad = tmp_path / "bad.csv"
    # a good first row, so a half-done import would show in the dump
    good = "good1,alice,2026-01-01T00:00:00+00:00,stance,AGAINST,,{p}\n"
    p = passage_ids(two_coders)[5]
    if content.startswith(HEADER):
        content = HEADER + good + content[len(HEADER) :]
        message = message.replace("line 2", "line 3")
    bad.write_text(content.format(p=p))
    before = dump(two_coders)
    result = run("import", bad, "--db", two_coders)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {bad} {message}\n"
    assert dump(two_coders) == before


def test_malformed_jsonl_and_non_utf8_are_refused(two_coders, tmp_path):
    before = dump(two_coders)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"annotation_id": "a"}\n')
    result = run("import", bad, "--db", two_coders)
    assert result.stderr == (
        f"Error: {bad} line 1: missing field(s): annotator, created_at, dimension, "
        "label, note, passage_id\n"
    )
    bad.write_text("[1, 2]\n")
    assert (
        run("import", bad, "--db", two_coders).stderr
        == f"Error: {bad} line 1: expected a JSON object\n"
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "é".encode("latin-1"))
    result = run("import", latin, "--db", two_coders)
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {latin} is not UTF-8 text")
    assert dump(two_coders) == before


def test_import_reports_unknown_passages_and_strict_refuses_them(two_coders, tmp_path):
    rows = [
        {
            "annotation_id": f"id{i}",
            "annotator": "carol",
            "created_at": "2026-01-01T00:00:00+00:00",
            "dimension": "stance",
            "label": "NONE",
            "note": "",
            "passage_id": pid,
        }
        for i, pid in enumerate([passage_ids(two_coders)[9], "p-0000000000000000"])
    ]
    file = tmp_path / "carol.jsonl"
    file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    before = dump(two_coders)
    result = run("import", file, "--strict", "--db", two_coders)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: 1 row(s) match no passage in {two_coders} "
        "(first: p-0000000000000000); nothing imported\n"
    )
    assert dump(two_coders) == before
    result = run("import", file, "--db", two_coders)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: annotation id1 (passage p-0000000000000000) matches no passage in the database "
        "(ingest the same sources first)",
        f"1 annotations imported, 0 already present, 0 replaced by a later version, 0 older than the "
        f"stored one, 1 on unknown passages, 0 conflict(s) -> {two_coders}",
    ]


def test_a_database_of_a_newer_schema_is_refused_by_every_command(two_coders, tmp_path):
    export = tmp_path / "all.csv"
    assert run("export", "--db", two_coders, "--output", export).exit_code == 0
    newer = tmp_path / "newer.db"
    shutil.copy(two_coders, newer)
    set_schema_version(newer, 42)
    before = dump(newer)
    message = f"Error: {newer} has schema version 42, newer than this nato-compare understands"
    for args in (
        ["export", "--db", newer],
        ["import", export, "--db", newer],
        ["merge", two_coders, "--db", newer],
        ["merge", newer, "--db", two_coders],
        ["agreement", "--db", newer],
        ["report", "--db", newer],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith(message), (args, result.stderr)
    assert dump(newer) == before


def test_merge_command_summarises_each_database(two_coders, tmp_path):
    team = tmp_path / "team.db"
    ingest_sources([SOURCES], team)
    result = run("merge", two_coders, "--db", team)
    assert result.exit_code == 0
    assert result.stderr == (
        f"{two_coders}: 7 annotations copied, 0 already present, 0 replaced by a "
        "later version, 0 older than the stored one, 0 on unknown passages, "
        "0 conflict(s); 0 event notes copied, 0 already present, 0 replaced by a "
        "later version\n"
    )
    result = run("merge", two_coders, two_coders, "--db", team)
    assert (
        result.stderr.count("0 annotations copied, 7 already present") == 1
    )  # one line per database
    assert len(annotation_rows(team)) == 7
    result = run("merge", team, "--db", team)
    assert result.exit_code == 1 and result.stderr == f"Error: cannot merge {team} into itself\n"


def test_agreement_command_prints_a_table_or_csv(two_coders):
    result = run("agreement", "--db", two_coders, "--dimension", "stance", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    kappa = [r for r in rows if r["measure"] == "kappa" and r["outlet"] == "all"]
    assert [(r["coders"], r["units"]) for r in kappa] == [("alice~bob", "2")]
    # p_o = 1/2 (FAVOR/FAVOR, NONE/AGAINST), p_e = 1/4 (only FAVOR is shared): (1/2 - 1/4) / (3/4)
    assert float(kappa[0]["value"]) == pytest.approx(1 / 3)
    table = run("agreement", "--db", two_coders)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == [
        "dimension",
        "label",
        "outlet",
        "measure",
        "coders",
        "units",
        "pairable",
        "value",
        "reason",
        "warning",
    ]
    assert "n/a" in table.stdout  # the frame figures: no variation
    result = run("agreement", "--db", two_coders, "--dimension", "tone")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no annotations for dimension 'tone' in {two_coders} "
        "(coded dimensions: frame, stance)\n"
    )


def test_report_command_prints_table_and_chart_and_writes_png(two_coders, tmp_path):
    out = tmp_path / "report.png"
    result = run("report", "--db", two_coders, "--output", out)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == [
        "labels",
        "dimension",
        "outlet",
        "label",
        "count",
        "share",
        "n",
        "passages",
    ]
    assert "stance: share of labels per outlet" in result.stdout
    assert result.stderr == f"chart written -> {out}\n"
    assert out.read_bytes().startswith(b"\x89PNG")
    result = run("report", "--db", two_coders, "--format", "jsonl", "--annotator", "bob")
    assert [json.loads(line)["label"] for line in result.stdout.splitlines()] == [
        "Economic",
        "FAVOR",
        "AGAINST",
    ]


def test_excel_applies_to_csv_only(two_coders):
    result = run("export", "--db", two_coders, "--format", "jsonl", "--excel")
    assert result.exit_code == 1 and result.stderr == "Error: --excel applies to CSV only\n"


def test_a_file_that_is_not_a_nato_compare_database_is_refused(two_coders, tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n")
    export = tmp_path / "all.csv"
    run("export", "--db", two_coders, "--output", export)
    before, before_other = dump(two_coders), dump(other)
    result = run("import", export, "--db", other)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {other} is a SQLite database but not a nato-compare one\n"
    result = run("merge", text, "--db", two_coders)
    assert result.exit_code == 1 and result.stderr.startswith(
        f"Error: not a SQLite database: {text}"
    )
    assert dump(two_coders) == before and dump(other) == before_other


def test_report_png_without_matplotlib_says_which_extra_installs_it(
    two_coders, tmp_path, monkeypatch
):
    """matplotlib is in the `plot` extra: without it the PNG is refused in one line, the
    file is not written, and the table still needs nothing more."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    out = tmp_path / "report.png"
    result = run("report", "--db", two_coders, "--output", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: the report's PNG needs matplotlib, which is not installed: "
        "pip install 'nato-compare[plot]'"
    )
    assert not out.exists()
    assert run("report", "--db", two_coders, "--format", "csv").exit_code == 0
