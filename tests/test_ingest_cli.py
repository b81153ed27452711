"""`nato-compare ingest` against real temporary databases: idempotence, edits, bad input."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.common import dump
from nato_compare.cli import main

RUTTE = "unknown-2024-10-rutte-40-billion-pledge"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_ingest_seeds_writes_articles_and_passages(tmp_path: Path, sources_copy: Path) -> None:
    db = tmp_path / "a.db"
    result = run("ingest", str(sources_copy), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "5 articles: 5 added" in result.output
    assert rows(db, "SELECT count(*) FROM articles") == [(5,)]
    assert rows(db, "SELECT count(*) FROM passages")[0][0] > 60
    outlets = {r[0] for r in rows(db, "SELECT outlet FROM articles")}
    assert outlets == {"CGTN", "ICARO Media Group", "The Eastern Herald", "unknown"}


def test_ingest_is_idempotent(tmp_path: Path, sources_copy: Path) -> None:
    db = tmp_path / "a.db"
    run("ingest", str(sources_copy), "--db", str(db))
    before = dump(db)
    result = run("ingest", str(sources_copy), "--db", str(db))
    assert result.exit_code == 0
    assert "0 added, 0 updated, 5 unchanged; 0 passages added, 0 superseded" in result.output
    assert dump(db) == before


def test_edited_source_keeps_annotations_attached(tmp_path: Path, sources_copy: Path) -> None:
    db = tmp_path / "a.db"
    run("ingest", str(sources_copy), "--db", str(db))
    (kept_id, kept_text), (dropped_id, dropped_text) = rows(
        db, "SELECT id, text FROM passages WHERE article_id = ? ORDER BY seq LIMIT 2", (RUTTE,)
    )
    conn = sqlite3.connect(db)
    with conn:
        for passage in (kept_id, dropped_id):
            conn.execute(
                "INSERT INTO annotations (id, annotator, passage_id, dimension, label, note, created_at) "
                "VALUES (?, 'alice', ?, 'stance', 'FAVOR', '', '2024-01-01T00:00:00+00:00')",
                (uuid.uuid4().hex, passage),
            )
    conn.close()

    source = sources_copy / f"{RUTTE}.txt"
    text = source.read_text(encoding="utf-8")
    new_paragraph = "NATO ministers will meet again in Brussels next week to review the aid pledge."
    source.write_text(text.replace(dropped_text, new_paragraph), encoding="utf-8")
    result = run("ingest", str(sources_copy), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output and "1 passages added, 1 superseded" in result.output

    live = dict(rows(db, "SELECT id, superseded_at FROM passages WHERE article_id = ?", (RUTTE,)))
    assert live[kept_id] is None  # unchanged passage: same id, still live
    assert live[dropped_id] is not None  # gone from the source: kept, marked superseded
    annotated = rows(db, "SELECT passage_id FROM annotations ORDER BY passage_id")
    assert sorted(p for (p,) in annotated) == sorted([kept_id, dropped_id])
    assert rows(db, "PRAGMA foreign_key_check") == []
    assert (
        new_paragraph in rows(db, "SELECT cleaned_text FROM articles WHERE id = ?", (RUTTE,))[0][0]
    )


def test_non_utf8_file_is_read_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "latin.txt").write_bytes(
        "Le secrétaire général de l’OTAN a annoncé une aide de 40 milliards d’euros à Kyiv.".encode(
            "cp1252"
        )
    )
    result = run("ingest", str(folder), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "not valid UTF-8" in result.output
    assert "secrétaire général" in rows(tmp_path / "a.db", "SELECT text FROM passages")[0][0]


@pytest.mark.parametrize(
    ("make_bad", "message"),
    [
        (lambda d: (d / "empty.txt").write_text(""), "empty.txt: file is empty"),
        (
            lambda d: (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            "image.txt: binary file, not text",
        ),
        (
            lambda d: (d / "menu.txt").write_text("Home\nWorld\nSubscribe\n"),
            "menu.txt: no article text left after removing boilerplate",
        ),
        (
            lambda d: (d / "bad.jsonl").write_text('{"id": "x", "text": "ok"}\n{not json\n'),
            "bad.jsonl:2: not valid JSON",
        ),
    ],
    ids=["empty", "binary", "only-boilerplate", "bad-jsonl"],
)
def test_bad_file_refused_and_database_unchanged(
    tmp_path: Path, sources_copy: Path, make_bad, message: str
) -> None:
    db = tmp_path / "a.db"
    run("ingest", str(sources_copy), "--db", str(db))
    before = dump(db)
    (sources_copy / f"{RUTTE}.txt").write_text(
        "An edit that must not land, because another file is bad.", encoding="utf-8"
    )
    make_bad(sources_copy)
    result = run("ingest", str(sources_copy), "--db", str(db))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {message}"] or message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert dump(db) == before


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    result = run("ingest", str(tmp_path / "nope"), "--db", str(db))
    assert result.exit_code == 1
    assert result.output == f"Error: no such file or directory: {tmp_path / 'nope'}\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"PK")
    result = run("ingest", str(empty), "--db", str(db))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {empty}: no article files (")
    assert not db.exists()  # nothing was created for a run that ingested nothing


def test_unsupported_file_type(tmp_path: Path) -> None:
    doc = tmp_path / "article.pdf"
    doc.write_bytes(b"%PDF-1.7")
    result = run("ingest", str(doc), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 1
    assert "unsupported file type .pdf" in result.output


def test_ingest_help_explains_itself() -> None:
    result = run("ingest", "--help")
    assert result.exit_code == 0
    for words in ("SOURCES", ".jsonl", "manifest.csv", "superseded", "--db", "Example"):
        assert words in result.output


def test_html_source_without_trafilatura_says_which_extra_installs_it(
    tmp_path: Path, sources_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """trafilatura is in the `html` extra: without it an HTML source stops the run in one line
    and nothing is written, while text sources need nothing more."""
    import sys

    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails
    (sources_copy / "story.html").write_text("<html><body><p>Text.</p></body></html>", "utf-8")
    db = tmp_path / "a.db"
    result = run("ingest", str(sources_copy), "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: story.html: reading HTML needs trafilatura, which is not installed: "
        "pip install 'nato-compare[html]'\n"
    )
    assert dump(db) == [] or not rows(db, "SELECT * FROM articles")
    (sources_copy / "story.html").unlink()
    assert run("ingest", str(sources_copy), "--db", str(db)).exit_code == 0
