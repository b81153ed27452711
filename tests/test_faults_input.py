"""Fault suite, input: what comes in is checked at the door, told in one line, and a refused
input leaves the database as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner

from tests.common import dump
from tests.hostile import PASSAGE
from nato_compare.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_ingest_keeps_control_characters_and_says_which_it_found(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "evil", "outlet": "E", "text": PASSAGE}) + "\n")
    db = tmp_path / "c.db"
    result = run("ingest", corpus, "--db", db)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "warning: evil holds terminal control characters (BEL x1, ESC x2): "
        "stored as they are, shown as symbols"
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT text FROM passages").fetchone() == (PASSAGE,)  # the original
    conn.close()


def test_corpus_rows_with_wrong_types_are_refused_naming_line_and_field(seed_db, tmp_path):
    corpus = tmp_path / "typed.jsonl"
    corpus.write_text(
        json.dumps({"id": "ok", "outlet": "A", "text": "Fine."})
        + "\n"
        + json.dumps({"id": "x", "outlet": ["a", "b"], "text": "Listed outlet."})
        + "\n"
    )
    before = dump(seed_db)
    result = run("ingest", corpus, "--db", seed_db)
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: {corpus}:2: field \'outlet\' must be text, not a list (["a", "b"])\n'
    )
    corpus.write_text(json.dumps({"id": True, "text": "A boolean id."}) + "\n")
    result = run("ingest", corpus, "--db", seed_db)
    assert result.stderr == f"Error: {corpus}:1: field 'id' must be text, not true/false (true)\n"
    assert dump(seed_db) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_read_as_the_utf8_file(tmp_path, encoding):
    import codecs

    source = sorted((Path(__file__).parent.parent / "sources").glob("*.txt"))[0]
    text = source.read_text(encoding="utf-8")
    boms = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}
    (tmp_path / "utf8").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "utf8" / source.name).write_bytes(text.encode("utf-8"))
    # "utf-16"/"utf-32" write their own byte-order mark; the -be codecs none, so it is added
    (tmp_path / "other" / source.name).write_bytes(boms.get(encoding, b"") + text.encode(encoding))
    stored = []
    for folder in ("utf8", "other"):
        db = tmp_path / f"{folder}.db"
        result = run("ingest", tmp_path / folder / source.name, "--db", db)
        assert result.exit_code == 0, result.output
        conn = sqlite3.connect(db)
        stored.append(conn.execute("SELECT id, text FROM passages ORDER BY seq").fetchall())
        conn.close()
    assert stored[1] == stored[0] and len(stored[0]) > 3


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_instead_of_waited_on(tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    command = [str(Path(sys.executable).parent / "nato-compare"), "ingest", str(fifo)]
    done = subprocess.run(
        [*command, "--db", str(tmp_path / "f.db")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {fifo}: not a regular file (a named pipe, socket or device); give a file\n"
    )
    assert not (tmp_path / "f.db").exists()


def test_import_refuses_labels_the_codebook_does_not_have(seed_db, tmp_path):
    from nato_compare.export import export_annotations
    from nato_compare.store import open_db
    from nato_compare.store.annotations import set_single_label, toggle_label

    laptop = tmp_path / "laptop.db"
    laptop.write_bytes(seed_db.read_bytes())
    db = open_db(laptop)
    passage = db.execute("SELECT id FROM passages ORDER BY id LIMIT 1").fetchone()[0]
    toggle_label(db, "bob", passage, "zzz", "X")
    set_single_label(db, "bob", passage, "stance", "MAYBE")
    toggle_label(db, "bob", passage, "frame", "Economic")
    db.close()
    exported = tmp_path / "bob.csv"
    export_annotations(laptop, exported)
    before = dump(seed_db)
    result = run("import", exported, "--db", seed_db)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {exported}: 2 row(s) with labels not in the codebook (stance/MAYBE, zzz/X); "
        "nothing imported: give the codebook they were made with (--codebook), or accept "
        "them (--accept-unknown-labels)\n"
    )
    assert dump(seed_db) == before


def test_an_over_long_passage_is_cut_for_display_with_a_note(seed_db):
    from nato_compare.tui.data import DISPLAY_LIMIT, _shown_passage
    from nato_compare.store.worklist import EventPassage

    words = "word " * 1_000_000  # a page with no sentence or paragraph break
    passage = EventPassage("p", "a", 0, words, "Outlet", None, None, 1.0, False)
    shown = _shown_passage(passage).text
    assert shown.startswith(words[:DISPLAY_LIMIT])
    assert shown.endswith(
        f"[cut for display: {len(words) - DISPLAY_LIMIT:,} more characters; "
        "the database keeps the whole passage]"
    )
