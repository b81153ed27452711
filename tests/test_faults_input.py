"""Fault suite, input: what comes in is checked at the door, told in one line, and a refused
input leaves the database as it was."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from hostile import PASSAGE
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
