"""How often the true counterpart of a gold passage ranks first, per scorer, on the seed articles.

    python benchmarks/gold.py

For every gold pair (``tests/data/gold_alignments.csv``: cross-outlet passages
that report the same event, relation ``same``) and each direction (a → b), the
passages of all other outlets are ranked by their score against ``a``; the pair
counts as rank 1 when no passage outside a's event outscores ``b`` (another
passage of the same event above ``b``, or a ``related`` one, is no error). Printed for plain rapidfuzz
``token_set_ratio`` on whole paragraphs and for :func:`nato_compare.alignment.similarity`.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

from nato_compare.model import outlet_key
from nato_compare.pipeline import ingest_sources
from nato_compare.alignment.similarity import similarity_many
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "gold_alignments.csv"


def seed_passages() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "seed.db"
        ingest_sources([REPO / "sources"], db_path)
        db = open_db(db_path)
        try:
            return current_passages(db)
        finally:
            db.close()


def load_gold(path: Path = GOLD) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def rank_one_accuracy(
    passages: list[dict], gold: list[dict], score_matrix: np.ndarray
) -> tuple[float, list[tuple[str, str, int]]]:
    """Share of directed gold pairs whose counterpart outranks every passage outside the
    event; also the misses as (passage, counterpart, rank among non-event passages + 1)."""
    index = {p["id"]: i for i, p in enumerate(passages)}
    keys = [outlet_key(p["outlet"], p["article_id"]) for p in passages]
    event_of: dict[str, str] = {}
    for row in gold:
        event_of[row["passage_a"]] = event_of[row["passage_b"]] = row["event"]
    hits, misses = 0, []
    same = [r for r in gold if r["relation"] == "same"]
    directed = [(r["passage_a"], r["passage_b"]) for r in same] + [
        (r["passage_b"], r["passage_a"]) for r in same
    ]
    for a, b in directed:
        i, j = index[a], index[b]
        rivals = [
            k
            for k, p in enumerate(passages)
            if keys[k] != keys[i] and event_of.get(p["id"]) != event_of[a]
        ]
        above = int((score_matrix[i, rivals] >= score_matrix[i, j]).sum())
        if above == 0:
            hits += 1
        else:
            misses.append((a, b, above + 1))
    return hits / len(directed), misses


def precision_recall(pairs: set[frozenset[str]], gold: list[dict]) -> tuple[float, float, int]:
    """Recall of the ``same`` gold pairs; precision among kept pairs touching a gold passage
    (right when both passages belong to the same gold event)."""
    event = {r[f"passage_{s}"]: r["event"] for r in gold for s in "ab"}
    same = {frozenset((r["passage_a"], r["passage_b"])) for r in gold if r["relation"] == "same"}
    touching = [pair for pair in pairs if pair & event.keys()]
    correct = [pair for pair in touching if len({event.get(x) for x in pair}) == 1]
    return (
        len(correct) / len(touching) if touching else float("nan"),
        len(pairs & same) / len(same),
        len(touching),
    )


def print_align_figures(passages: list[dict], gold: list[dict]) -> None:
    from nato_compare.alignment.aligner import AlignParams, align

    print(f"\nnato_compare.alignment.aligner at its defaults ({AlignParams()}):")
    result = align(passages)
    precision, recall, touching = precision_recall(
        {frozenset((p.a, p.b)) for p in result.pairs}, gold
    )
    print(
        f"  {len(result.pairs)} pairs; on gold: precision {precision:.2f} "
        f"({touching} pairs touch a gold passage), recall {recall:.2f}"
    )
    events = [set(e.passage_ids) for e in result.events]  # a passage may stand in several
    same = [(r["passage_a"], r["passage_b"]) for r in gold if r["relation"] == "same"]
    together = sum(1 for a, b in same if any({a, b} <= e for e in events))
    within = sum(1 for p in result.pairs if p.event_id)
    print(
        f"  {len(result.events)} events; {within} of the {len(result.pairs)} pairs lie within an "
        f"event; {together} of the {len(same)} gold pairs are in one event"
    )


def main() -> int:
    passages = seed_passages()
    gold = load_gold()
    texts = [p["text"] for p in passages]
    n = len(texts)
    token_set = process.cdist(
        texts, texts, scorer=fuzz.token_set_ratio, processor=utils.default_process, workers=-1
    )
    ii, jj = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    ours = similarity_many([texts[i] for i in ii.ravel()], [texts[j] for j in jj.ravel()]).reshape(
        n, n
    )
    same = [r for r in gold if r["relation"] == "same"]
    print(
        f"{len(passages)} seed passages, {len(same)} gold pairs "
        f"({len({r['event'] for r in same})} events), {2 * len(same)} directed\n"
    )
    print(f"{'scorer':<40} rank-1 accuracy")
    results = {}
    for name, matrix in [
        ("rapidfuzz token_set_ratio (paragraphs)", token_set),
        ("nato_compare similarity", ours),
    ]:
        accuracy, misses = rank_one_accuracy(passages, gold, matrix)
        results[name] = misses
        print(f"{name:<40} {accuracy:.2f}")
    print_align_figures(passages, gold)
    if "-v" in sys.argv:
        by_id = {p["id"]: p["text"] for p in passages}
        for a, b, rank in results["nato_compare similarity"]:
            print(f"\nmissed (rank {rank}): {by_id[a][:90]}\n   -> {by_id[b][:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
