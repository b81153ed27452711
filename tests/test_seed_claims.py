"""The sentence-level gold of the seed articles is consistent with the seeds as ingested.

``tests/data/seed_claims.csv`` pairs sentences of different seed articles that report the same
fact (relation ``same``) or the same initiative only indirectly (``related``), each with a
justification; ``tests/data/seed_facts.csv`` lists the facts and which articles state each.
Both were written by reading the five articles; ``benchmarks/seeds.py`` scores the aligner on
them. These tests fail when a re-ingest changes passage ids or text, when a sentence is edited
into a fragment, or when the two files disagree.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from nato_compare.model import outlet_key
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages

DATA = Path(__file__).parent / "data"
CLAIMS = DATA / "seed_claims.csv"
FACTS = DATA / "seed_facts.csv"
COLUMNS = [
    "fact",
    "relation",
    "article_a",
    "passage_a",
    "sentence_a",
    "article_b",
    "passage_b",
    "sentence_b",
    "justification",
]
# The facts several outlets report that issue 11 names; the gold must say where each stands.
SHARED_FACTS = {
    "forty-billion-a-year",
    "no-nato-troops-in-ukraine",
    "hungary-veto",
    "nato-coordinates-aid",
    "membership-reluctance",
    "escalation-fear",
}
# A sentence ends in . ! or ? (a closing quote may follow) and the next one starts after a space.
SENTENCE_END = re.compile(r"[.!?][”\"]?$")
SENTENCE_BEFORE = re.compile(r"[.!?][”\"]?\s+$")


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    from nato_compare.pipeline import ingest_sources

    path = tmp_path_factory.mktemp("seed_claims") / "seed.db"
    ingest_sources([Path(__file__).resolve().parent.parent / "sources"], path)
    db = open_db(path)
    try:
        return {p["id"]: p for p in current_passages(db)}
    finally:
        db.close()


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def claims() -> list[dict]:
    return read(CLAIMS)


@pytest.fixture(scope="module")
def facts() -> dict[str, dict]:
    rows = read(FACTS)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "a fact id is listed twice"
    return {r["id"]: r for r in rows}


def is_whole_sentence(sentence: str, text: str) -> bool:
    start = text.find(sentence)
    end = start + len(sentence)
    starts = start == 0 or bool(SENTENCE_BEFORE.search(text[:start]))
    ends = bool(SENTENCE_END.search(sentence)) and (end == len(text) or text[end].isspace())
    return start >= 0 and starts and ends and sentence == sentence.strip()


def test_every_sentence_is_a_whole_sentence_of_a_live_seed_passage(passages, claims) -> None:
    assert claims and list(claims[0]) == COLUMNS
    for row in claims:
        for side in "ab":
            passage = passages.get(row[f"passage_{side}"])
            assert passage is not None, f"{row[f'passage_{side}']} is no live seed passage"
            assert passage["article_id"] == row[f"article_{side}"]
            assert is_whole_sentence(row[f"sentence_{side}"], passage["text"]), row[
                f"sentence_{side}"
            ]


def test_pairs_join_two_outlets_and_are_justified(passages, claims) -> None:
    for row in claims:
        a, b = passages[row["passage_a"]], passages[row["passage_b"]]
        assert outlet_key(a["outlet"], a["article_id"]) != outlet_key(b["outlet"], b["article_id"])
        assert row["relation"] in ("same", "related")
        assert len(row["justification"].split()) >= 5, row["justification"]


def test_no_pair_is_listed_twice(claims) -> None:
    keys = [
        frozenset({(r["passage_a"], r["sentence_a"]), (r["passage_b"], r["sentence_b"])})
        for r in claims
    ]
    assert len(keys) == len(set(keys))


def test_at_least_forty_same_pairs_over_all_five_articles(claims) -> None:
    same = [r for r in claims if r["relation"] == "same"]
    assert len(same) >= 40
    assert len({r[f"article_{s}"] for r in same for s in "ab"}) == 5


def test_facts_and_pairs_agree(passages, claims, facts) -> None:
    articles = {p["article_id"] for p in passages.values()}
    assert SHARED_FACTS <= facts.keys()
    assert {r["fact"] for r in claims} <= facts.keys()
    for fact_id, fact in facts.items():
        stated = set(filter(None, fact["articles"].split(";")))
        indirect = set(filter(None, fact["related_articles"].split(";")))
        assert fact["description"] and (stated | indirect) <= articles and not stated & indirect
        rows = [r for r in claims if r["fact"] == fact_id]
        same = {r[f"article_{s}"] for r in rows if r["relation"] == "same" for s in "ab"}
        related = {r[f"article_{s}"] for r in rows if r["relation"] == "related" for s in "ab"}
        # A fact stated in several articles has its pairs; one stated once says so.
        assert same == stated if same else len(stated) <= 1, fact_id
        assert related <= stated | indirect, fact_id
