"""`nato-compare align`: stored runs and events, the CSV/JSONL output, and bad input."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tests.common import dump
from nato_compare.cli import main
from nato_compare.pipeline import ingest_sources

REQUIRED_COLUMNS = [
    "event_id",
    "score",
    "article_a",
    "outlet_a",
    "passage_a",
    "text_a",
    "article_b",
    "outlet_b",
    "passage_b",
    "text_b",
]

LOOSE = ("--threshold", "5")  # many pairs on the seeds, whatever the scorer


def run(*args: str):
    return CliRunner().invoke(main, ["align", *args])


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_seed_alignment_csv_matches_the_stored_run(seed_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "alignments.csv"
    result = run("--db", str(seed_db), "--output", str(out), "--threshold", "5")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns[:10]) == REQUIRED_COLUMNS
    assert {"shared_numbers", "shared_words"} <= set(frame.columns)
    stored = rows(seed_db, "SELECT passage_a, passage_b, score FROM alignments")
    assert len(frame) == len(stored) > 0
    assert set(zip(frame.passage_a, frame.passage_b)) == {(a, b) for a, b, _ in stored}
    assert (frame.outlet_a != frame.outlet_b).any()
    texts = dict(rows(seed_db, "SELECT id, text FROM passages"))
    first = frame.iloc[0]
    assert first.text_a == texts[first.passage_a] and first.text_b == texts[first.passage_b]
    assert (frame.score >= 5).all()
    # the run is recorded with its parameters, and the summary says what was done
    ((run_params, n_pairs, n_events),) = rows(
        seed_db, "SELECT params, pairs, events FROM align_runs"
    )
    assert json.loads(run_params)["threshold"] == 5 and n_pairs == len(frame)
    assert n_events == rows(seed_db, "SELECT count(*) FROM events")[0][0]
    assert "82 passages from 5 outlets" in result.stderr
    assert f"{len(frame)} pairs kept" in result.stderr


def test_events_are_stored_and_stay_stable_across_runs(seed_db: Path) -> None:
    assert run("--db", str(seed_db), *LOOSE).exit_code == 0
    events = rows(seed_db, "SELECT id, passages, outlets FROM events ORDER BY seq")
    members = rows(seed_db, "SELECT event_id, passage_id, score FROM event_passages ORDER BY 1, 2")
    assert events and all(outlets >= 2 for _, _, outlets in events)
    for event_id, size, _ in events:
        assert size == sum(1 for e, _, _ in members if e == event_id)
    conn = sqlite3.connect(seed_db)
    with conn:
        conn.execute(
            "INSERT INTO event_notes VALUES ('alice', ?, 'same pledge', '2026-01-01')",
            [events[0][0]],
        )
    conn.close()
    assert run("--db", str(seed_db), *LOOSE).exit_code == 0
    assert rows(seed_db, "SELECT id, passages, outlets FROM events ORDER BY seq") == events
    assert (
        rows(seed_db, "SELECT event_id, passage_id, score FROM event_passages ORDER BY 1, 2")
        == members
    )
    assert rows(seed_db, "SELECT count(*) FROM align_runs") == [(2,)]
    assert rows(seed_db, "SELECT count(*) FROM alignments WHERE run_id = 1") == [(0,)]
    ((note_event,),) = rows(seed_db, "SELECT event_id FROM event_notes")
    assert note_event in {e for e, _, _ in events}


def test_a_higher_threshold_keeps_fewer_pairs(seed_db: Path) -> None:
    assert run("--db", str(seed_db), *LOOSE).exit_code == 0
    low = rows(seed_db, "SELECT count(*) FROM alignments")[0][0]
    assert run("--db", str(seed_db), "--threshold", "20").exit_code == 0
    high = rows(seed_db, "SELECT count(*) FROM alignments")[0][0]
    assert high < low
    assert rows(seed_db, "SELECT min(score) >= 20 OR count(*) = 0 FROM alignments") == [(1,)]


def test_output_dash_writes_jsonl_to_stdout(seed_db: Path) -> None:
    result = run("--db", str(seed_db), "--output", "-", "--format", "jsonl", *LOOSE)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and set(REQUIRED_COLUMNS) <= set(records[0])
    assert isinstance(records[0]["evidence"], dict)
    assert len(records) == rows(seed_db, "SELECT count(*) FROM alignments")[0][0]


def test_without_output_nothing_goes_to_stdout(seed_db: Path) -> None:
    result = run("--db", str(seed_db))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "pairs kept" in result.stderr


@pytest.mark.parametrize(
    "option, value, message",
    [
        (
            "--threshold",
            "120",
            "Invalid value for '--threshold': 120.0 is not in the range 0<=x<=100",
        ),
        (
            "--threshold",
            "-1",
            "Invalid value for '--threshold': -1.0 is not in the range 0<=x<=100",
        ),
        ("--threshold", "nan", "Invalid value for '--threshold': 'nan' is not a number"),
        ("--threshold", "NaN", "Invalid value for '--threshold': 'NaN' is not a number"),
        ("--neighbours", "0", "Invalid value for '--neighbours': 0 is not in the range x>=1"),
        ("--nonsense", "1", "No such option '--nonsense'"),
    ],
)
def test_out_of_range_options_are_one_line_usage_errors(
    seed_db: Path, option: str, value: str, message: str
) -> None:
    before = dump(seed_db)
    result = run("--db", str(seed_db), option, value)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message} (see 'main align --help')\n"
    assert dump(seed_db) == before


def test_an_empty_database_file_is_refused_and_left_empty(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    result = run("--db", str(db))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {db} is empty (zero bytes), not a database: "
        f"run 'nato-compare ingest SOURCES --db {db}' first\n"
    )
    assert db.read_bytes() == b""


def test_a_database_without_passages_is_refused(tmp_path: Path) -> None:
    from nato_compare.store import open_db

    db = tmp_path / "blank.db"
    open_db(db).close()
    before = dump(db)
    result = run("--db", str(db))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no passages in {db}: run 'nato-compare ingest SOURCES --db {db}' first\n"
    )
    assert dump(db) == before


def test_a_missing_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    result = run("--db", str(db))
    assert result.exit_code == 1
    assert result.stderr == f"Error: database not found: {db} (run 'nato-compare ingest' first)\n"
    assert not db.exists()


def test_a_single_outlet_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "one-outlet.jsonl"
    lines = [
        {
            "id": f"cgtn-{i}",
            "outlet": "CGTN",
            "text": f"NATO met in Brussels on day {i} "
            "to discuss military aid to Ukraine and the pledge.",
        }
        for i in range(3)
    ]
    corpus.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    db = tmp_path / "one.db"
    ingest_sources([corpus], db)
    before = dump(db)
    result = run("--db", str(db))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: only one outlet in {db} (CGTN): aligning needs articles "
        "from at least two outlets\n"
    )
    assert dump(db) == before


def test_an_unwritable_output_leaves_the_database_unchanged(seed_db: Path, tmp_path: Path) -> None:
    before = dump(seed_db)
    missing_dir = tmp_path / "no" / "such" / "out.csv"
    result = run("--db", str(seed_db), "--output", str(missing_dir))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: cannot write {missing_dir}: folder {missing_dir.parent} does not exist\n"
    )
    result = run("--db", str(seed_db), "--output", str(tmp_path))
    assert result.exit_code == 2  # click refuses a directory for a file option
    assert dump(seed_db) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_a_read_only_output_folder_leaves_the_database_unchanged(
    seed_db: Path, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    before = dump(seed_db)
    try:
        result = run("--db", str(seed_db), "--output", str(locked / "out.csv"))
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {locked / 'out.csv'}: permission denied\n"
    assert dump(seed_db) == before
    assert list(locked.iterdir()) == []


def test_a_failed_write_rolls_the_run_back(seed_db: Path, tmp_path: Path, monkeypatch) -> None:
    from nato_compare.alignment import database as align_pipeline

    def broken(rows, stream, fmt):
        stream.write("event_id,score\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(align_pipeline, "write_alignments", broken)
    before = dump(seed_db)
    out = tmp_path / "out.csv"
    result = run("--db", str(seed_db), "--output", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {out}: No space left on device\n"
    assert dump(seed_db) == before
    assert list(tmp_path.glob("*out.csv*")) == []


def test_a_bad_process_count_is_one_line_and_changes_nothing(seed_db: Path) -> None:
    before = dump(seed_db)
    result = run("--db", str(seed_db), "--processes", "-3")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: processes must be -1 (every core) or at least 1, not -3"
    ]
    assert dump(seed_db) == before


def test_the_database_is_never_overwritten_by_the_output(seed_db: Path, tmp_path: Path) -> None:
    from nato_compare.store import open_db

    before = dump(seed_db)
    result = run("--db", str(seed_db), "--output", str(seed_db))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {seed_db}: it is the database {seed_db}\n"
    link = tmp_path / "pairs.csv"  # another name for the same file
    link.symlink_to(seed_db)
    result = run("--db", str(seed_db), "--output", str(link))
    assert result.exit_code == 1 and result.stderr.startswith(
        f"Error: cannot write {link}: it is the database"
    )
    other = tmp_path / "other.db"  # nor is any other SQLite database
    open_db(other).close()
    result = run("--db", str(seed_db), "--output", str(other))
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: cannot write {other}: it is a SQLite database (not overwritten)\n"
    )
    assert dump(seed_db) == before
    assert other.read_bytes().startswith(b"SQLite format 3")


def test_a_link_as_output_writes_the_file_it_points_to(seed_db: Path, tmp_path: Path) -> None:
    real = tmp_path / "shared" / "pairs.csv"
    real.parent.mkdir()
    real.write_text("last week's pairs\n")
    link = tmp_path / "pairs.csv"
    link.symlink_to(real)
    assert run("--db", str(seed_db), "--output", str(link), *LOOSE).exit_code == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert list(pd.read_csv(real).columns[:10]) == REQUIRED_COLUMNS


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_output_file_gets_the_mode_the_umask_says(
    seed_db: Path, tmp_path: Path, umask: int, mode: int
) -> None:
    out = tmp_path / "pairs.csv"
    old = os.umask(umask)
    try:
        assert run("--db", str(seed_db), "--output", str(out)).exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == mode


def test_a_named_pipe_is_written_to_not_replaced(seed_db: Path, tmp_path: Path) -> None:
    import stat
    import threading

    pipe = tmp_path / "pairs.pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(
        target=lambda: received.append(pipe.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    try:
        result = run("--db", str(seed_db), "--output", str(pipe), *LOOSE)
        reader.join(timeout=30)
    finally:
        if reader.is_alive():  # the command never opened the pipe: let the reader go
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received and received[0].startswith("event_id,score,article_a")


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
@pytest.mark.parametrize("stdout_is", ["pipe", "file"])
def test_dev_stdout_writes_to_standard_output_whatever_it_is(
    seed_db: Path, tmp_path: Path, stdout_is: str
) -> None:
    import subprocess
    import sys

    command = [
        sys.executable,
        "-c",
        "from nato_compare.cli import main; main()",
        "align",
        "--db",
        str(seed_db),
        "--output",
        "/dev/stdout",
        *LOOSE,
    ]
    if stdout_is == "pipe":
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        written = done.stdout
    else:
        log = tmp_path / "log.csv"
        log.write_text("kept line\n")
        with open(log, "a") as stream:  # as `>> log.csv` opens it
            done = subprocess.run(
                command, stdout=stream, stderr=subprocess.PIPE, text=True, timeout=300
            )
        written = log.read_text()
        assert written.startswith("kept line\nevent_id,")  # appended, as `>>` asked
    assert done.returncode == 0, done.stderr
    assert "event_id,score,article_a" in written


def test_the_database_files_are_refused_by_name_even_when_absent(seed_db: Path) -> None:
    before = dump(seed_db)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = f"{seed_db}{suffix}"
        result = run("--db", str(seed_db), "--output", companion)
        assert result.exit_code == 1, suffix
        assert result.stderr == f"Error: cannot write {companion}: it is the database {companion}\n"
    assert dump(seed_db) == before


def test_links_that_loop_or_lead_nowhere_are_one_line_before_aligning(
    seed_db: Path, tmp_path: Path
) -> None:
    before = dump(seed_db)
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    result = run("--db", str(seed_db), "--output", str(tmp_path / "a.csv"))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: cannot write {tmp_path / 'a.csv'}: ")
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere" / "pairs.csv")
    result = run("--db", str(seed_db), "--output", str(dangling))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot write {dangling}: folder {tmp_path / 'nowhere'} does not exist\n"
    )
    assert "pairs kept" not in result.stderr  # refused before the alignment ran
    assert dump(seed_db) == before


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
def test_a_full_device_is_one_line_the_run_rolled_back_and_the_device_kept(seed_db: Path) -> None:
    before = dump(seed_db)
    result = run("--db", str(seed_db), "--output", "/dev/full")
    assert result.exit_code == 1
    assert result.stderr == "Error: cannot write /dev/full: No space left on device\n"
    assert dump(seed_db) == before
    assert Path("/dev/full").is_char_device()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_that_takes_no_new_file_is_one_line(seed_db: Path) -> None:
    before = dump(seed_db)
    result = run("--db", str(seed_db), "--output", "/proc/pairs.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write /proc/pairs.csv: ")
    assert len(result.stderr.splitlines()) == 1
    assert dump(seed_db) == before


def test_per_article_one_keeps_one_passage_of_an_article_per_event(tmp_path: Path) -> None:
    # one outlet tells the pledge over two consecutive paragraphs, the other in one
    pledge = "Rutte said in Brussels that NATO allies will keep military aid to Ukraine at 40 billion euros next year."
    corpus = tmp_path / "pledge.jsonl"
    lines = [
        {"id": "cgtn-1", "outlet": "CGTN", "text": pledge},
        {
            "id": "herald-1",
            "outlet": "The Eastern Herald",
            "text": "NATO chief Rutte told reporters in Brussels that allies would keep military "
            "aid to Ukraine at 40 billion euros next year.\n\nRutte said in Brussels the 40 "
            "billion euros of military aid to Ukraine next year would come from NATO allies.",
        },
    ]
    corpus.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    db = tmp_path / "pledge.db"
    ingest_sources([corpus], db)

    def most_passages_of_one_article() -> int:
        return rows(
            db,
            "SELECT max(n) FROM (SELECT count(*) AS n FROM event_passages ep "
            "JOIN passages p ON p.id = ep.passage_id GROUP BY ep.event_id, p.article_id)",
        )[0][0]

    assert run("--db", str(db)).exit_code == 0
    assert most_passages_of_one_article() == 2  # the default: two consecutive paragraphs
    assert run("--db", str(db), "--per-article", "1").exit_code == 0
    ((params,),) = rows(db, "SELECT params FROM align_runs ORDER BY id DESC LIMIT 1")
    assert json.loads(params)["per_article"] == 1
    assert most_passages_of_one_article() == 1
    bad = run("--db", str(db), "--per-article", "0")
    assert bad.exit_code == 2 and "--per-article" in bad.stderr


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc/PID/wchan")
def test_a_pipe_waiting_for_its_reader_leaves_the_database_free(
    seed_db: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys
    import time

    pipe = tmp_path / "pairs.pipe"
    os.mkfifo(pipe)
    command = [
        sys.executable,
        "-c",
        "from nato_compare.cli import main; main()",
        "align",
        "--db",
        str(seed_db),
        "--output",
        str(pipe),
        *LOOSE,
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        wchan = Path(f"/proc/{process.pid}/wchan")
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if wchan.read_text() in ("wait_for_partner", "fifo_open", "pipe_wait"):
                break  # aligned, and waiting in open() for a reader of the pipe
            time.sleep(0.05)
        else:
            pytest.skip(f"the command did not wait on the pipe (wchan {wchan.read_text()!r})")
        # meanwhile the database takes writes: an annotator's key presses are saved
        other = sqlite3.connect(seed_db, timeout=0.5, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()
        written = pipe.read_text(encoding="utf-8")
        assert process.wait(timeout=60) == 0, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert written.startswith("event_id,score,article_a")
