"""Alignment precision where "same topic, other event" is the trap: ECB+ (Cybulska & Vossen 2014).

    python benchmarks/ecbplus.py                 # the real command's defaults, end to end
    python benchmarks/ecbplus.py --show 5        # and print five events to read

ECB+ holds 982 articles in 43 topics; each topic has two halves reporting two different events
of the same kind (two rehab check-ins, two earthquakes). ``../shared/eval/ecbplus`` keeps it in
the project's corpus form; it is ingested into a temporary database with the real ``ingest``
and aligned with :func:`nato_compare.alignment.align_db` at the defaults. Printed:

- **purity** — the share of aligned pairs whose two articles report the same event;
- **events covered** — events (of 86) with at least one correct pair;
- **cross-event pairs** — the share of all pairs joining the two events of one topic;
- **seminal sentences** — of the sentences the ECB+ annotators marked as reporting their event
  (``seminal_sentences.csv``), the share aligned with a passage of another article of the same
  event (recall), and of the aligned pairs touching such a sentence, the share whose other side
  reports the same event (precision).
"""

from __future__ import annotations

import argparse
import csv
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from nato_compare.alignment import align_db
from nato_compare.pipeline import ingest_sources
from nato_compare.store import open_db

REPO = Path(__file__).resolve().parent.parent
ECBPLUS = REPO.parent / "shared" / "eval" / "ecbplus"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_truth() -> tuple[dict[str, str], dict[str, str], set[tuple[str, str]]]:
    """article -> event, event -> topic, and the (article, sentence) pairs marked seminal."""
    event_of, topic_of = {}, {}
    with (ECBPLUS / "events.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            event_of[row["article_id"]] = row["event"]
            topic_of[row["event"]] = row["topic"]
    seminal = set()
    with (ECBPLUS / "seminal_sentences.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            seminal.add((row["article_id"], _squash(row["text"])))
    return event_of, topic_of, seminal


def score(db_path: Path, show: int = 0) -> dict[str, float]:
    event_of, topic_of, seminal = load_truth()
    db = open_db(db_path)
    try:
        passages = {
            row["id"]: row
            for row in db.query(
                "SELECT id, article_id, text FROM passages WHERE superseded_at IS NULL"
            )
        }
        pairs = [(r["passage_a"], r["passage_b"]) for r in db.query("SELECT * FROM alignments")]
        events = defaultdict(list)
        for row in db.query("SELECT event_id, passage_id FROM event_passages"):
            events[row["event_id"]].append(row["passage_id"])
    finally:
        db.close()
    article = {pid: row["article_id"] for pid, row in passages.items()}
    is_seminal = {
        pid: (row["article_id"], _squash(row["text"])) in seminal for pid, row in passages.items()
    }
    right = cross = 0
    covered: set[str] = set()
    aligned_seminal: set[str] = set()
    touching = touching_right = 0
    for a, b in pairs:
        ea, eb = event_of[article[a]], event_of[article[b]]
        same = ea == eb
        right += same
        cross += (not same) and topic_of[ea] == topic_of[eb]
        if same:
            covered.add(ea)
        for x in (a, b):
            if is_seminal[x]:
                touching += 1
                touching_right += same
                if same:
                    aligned_seminal.add(x)
    n_seminal = sum(is_seminal.values())
    # events whose members all report one event
    pure_events = sum(
        len({event_of[article[p]] for p in members}) == 1 for members in events.values()
    )
    figures = {
        "pairs": len(pairs),
        "purity": right / len(pairs) if pairs else 0.0,
        "events_covered": len(covered),
        "events_total": len(set(event_of.values())),
        "cross_event_share": cross / len(pairs) if pairs else 0.0,
        "seminal_recall": len(aligned_seminal) / n_seminal if n_seminal else 0.0,
        "seminal_precision": touching_right / touching if touching else 0.0,
        "seminal_sentences": n_seminal,
        "events": len(events),
        "pure_events": pure_events,
    }
    for event_id, members in list(events.items())[:show]:
        print(f"\n{event_id}:")
        for pid in members:
            print(
                f"  [{event_of[article[pid]]:>7}] {article[pid]:<14} {passages[pid]['text'][:110]}"
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print this many events to read")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "ecbplus.db"
        started = time.perf_counter()
        ingest_sources([ECBPLUS / "corpus.jsonl"], db_path)
        ingested = time.perf_counter()
        summary = align_db(db_path)
        aligned = time.perf_counter()
        f = score(db_path, args.show)
    print(
        f"\nECB+ at the defaults: {f['pairs']} pairs in {f['events']} events "
        f"(ingest {ingested - started:.1f} s, align {aligned - ingested:.1f} s, "
        f"{summary.passages} passages)"
    )
    print(f"  purity of the pairs              {f['purity']:.3f}   (goal >= 0.98)")
    print(
        f"  events covered                   {f['events_covered']} of {f['events_total']}   (goal: all)"
    )
    print(
        f"  pairs joining two events of a topic {100 * f['cross_event_share']:.2f} %   (goal < 1 %)"
    )
    print(
        f"  seminal sentences aligned        {100 * f['seminal_recall']:.1f} % of "
        f"{f['seminal_sentences']}   (goal >= 80 %), precision {f['seminal_precision']:.3f}"
    )
    print(f"  events holding one ECB+ event    {f['pure_events']} of {f['events']}")


if __name__ == "__main__":
    main()
