"""Fault suite, failures: a full disk, a read-only database, a damaged or foreign one, an empty
or non-SQLite file. Each is one line on stderr naming the file, exit status 1, and the database
as it was (before: tracebacks, and a full disk reported as "not a SQLite database")."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import nato_compare.store as store
from tests.common import dump
from nato_compare.cli import main
from nato_compare.export import export_annotations
from nato_compare.store import open_db
from nato_compare.store.annotations import toggle_label


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.fixture
def labelled_export(seed_db, tmp_path) -> Path:
    """An export of labels on the seed passages, made in a copy of the seed database."""
    copy = tmp_path / "laptop.db"
    copy.write_bytes(seed_db.read_bytes())
    db = open_db(copy)
    passages = [r[0] for r in db.execute("SELECT id FROM passages ORDER BY id LIMIT 40")]
    for passage in passages:
        toggle_label(db, "bob", passage, "frame", "Economic")
    db.close()
    out = tmp_path / "bob.csv"
    export_annotations(copy, out)
    return out


@pytest.fixture
def full_disk(monkeypatch):
    """The disk is full: SQLite may not grow any database file past its present size."""
    connect = store.connect

    def connect_to_a_full_disk(path, **kwargs):
        db = connect(path, **kwargs)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return db

    monkeypatch.setattr(store, "connect", connect_to_a_full_disk)


def test_a_full_disk_during_import_is_one_line_and_the_database_is_unchanged(
    seed_db, labelled_export, full_disk
):
    before = dump(seed_db)
    line = one_line_error(run("import", labelled_export, "--db", seed_db))
    assert line == (
        f"Error: the disk holding {seed_db} is full: free some space and run the command "
        "again (nothing was changed)"
    )
    assert dump(seed_db) == before


def test_a_full_disk_during_align_is_one_line_and_no_output_is_left(seed_db, tmp_path, full_disk):
    before = dump(seed_db)
    line = one_line_error(run("align", "--db", seed_db, "--output", tmp_path / "pairs.csv"))
    assert line.startswith(f"Error: the disk holding {seed_db} is full")
    assert dump(seed_db) == before
    assert not [p for p in tmp_path.iterdir() if "pairs" in p.name]


def test_a_full_disk_during_ingest_is_one_line(tmp_path, sources_copy, seed_db, full_disk):
    before = dump(seed_db)
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "x", "outlet": "X", "text": "' + "word " * 5000 + '"}\n')
    line = one_line_error(run("ingest", extra, "--db", seed_db))
    assert line.startswith(f"Error: the disk holding {seed_db} is full")
    assert dump(seed_db) == before


def test_a_read_only_database_is_one_line(seed_db, labelled_export, monkeypatch):
    connect = store.connect

    def read_only(path, **kwargs):  # as a file or folder the user may not write is opened
        db = connect(path, **kwargs)
        db.conn.close()
        db.conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level="IMMEDIATE", check_same_thread=False
        )
        return db

    monkeypatch.setattr(store, "connect", read_only)
    before = dump(seed_db)
    line = one_line_error(run("import", labelled_export, "--db", seed_db))
    assert line == (
        f"Error: cannot write {seed_db}: the file or its folder is read-only (SQLite needs to "
        "write the file and create its -wal and -shm files beside it); nothing was changed"
    )
    assert dump(seed_db) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
def test_a_database_file_without_write_permission_is_one_line(seed_db, labelled_export):
    before = dump(seed_db)
    seed_db.chmod(0o444)
    try:
        line = one_line_error(run("import", labelled_export, "--db", seed_db))
    finally:
        seed_db.chmod(0o644)
    assert "read-only" in line and str(seed_db) in line
    assert dump(seed_db) == before


def test_a_damaged_schema_in_merge_is_one_line(seed_db, tmp_path):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(seed_db.read_bytes())
    conn = sqlite3.connect(damaged)
    conn.execute("DROP TABLE annotations")
    conn.commit()
    conn.close()
    before = dump(seed_db)
    line = one_line_error(run("merge", damaged, "--db", seed_db))
    assert line.startswith(f"Error: {damaged} does not have the tables of a nato-compare database")
    assert dump(seed_db) == before


def test_a_foreign_database_and_a_text_file_are_one_line(seed_db, tmp_path):
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n" * 100)
    before = dump(seed_db)
    assert one_line_error(run("merge", foreign, "--db", seed_db)) == (
        f"Error: {foreign} is a SQLite database but not a nato-compare one"
    )
    assert one_line_error(run("merge", text, "--db", seed_db)).startswith(
        f"Error: not a SQLite database: {text}"
    )
    assert one_line_error(run("export", "--db", text)).startswith(
        f"Error: not a SQLite database: {text}"
    )
    assert dump(seed_db) == before and text.read_text().startswith("not a database")


def test_the_tui_refuses_a_zero_byte_file_as_its_database(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    line = one_line_error(run("tui", "--db", empty, "--annotator", "alice"))
    assert line == (
        f"Error: {empty} is empty (zero bytes), not a database: "
        f"run 'nato-compare ingest SOURCES --db {empty}' first"
    )
    assert empty.stat().st_size == 0
