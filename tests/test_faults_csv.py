"""Fault suite, CSV: every command that writes CSV, run on one hostile database.

Each CSV must read back as the same records with the csv module and with pandas (a bare CR
left unquoted made pandas read 4 rows instead of 2), must hold no cell a spreadsheet would run
(the formula guard of nato_compare.csv_safe), and, with the guard undone, must hold exactly
the values of the command's JSON output.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pandas as pd
import pytest
from click.testing import CliRunner

from tests.hostile import build_hostile_db
from nato_compare.cli import main
from nato_compare.csv_safe import restore

RUNS_AS_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    return build_hostile_db(tmp_path_factory.mktemp("hostile"))


def run(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")  # .stdout would turn every \r\n into \n


def records(text: str) -> list[list[str]]:
    """The CSV's records, checked to read the same with the csv module and with pandas."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert all(len(r) == len(header) for r in body)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert len(frame) == len(body) and list(frame.columns) == header
    assert frame.values.tolist() == body
    return rows


def assert_guarded(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(RUNS_AS_FORMULA):
                float(cell)  # only a number may start so (a negative kappa, say)


def as_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return None  # structured in JSON, flattened in CSV: not compared
    return repr(value) if isinstance(value, float) else str(value)


def assert_same_values(rows: list[list[str]], json_lines: str) -> None:
    """The CSV with the guard undone holds the JSON output's values, record by record."""
    objects = [json.loads(line) for line in json_lines.splitlines() if line.strip()]
    header, body = rows[0], rows[1:]
    assert len(body) == len(objects)
    compared = 0
    for row, obj in zip(body, objects):
        for name, cell in zip(header, row):
            expected = as_cell(obj.get(name)) if name in obj else None
            if expected is not None:
                assert restore(cell) == expected, (name, cell, expected)
                compared += 1
    assert compared


# (CSV command, the same through JSON) for every CSV the tool writes
COMMANDS = {
    "align --output": (["align", "--output", "-"], ["align", "--output", "-", "--format", "jsonl"]),
    "export": (["export"], ["export", "--format", "jsonl"]),
    "export --events": (["export", "--events"], None),
    "export --event-notes": (
        ["export", "--event-notes"],
        ["export", "--event-notes", "--format", "jsonl"],
    ),
    "export --labels adjudicated": (
        ["export", "--labels", "adjudicated"],
        ["export", "--labels", "adjudicated", "--format", "jsonl"],
    ),
    "report --format csv": (["report", "--format", "csv"], None),
    "agreement --format csv": (
        ["agreement", "--format", "csv"],
        ["agreement", "--format", "jsonl"],
    ),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_csv_command_quotes_every_line_break_and_guards_every_formula(
    hostile_db, tmp_path, command
):
    db = tmp_path / "copy.db"
    shutil.copy(hostile_db, db)
    as_csv, as_json = COMMANDS[command]
    rows = records(run(*as_csv, "--db", db))
    assert len(rows) > 1
    assert_guarded(rows)
    if as_json is not None:
        assert_same_values(rows, run(*as_json, "--db", db))


def test_the_hostile_notes_reach_the_export_and_import_restores_them_exactly(hostile_db, tmp_path):
    text = run("export", "--db", hostile_db)
    cells = {c for row in records(text) for c in row}
    # what a spreadsheet would run is written with one ' in front; line breaks stay in the cell
    assert "'=cmd|' /C calc'!A0 ·" in cells and "'=bob" in cells
    assert {"bare\rCR ·", "line\nfeed ·", "crlf\r\nend ·"} <= cells
    exported = tmp_path / "all.csv"
    exported.write_text(text, encoding="utf-8", newline="")
    fresh = tmp_path / "fresh.db"
    shutil.copy(hostile_db, fresh)
    conn = sqlite3.connect(fresh)
    conn.execute("DELETE FROM annotations")
    conn.commit()
    conn.close()
    run("import", exported, "--db", fresh)
    query = "SELECT id, annotator, passage_id, dimension, label, note, created_at FROM annotations ORDER BY id"
    original, imported = sqlite3.connect(hostile_db), sqlite3.connect(fresh)
    try:
        assert imported.execute(query).fetchall() == original.execute(query).fetchall()
        notes = {r[0] for r in imported.execute("SELECT note FROM annotations")}
    finally:
        original.close()
        imported.close()
    assert {"bare\rCR ·", "crlf\r\nend ·", "=cmd|' /C calc'!A0 ·"} <= notes
