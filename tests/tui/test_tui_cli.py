"""`nato-compare tui` and bare `nato-compare`: what they refuse, and what they open."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from nato_compare.cli import main
from nato_compare.tui.app import AnnotateApp


@pytest.fixture
def opened(monkeypatch):
    """Record the app the command would run instead of taking over the terminal."""
    apps = []
    monkeypatch.setattr(AnnotateApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_missing_database_is_one_clear_line(tmp_path, opened):
    result = CliRunner().invoke(
        main, ["tui", "--db", str(tmp_path / "none.db"), "--annotator", "alice"]
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: database not found: {tmp_path / 'none.db'} (run 'nato-compare ingest' first)\n"
    )
    assert not (tmp_path / "none.db").exists() and opened == []


def test_bare_command_opens_the_default_database(tmp_path, opened, event_db, monkeypatch):
    runner = CliRunner()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(main, [])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: database not found: annotations.db (run 'nato-compare ingest' first)\n"
    )
    (work / "annotations.db").write_bytes(event_db.read_bytes())
    result = runner.invoke(main, [])
    assert result.exit_code == 0, result.output
    assert len(opened) == 1
    assert opened[0].db.path.name == "annotations.db" and opened[0].annotator is None


def test_annotator_and_codebook_are_passed_on(event_db, tmp_path, opened):
    codebook = tmp_path / "tone.toml"
    codebook.write_text(
        '[codebook]\nname = "Tone"\n[[dimensions]]\nname = "tone"\n'
        '[[dimensions.labels]]\nname = "positive"\nkey = "1"\n'
    )
    result = CliRunner().invoke(
        main, ["tui", "--db", str(event_db), "--annotator", " bob ", "--codebook", str(codebook)]
    )
    assert result.exit_code == 0, result.output
    assert opened[0].annotator == "bob"
    assert opened[0].codebook.name == "Tone"


def test_bad_input_is_refused_before_the_interface_opens(event_db, tmp_path, opened):
    runner = CliRunner()
    result = runner.invoke(main, ["tui", "--db", str(event_db), "--annotator", "  "])
    assert (
        result.exit_code == 2
        and "Invalid value for --annotator: must not be empty" in result.stderr
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[codebook]\nname = 'x'\n")
    result = runner.invoke(main, ["tui", "--db", str(event_db), "--codebook", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: invalid codebook {bad}: no dimensions: add at least one [[dimensions]] table\n"
    )
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE orders (id INTEGER)")
    conn.close()
    result = runner.invoke(main, ["tui", "--db", str(other)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {other} is a SQLite database but not a nato-compare one\n"
    assert opened == []


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["tui", "--help"])
    assert result.exit_code == 0
    assert "nato-compare tui --db annotations.db --annotator alice" in result.output
