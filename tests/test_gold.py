"""The seed articles' gold, and how well the aligner and the similarity find it.

``tests/data/gold_alignments.csv`` (passage pairs, the first gold) serves the similarity's
rank-1 test; ``tests/data/seed_claims.csv`` (sentence pairs, each justified) the aligner's
precision and recall at its defaults. The floors are the figures reached; a change that lowers
them is a regression. ``benchmarks/gold.py`` prints the similarity's figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz, process, utils

from nato_compare.alignment.aligner import align
from nato_compare.model import outlet_key
from nato_compare.alignment.similarity import similarity_many
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages

GOLD = Path(__file__).parent / "data" / "gold_alignments.csv"
# Stories first and "no counterpart" by default (issue 11) traded recall of these paraphrases
# for precision: 5 of 18 gold pairs (was 11), 5 of 23 kept pairs touching a gold passage (the
# others mostly pair gold passages with facts this older, smaller gold does not list).
CLAIMS = Path(__file__).parent / "data" / "seed_claims.csv"
# Reached at the defaults: 5 of 7 kept pairs state a common fact; 4 of the 41 distinct 'same'
# passage pairs end in one event. Paraphrase across these five articles is what the lexical
# similarity misses (docs/aligning.md); the floors guard precision first.
CLAIM_PRECISION_FLOOR = 0.65  # reached: 4 of 6 kept pairs state a common gold fact
CLAIM_RECALL_FLOOR = 0.09
RANK_ONE_FLOOR = 0.33  # reached: 12 of 36 directed gold pairs; token_set_ratio: 3 of 36


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    from nato_compare.pipeline import ingest_sources

    path = tmp_path_factory.mktemp("gold") / "seed.db"
    ingest_sources([Path(__file__).resolve().parent.parent / "sources"], path)
    db = open_db(path)
    try:
        return current_passages(db)
    finally:
        db.close()


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    with open(GOLD, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def score_matrix(texts: list[str]) -> np.ndarray:
    n = len(texts)
    ii, jj = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return similarity_many([texts[i] for i in ii.ravel()], [texts[j] for j in jj.ravel()]).reshape(
        n, n
    )


def rank_one(passages: list[dict], gold: list[dict], scores: np.ndarray) -> float:
    """Share of directed ``same`` pairs whose counterpart outranks every other-outlet
    passage outside the event."""
    index = {p["id"]: i for i, p in enumerate(passages)}
    keys = [outlet_key(p["outlet"], p["article_id"]) for p in passages]
    event = {r[f"passage_{s}"]: r["event"] for r in gold for s in "ab"}
    directed = [(r["passage_a"], r["passage_b"]) for r in gold if r["relation"] == "same"]
    directed += [(b, a) for a, b in directed]
    hits = 0
    for a, b in directed:
        i, j = index[a], index[b]
        rivals = [
            k
            for k, p in enumerate(passages)
            if keys[k] != keys[i] and event.get(p["id"]) != event[a]
        ]
        hits += bool((scores[i, rivals] < scores[i, j]).all())
    return hits / len(directed)


def test_gold_pairs_are_seed_passages_of_different_outlets(passages, gold) -> None:
    by_id = {p["id"]: p for p in passages}
    for row in gold:
        a, b = by_id[row["passage_a"]], by_id[row["passage_b"]]
        assert (a["article_id"], b["article_id"]) == (row["article_a"], row["article_b"])
        assert outlet_key(a["outlet"], a["article_id"]) != outlet_key(b["outlet"], b["article_id"])
        assert row["snippet_a"] in a["text"] and row["snippet_b"] in b["text"]
        assert row["relation"] in ("same", "related")
    same = [r for r in gold if r["relation"] == "same"]
    assert len(same) >= 12
    assert len({r["article_a"] for r in same} | {r["article_b"] for r in same}) >= 4


def test_align_at_its_defaults_pairs_what_the_seed_gold_says(passages) -> None:
    """Against the sentence-level gold (tests/data/seed_claims.csv): a kept pair is right when
    its two passages state a common fact ('same' or 'related'); recall counts the 'same' pairs
    whose two passages end in one event."""
    claims = list(csv.DictReader(open(CLAIMS, encoding="utf-8", newline="")))
    facts: dict[str, set[str]] = {}
    for row in claims:
        for side in "ab":
            facts.setdefault(row[f"passage_{side}"], set()).add(row["fact"])
    result = align(passages)
    right = [p for p in result.pairs if facts.get(p.a, set()) & facts.get(p.b, set())]
    events = [set(e.passage_ids) for e in result.events]  # a passage may be in several
    same = {(r["passage_a"], r["passage_b"]) for r in claims if r["relation"] == "same"}
    found = [(a, b) for a, b in same if any({a, b} <= e for e in events)]
    precision, recall = len(right) / len(result.pairs), len(found) / len(same)
    assert precision >= CLAIM_PRECISION_FLOOR, f"precision {precision:.2f}"
    assert recall >= CLAIM_RECALL_FLOOR, f"recall {recall:.2f}"


def test_true_counterparts_rank_first_far_more_often_than_with_token_set_ratio(
    passages, gold
) -> None:
    texts = [p["text"] for p in passages]
    ours = rank_one(passages, gold, score_matrix(texts))
    plain = rank_one(
        passages,
        gold,
        process.cdist(texts, texts, scorer=fuzz.token_set_ratio, processor=utils.default_process),
    )
    assert ours >= RANK_ONE_FLOOR
    assert ours >= 2 * plain
