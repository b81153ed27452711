"""Concurrent writers: N processes label passages of one database at once, through the library.

Each process is one annotator toggling LABELS distinct labels on the 2,000 passages of a
made-up corpus (so 1-2 labels per passage, as a codebook of a few frames gives) with
:func:`nato_compare.store.annotations.toggle_label` (one transaction per label, as the TUI
writes a key press). Prints the writes per second over all processes, the longest wait of one
write, and checks that every label is stored exactly once.

    python benchmarks/concurrent_writers.py                 # 4 processes x 2,500 labels
    python benchmarks/concurrent_writers.py --processes 8 --labels 1000
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def corpus(folder: Path, articles: int = 100, paragraphs: int = 20) -> Path:
    """A JSONL corpus of ``articles`` x ``paragraphs`` passages from two outlets."""
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for a in range(articles):
            text = "\n\n".join(
                f"Paragraph {p} of article {a} says something different, number {a * 100 + p}."
                for p in range(paragraphs)
            )
            row = {"id": f"a{a}", "outlet": f"Outlet {a % 2}", "title": f"Article {a}"}
            out.write(json.dumps({**row, "text": text}) + "\n")
    return path


def passage_ids(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM passages ORDER BY id")]
    finally:
        conn.close()


def writer(db_path: str, annotator: str, labels: int, start, results) -> None:
    """Toggle ``labels`` distinct (passage, label) pairs on; report (waits, failures)."""
    from nato_compare.store import open_db
    from nato_compare.store.annotations import toggle_label

    db = open_db(db_path)
    passages = passage_ids(Path(db_path))
    targets = [(passages[i % len(passages)], f"L{i // len(passages)}") for i in range(labels)]
    start.wait()
    waits, failures = [], 0
    for passage, label in targets:
        began = time.perf_counter()
        try:
            toggle_label(db, annotator, passage, "frame", label)
        except Exception as exc:  # counted and reported: the point is that there are none
            failures += 1
            print(f"{annotator}: {type(exc).__name__}: {exc}", file=sys.stderr)
        waits.append(time.perf_counter() - began)
    db.close()
    results.put((annotator, waits, failures))


def run(db_path: Path, processes: int, labels: int) -> dict:
    """Run the writers; return the figures and the stored-row check."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=writer, args=(str(db_path), f"coder{n}", labels, start, results))
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    time.sleep(1.0)  # every process has opened the database and is waiting at the start line
    began = time.perf_counter()
    start.set()
    reports = [results.get() for _ in workers]
    seconds = time.perf_counter() - began
    for worker in workers:
        worker.join()
    conn = sqlite3.connect(db_path)
    try:
        stored = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM annotations "
            "GROUP BY annotator, passage_id, dimension, label HAVING count(*) > 1)"
        ).fetchone()[0]
    finally:
        conn.close()
    waits = [w for _, ws, _ in reports for w in ws]
    return {
        "writes": processes * labels,
        "failures": sum(f for _, _, f in reports),
        "stored": stored,
        "doubled": doubled,
        "seconds": seconds,
        "writes_per_second": processes * labels / seconds,
        "max_wait": max(waits),
        "median_wait": sorted(waits)[len(waits) // 2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--labels", type=int, default=2500, help="labels per process")
    args = parser.parse_args()
    from nato_compare.pipeline import ingest_sources

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        ingest_sources([corpus(Path(folder))], db_path)
        figures = run(db_path, args.processes, args.labels)
    print(
        f"{args.processes} processes x {args.labels:,} labels: "
        f"{figures['writes_per_second']:,.0f} writes/s over {figures['seconds']:.1f} s; "
        f"wait per write median {figures['median_wait'] * 1000:.1f} ms, "
        f"max {figures['max_wait'] * 1000:.0f} ms"
    )
    print(
        f"stored {figures['stored']:,} of {figures['writes']:,} labels, "
        f"{figures['doubled']} doubled, {figures['failures']} writes failed"
    )
    if figures["failures"] or figures["doubled"] or figures["stored"] != figures["writes"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
