"""Fault suite, writers: several programs write one database at once; nobody's write is lost.

Every write transaction begins as a write (BEGIN IMMEDIATE) and waits for the one holding the
lock; before, four processes writing labels had 8,026 of 10,000 writes refused with
"database is locked" within 0.06 s.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.common import dump
from nato_compare.cli import main
from nato_compare.store import open_db
from nato_compare.store.annotations import toggle_label

REPO = Path(__file__).resolve().parent.parent
NATO_COMPARE = str(Path(sys.executable).parent / "nato-compare")  # the installed command

# One annotator toggling LABELS distinct labels on the passages, one transaction each (as a key
# press in the TUI); it waits at the start line so the processes really write at the same time.
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from nato_compare.store import open_db
    from nato_compare.store.annotations import toggle_label
    db_path, annotator, labels, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    db = open_db(db_path)
    passages = [r[0] for r in db.execute("SELECT id FROM passages ORDER BY id")]
    while not start.exists():
        time.sleep(0.01)
    for i in range(labels):
        toggle_label(db, annotator, passages[i % len(passages)], "frame", f"L{i // len(passages)}")
    db.close()
    """
)


def corpus(folder: Path, articles: int = 100, paragraphs: int = 20) -> Path:
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for a in range(articles):
            text = "\n\n".join(
                f"Paragraph {p} of article {a}, number {a * 100 + p}." for p in range(paragraphs)
            )
            out.write(json.dumps({"id": f"a{a}", "outlet": f"Outlet {a % 2}", "text": text}) + "\n")
    return path


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    from nato_compare.pipeline import ingest_sources

    path = tmp_path / "team.db"
    ingest_sources([corpus(tmp_path)], path)
    return path


def test_four_processes_writing_2500_labels_each_store_every_label_exactly_once(big_db, tmp_path):
    start = tmp_path / "start"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(big_db), f"coder{n}", "2500", str(start)],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    time.sleep(0.5)
    start.touch()
    errors = [w.communicate(timeout=300)[1] for w in writers]
    assert [w.returncode for w in writers] == [0] * 4, errors
    conn = sqlite3.connect(big_db)
    try:
        per_coder = dict(conn.execute("SELECT annotator, count(*) FROM annotations GROUP BY 1"))
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM annotations "
            "GROUP BY annotator, passage_id, dimension, label HAVING count(*) > 1)"
        ).fetchone()[0]
        logged = conn.execute("SELECT count(*) FROM action_log").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    assert per_coder == {f"coder{n}": 2500 for n in range(4)}
    assert doubled == 0 and logged == 10_000 and integrity == "ok"


class LockHolder:
    """Another program holding the write lock: for ``seconds`` once, or again and again."""

    def __init__(self, path: Path, seconds: float, repeat: bool = False) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.seconds, self.repeat = seconds, repeat
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)
        self.thread.start()

    def _hold(self) -> None:
        while True:
            self.stop.wait(self.seconds)
            self.conn.execute("COMMIT")
            if not self.repeat or self.stop.is_set():
                return
            time.sleep(0.02)
            self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.stop.set()
        self.thread.join()
        self.conn.close()


def test_a_label_written_while_another_program_writes_waits_and_is_stored(seed_db):
    db = open_db(seed_db)
    passage = db.execute("SELECT id FROM passages LIMIT 1").fetchone()[0]
    holder = LockHolder(seed_db, 0.5)
    try:
        began = time.monotonic()
        toggle_label(db, "alice", passage, "frame", "Economic")
        waited = time.monotonic() - began
    finally:
        holder.release()
        db.close()
    assert waited >= 0.4  # it waited for the other writer instead of failing
    conn = sqlite3.connect(seed_db)
    assert conn.execute("SELECT label FROM annotations").fetchall() == [("Economic",)]
    conn.close()


def _export(tmp_path: Path, db: Path, annotator: str, label: str) -> Path:
    """An export file holding one label of ``annotator`` on the database's first passage."""
    from nato_compare.export import export_annotations

    scratch = tmp_path / f"{annotator}.db"
    scratch.write_bytes(db.read_bytes())
    handle = open_db(scratch)
    passage = handle.execute("SELECT id FROM passages ORDER BY id LIMIT 1").fetchone()[0]
    toggle_label(handle, annotator, passage, "frame", label)
    handle.close()
    out = tmp_path / f"{annotator}.csv"
    export_annotations(scratch, out)
    return out


def test_concurrent_imports_and_an_ingest_wait_for_each_other(seed_db, tmp_path, sources_copy):
    exports = [_export(tmp_path, seed_db, f"coder{n}", "Economic") for n in range(4)]
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "x1", "outlet": "Extra", "text": "A new article."}) + "\n")
    holder = LockHolder(seed_db, 1.0)  # e.g. align's commit
    try:
        commands = [[NATO_COMPARE, "import", str(e), "--db", str(seed_db)] for e in exports] + [
            [NATO_COMPARE, "ingest", str(extra), "--db", str(seed_db)]
        ]
        running = [
            subprocess.Popen(c, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for c in commands
        ]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in running]
    finally:
        holder.release()
    assert [code for code, _ in results] == [0] * 5, results
    conn = sqlite3.connect(seed_db)
    try:
        coders = [r[0] for r in conn.execute("SELECT annotator FROM annotations ORDER BY 1")]
        assert coders == [f"coder{n}" for n in range(4)]
        assert conn.execute("SELECT count(*) FROM articles WHERE id = 'x1'").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_database_locked_beyond_the_timeout_is_one_line_and_nothing_changes(
    seed_db, tmp_path, monkeypatch
):
    export = _export(tmp_path, seed_db, "bob", "Morality")
    before = dump(seed_db)
    monkeypatch.setenv("NATO_COMPARE_BUSY_TIMEOUT", "0.3")
    holder = LockHolder(seed_db, 2.0)
    try:
        result = CliRunner().invoke(main, ["import", str(export), "--db", str(seed_db)])
    finally:
        holder.release()
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {seed_db} is locked: another program has been writing to it for more than "
        "0.3 s; try again when it has finished (nothing was changed)\n"
    )
    assert dump(seed_db) == before


def _ingest_during_alignments(monkeypatch, db_path: Path, folder: Path, times: int) -> list:
    """Make another program ingest a new article while each of the first ``times`` alignments
    runs (after the aligner read the passages, before the run is stored)."""
    from nato_compare.alignment import database
    from nato_compare.pipeline import ingest_sources

    real_align, ingested = database.align, []

    def align_while_ingesting(passages, **kwargs):
        result = real_align(passages, **kwargs)
        if len(ingested) < times:
            extra = folder / f"late{len(ingested)}.jsonl"
            row = {"id": f"late{len(ingested)}", "outlet": "Late", "text": "Written meanwhile."}
            extra.write_text(json.dumps(row) + "\n")
            ingested.append(ingest_sources([extra], db_path))
        return result

    monkeypatch.setattr(database, "align", align_while_ingesting)
    return ingested


def test_align_notices_passages_ingested_while_it_ran_and_aligns_them(
    seed_db, tmp_path, monkeypatch
):
    from nato_compare.alignment import align_db

    ingested = _ingest_during_alignments(monkeypatch, seed_db, tmp_path, times=1)
    with pytest.warns(UserWarning, match="changed while aligning"):
        summary = align_db(seed_db)
    conn = sqlite3.connect(seed_db)
    try:
        live = conn.execute("SELECT count(*) FROM passages WHERE superseded_at IS NULL").fetchone()
        stored = conn.execute("SELECT passages FROM align_runs WHERE id = ?", [summary.run_id])
        assert stored.fetchone() == live  # the stored run aligned every live passage
        assert conn.execute("SELECT count(*) FROM align_runs").fetchone() == (1,)
    finally:
        conn.close()
    assert len(ingested) == 1 and summary.passages == live[0]


def test_align_gives_up_in_one_line_when_the_passages_keep_changing(seed_db, tmp_path, monkeypatch):
    from nato_compare.alignment import align_db
    from nato_compare.alignment.database import ATTEMPTS
    from nato_compare.errors import NatoCompareError

    ingested = _ingest_during_alignments(monkeypatch, seed_db, tmp_path, times=ATTEMPTS)
    with pytest.warns(UserWarning), pytest.raises(NatoCompareError, match="changed during each"):
        align_db(seed_db)
    assert len(ingested) == ATTEMPTS
    conn = sqlite3.connect(seed_db)
    try:  # the ingests landed; no run, event or pair was stored
        assert conn.execute("SELECT count(*) FROM align_runs").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM articles WHERE outlet = 'Late'").fetchone() == (
            ATTEMPTS,
        )
    finally:
        conn.close()


def test_an_event_made_in_the_interface_while_align_runs_is_in_the_stored_run(seed_db, monkeypatch):
    """The analyst makes a new event (N) while `align` runs, after it read the judgements: the
    run it stores holds that event (it aligns again with the judgement), so the event does not
    vanish from the analyst's list until some later run."""
    from nato_compare.alignment import align_db, database
    from nato_compare.store import open_db
    from nato_compare.store.new_events import new_event
    from tests.events_fixture import apart_from

    align_db(seed_db)
    db = open_db(seed_db)
    passage = db.execute(
        "SELECT passage_id FROM event_passages ORDER BY event_id, passage_id LIMIT 1"
    ).fetchone()[0]
    other = apart_from(db, passage)
    db.close()
    real_align, made = database.align, []

    def align_while_the_analyst_works(passages, **kwargs):
        result = real_align(passages, **kwargs)
        if not made:
            writer = open_db(seed_db)
            made.append(new_event(writer, "alice", passage, other)["event_id"])
            writer.close()
        return result

    monkeypatch.setattr(database, "align", align_while_the_analyst_works)
    with pytest.warns(UserWarning, match="judgements of .* changed while aligning"):
        align_db(seed_db)
    conn = sqlite3.connect(seed_db)
    try:
        members = conn.execute(
            "SELECT passage_id FROM event_passages WHERE event_id = ? ORDER BY 1", made
        ).fetchall()
        assert members == sorted([(passage,), (other,)])
    finally:
        conn.close()
