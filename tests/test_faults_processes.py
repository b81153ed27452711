"""Fault suite, processes: align's worker processes end with it, however it ends, and a
killed run's temp file is cleaned up by the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nato_compare.alignment.parallel import available_cores


# A parent that starts two workers the way align does, prints their pids and works forever.
PARENT = """
import os, sys, time
from nato_compare.alignment import parallel
parallel.PARALLEL_MIN_ITEMS = 0

with parallel.process_pool(2, 100) as pool:
    list(pool.executor.map(time.sleep, [0.3, 0.3]))  # both workers started
    pids = {p.pid for p in pool.executor._processes.values()}
    print(" ".join(map(str, sorted(pids))), flush=True)
    busy = [pool.executor.submit(time.sleep, 600) for _ in pids]  # a long alignment
    busy[0].result()
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or available_cores() < 2, reason="needs /proc, 2 cores"
)
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_worker_processes_end_when_their_parent_is_killed(how):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
        parent.send_signal(how)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        if parent.poll() is None:
            parent.kill()
        try:
            os.killpg(parent.pid, signal.SIGKILL)  # whatever is left, so no test leaks it
        except ProcessLookupError:
            pass


def test_the_next_run_removes_the_temp_file_of_a_killed_run(seed_db, tmp_path):
    from click.testing import CliRunner

    from nato_compare.cli import main

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid whose process has ended: the killed run's
    stale = tmp_path / f".pairs.csv.pid{gone.pid}.k1ll3d00.tmp"
    stale.write_text("half a file")
    running = tmp_path / f".pairs.csv.pid{os.getpid()}.run01234.tmp"  # another run, writing
    running.write_text("being written")
    result = CliRunner().invoke(
        main, ["align", "--db", str(seed_db), "--output", str(tmp_path / "pairs.csv")]
    )
    assert result.exit_code == 0, result.output
    assert f"warning: removed {stale}, left by an earlier run that was stopped" in result.stderr
    assert not stale.exists() and running.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == [running.name]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc: children, grandchildren ...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


# The real align command, with worker processes even for a corpus this small.
ALIGN = """
import sys
from nato_compare.alignment import parallel
parallel.PARALLEL_MIN_ITEMS = 0
from nato_compare.cli import main
sys.argv = ["nato-compare", "align", "--db", sys.argv[1], "--processes", "2"]
main()
"""


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or available_cores() < 2, reason="needs /proc, 2 cores"
)
def test_kill_9_of_align_leaves_no_process_behind(tmp_path):
    import importlib.util
    import json

    from nato_compare.pipeline import ingest_sources

    spec = importlib.util.spec_from_file_location(
        "scale", Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"
    )
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    rows, _ = scale.generate_corpus(4000, outlets=5, seed=3)
    articles: dict[str, tuple[str, list[str]]] = {}
    for row in rows:
        articles.setdefault(row["article_id"], (row["outlet"], []))[1].append(row["text"])
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for article_id, (outlet, texts) in articles.items():
            record = {"id": article_id, "outlet": outlet, "text": "\n\n".join(texts)}
            out.write(json.dumps(record) + "\n")
    db = tmp_path / "big.db"
    ingest_sources([corpus], db)
    align = subprocess.Popen(
        [sys.executable, "-c", ALIGN, str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        seen: set[int] = set()
        deadline = time.monotonic() + 60
        # the forkserver and at least one worker under it
        while len(seen) < 3 and align.poll() is None and time.monotonic() < deadline:
            seen |= {pid for pid in descendants(align.pid) if alive(pid)}
            time.sleep(0.02)
        assert len(seen) >= 3, "align finished before its workers were seen"
        align.kill()
        align.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in seen if alive(pid)] == []
    finally:
        if align.poll() is None:
            align.kill()
        try:
            os.killpg(align.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
