"""How the aligner does on the five seed articles, judged against the sentence-level gold.

    python benchmarks/seeds.py                       # the aligner at its defaults
    python benchmarks/seeds.py --set threshold=50 --set min_links=1
    python benchmarks/seeds.py --events 0            # figures only, no event listing

The gold (``tests/data/seed_claims.csv``, ``tests/data/seed_facts.csv``) was written by reading
the articles: pairs of sentences from two articles that report the same fact (``same``) or the
same initiative only indirectly (``related``), each justified. The seeds are ingested into a
temporary database with the real ``ingest`` and aligned with
:func:`nato_compare.alignment.align` over their live passages. Printed:

- **recall** of the ``same`` sentence pairs: a pair is found when its two passages are kept as
  a pair or put in one event; when the aligner's pair evidence names the claims it matched
  (``claim_a`` / ``claim_b``), also how many are found with exactly the gold sentences;
- **precision** of the kept pairs: a pair is right when its two passages hold a common gold
  fact (``same`` or ``related``; a passage holding no shared fact makes the pair wrong), and
  with claims, when the two matched claims are (or hold, or lie in) gold sentences of it;
- **per fact**, whether one event holds the fact from at least two articles, how many of the
  fact's articles the best such event covers, and how many of its members hold another fact;
- the **events**, each member tagged with its gold facts, its first 100 characters and the
  claims it was matched by, so a reader can judge them.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nato_compare.alignment import AlignParams, align
from nato_compare.model import AlignedPair, AlignmentResult, Event, EventMember
from nato_compare.pipeline import ingest_sources
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages

REPO = Path(__file__).resolve().parent.parent
CLAIMS = REPO / "tests" / "data" / "seed_claims.csv"
FACTS = REPO / "tests" / "data" / "seed_facts.csv"
SOURCES = REPO / "sources"
# The facts several outlets report that issue 11 names (tests/test_seed_claims.py checks they
# are in seed_facts.csv).
ISSUE_FACTS = (
    "forty-billion-a-year",
    "no-nato-troops-in-ukraine",
    "hungary-veto",
    "nato-coordinates-aid",
    "membership-reluctance",
    "escalation-fear",
)


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def seed_passages(sources: Path = SOURCES) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "seeds.db"
        ingest_sources([sources], db_path)
        db = open_db(db_path)
        try:
            return current_passages(db)
        finally:
            db.close()


@dataclass
class Gold:
    """The gold claims indexed by passage."""

    claims: list[dict]
    facts: dict[str, dict]
    # passage id -> fact ids it holds (from same and related rows)
    facts_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # (passage id, fact id) -> the gold sentences of that fact in that passage
    sentences: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, claims_path: Path = CLAIMS, facts_path: Path = FACTS) -> Gold:
        gold = cls(read_csv(claims_path), {f["id"]: f for f in read_csv(facts_path)})
        for row in gold.claims:
            for side in "ab":
                passage = row[f"passage_{side}"]
                gold.facts_of[passage].add(row["fact"])
                gold.sentences[passage, row["fact"]].add(row[f"sentence_{side}"])
        return gold

    @property
    def same(self) -> list[dict]:
        return [r for r in self.claims if r["relation"] == "same"]


def _squash(text: str) -> str:
    return " ".join(text.split())


def claim_text(value: Any, passage: dict) -> str | None:
    """The text of a claim as pair evidence gives it: the text itself, ``{"text": ...}``,
    ``{"start", "end"}`` or ``[start, end]`` offsets into the passage (or into its article)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "text" in value:
            return str(value["text"])
        value = (value.get("start"), value.get("end"))
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
    ):
        start, end = value
        text = passage["text"]
        if end > len(text) and passage.get("start") is not None:
            start, end = start - passage["start"], end - passage["start"]
        if 0 <= start < end <= len(text):
            return text[start:end]
    return None


def overlaps(claim: str, sentences: Iterable[str]) -> bool:
    """Whether ``claim`` is one of ``sentences``, holds one or lies inside one (a claim splitter
    may cut a sentence differently from the gold)."""
    claim = _squash(claim)
    return any(claim in s or s in claim for s in map(_squash, sentences))


def pair_claims(pair: AlignedPair, by_id: dict[str, dict]) -> tuple[str, str] | None:
    evidence = pair.evidence or {}
    if "claim_a" not in evidence or "claim_b" not in evidence:
        return None
    a = claim_text(evidence["claim_a"], by_id[pair.a])
    b = claim_text(evidence["claim_b"], by_id[pair.b])
    return (a, b) if a is not None and b is not None else None


@dataclass
class Figures:
    same_pairs: int
    paired: int  # gold same pairs whose passages are a kept pair
    together: int  # ... or in one event
    found: int  # either
    exact: int | None  # ... with the claims the aligner matched equal to the gold sentences
    kept: int
    right: int  # kept pairs whose passages hold a common fact
    # kept pairs whose matched claims are gold sentences of a common fact (None: no claims)
    right_claims: int | None
    in_events: int
    right_in_events: int
    missed: list[dict]


def score(result: AlignmentResult, passages: list[dict], gold: Gold) -> Figures:
    by_id = {p["id"]: p for p in passages}
    events_of: dict[str, set[str]] = defaultdict(set)  # a passage may stand in several events
    for event in result.events:
        for member in event.members:
            events_of[member.passage_id].add(event.id)
    kept: dict[frozenset[str], list[AlignedPair]] = defaultdict(list)
    for pair in result.pairs:
        kept[frozenset((pair.a, pair.b))].append(pair)
    has_claims = any(pair_claims(p, by_id) for p in result.pairs)

    paired = together = found = exact = 0
    missed = []
    for row in gold.same:
        a, b = row["passage_a"], row["passage_b"]
        is_pair = frozenset((a, b)) in kept
        is_together = bool(events_of[a] & events_of[b])
        paired += is_pair
        together += is_together
        found += is_pair or is_together
        if not (is_pair or is_together):
            missed.append(row)
        gold_sentences = {a: _squash(row["sentence_a"]), b: _squash(row["sentence_b"])}
        for pair in kept.get(frozenset((a, b)), []):
            claims = pair_claims(pair, by_id)
            if (
                claims
                and {pair.a: _squash(claims[0]), pair.b: _squash(claims[1])} == gold_sentences
            ):
                exact += 1
                break

    def right(pair: AlignedPair) -> bool:
        return bool(gold.facts_of.get(pair.a, set()) & gold.facts_of.get(pair.b, set()))

    def right_claims(pair: AlignedPair) -> bool:
        claims = pair_claims(pair, by_id)
        if claims is None:
            return False
        common = gold.facts_of.get(pair.a, set()) & gold.facts_of.get(pair.b, set())
        return any(
            overlaps(claims[0], gold.sentences[pair.a, fact])
            and overlaps(claims[1], gold.sentences[pair.b, fact])
            for fact in common
        )

    within = [p for p in result.pairs if p.event_id]
    return Figures(
        same_pairs=len(gold.same),
        paired=paired,
        together=together,
        found=found,
        exact=exact if has_claims else None,
        kept=len(result.pairs),
        right=sum(map(right, result.pairs)),
        right_claims=sum(map(right_claims, result.pairs)) if has_claims else None,
        in_events=len(within),
        right_in_events=sum(map(right, within)),
        missed=missed,
    )


@dataclass
class FactVerdict:
    fact: str
    articles: int  # articles stating the fact (related ones when it has no same pair)
    related_only: bool
    events: int  # events holding the fact from >= 2 articles
    best_articles: int  # the fact's articles in the best of them
    intruders: int  # members of that event that do not hold the fact
    event_id: str | None

    @property
    def one_event(self) -> bool:
        return self.best_articles >= 2


def fact_verdicts(result: AlignmentResult, passages: list[dict], gold: Gold) -> list[FactVerdict]:
    article_of = {p["id"]: p["article_id"] for p in passages}
    verdicts = []
    for fact_id in gold.facts:
        rows = [r for r in gold.claims if r["fact"] == fact_id]
        if not rows:
            continue
        same = [r for r in rows if r["relation"] == "same"]
        used = same or rows
        fact_passages = {r[f"passage_{s}"] for r in used for s in "ab"}
        fact_articles = {article_of[p] for p in fact_passages}
        best: tuple[int, int, str | None] = (0, 0, None)
        events = 0
        for event in result.events:
            members = event.passage_ids
            articles = {article_of[p] for p in members if p in fact_passages}
            if len(articles) >= 2:
                events += 1
                intruders = sum(1 for p in members if fact_id not in gold.facts_of.get(p, set()))
                best = max(best, (len(articles), -intruders, event.id))
        verdicts.append(
            FactVerdict(fact_id, len(fact_articles), not same, events, best[0], -best[1], best[2])
        )
    return verdicts


def short_article(article_id: str) -> str:
    return article_id[:28]


def member_facts(member: EventMember, passage: dict, gold: Gold) -> set[str]:
    """The gold facts the member's claims (the sentences that put it in its event) state; a
    member put there by an analyst's link, with no claim, counts with its passage's facts."""
    facts = gold.facts_of.get(passage["id"], set())
    if not member.claims:
        return set(facts)
    said = {_squash(passage["text"][start:end]) for start, end in member.claims}
    return {f for f in facts if said & {_squash(t) for t in gold.sentences[passage["id"], f]}}


def one_fact(event: Event, by_id: dict[str, dict], gold: Gold) -> str | None:
    """The gold fact every member's claims state, or None (the event mixes facts or holds a
    claim the gold does not tie to its fact)."""
    common = set.intersection(*(member_facts(m, by_id[m.passage_id], gold) for m in event.members))
    return min(common) if common else None


def print_events(result: AlignmentResult, passages: list[dict], gold: Gold, limit: int) -> None:
    by_id = {p["id"]: p for p in passages}
    for event in result.events[:limit]:
        fact = one_fact(event, by_id, gold)
        verdict = f"one fact: {fact}" if fact else "NOT one fact"
        print(f"\n{event.id}  {event.outlets} outlets  {event.label!r}  ({verdict})")
        for member in event.members:
            p = by_id[member.passage_id]
            facts = ",".join(sorted(member_facts(member, p, gold))) or "-"
            print(
                f"  {short_article(p['article_id']):<28} ¶{p['seq']:<2} {member.score:5.1f}  [{facts}]"
            )
            print(f"      {_squash(p['text'])[:100]}")
            for start, end in member.claims:
                print(f"      claim: {_squash(p['text'][start:end])[:100]}")


def parse_overrides(items: Iterable[str]) -> dict[str, Any]:
    fields = AlignParams().to_dict()
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or key not in fields:
            raise SystemExit(f"--set wants NAME=VALUE with NAME one of: {', '.join(fields)}")
        try:
            overrides[key] = json.loads(raw)
        except json.JSONDecodeError:
            overrides[key] = raw
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one aligner setting (AlignParams field)",
    )
    parser.add_argument(
        "--events",
        type=int,
        default=100,
        metavar="N",
        help="print the first N events (default all, 0 for none)",
    )
    parser.add_argument("--missed", action="store_true", help="list the gold pairs not found")
    args = parser.parse_args(argv)

    changed = parse_overrides(args.set)
    passages = seed_passages()
    gold = Gold.load()
    params = AlignParams(**{**AlignParams().to_dict(), **changed})
    result = align(passages, params=params)
    figures = score(result, passages, gold)

    print(
        f"seeds: {len(passages)} passages; gold: {len(gold.claims)} sentence pairs "
        f"({figures.same_pairs} 'same', {len(gold.claims) - figures.same_pairs} 'related') "
        f"over {len({r['fact'] for r in gold.claims})} facts"
    )
    print(
        f"aligner: {'defaults' if not changed else changed}: "
        f"{figures.kept} pairs kept, {len(result.events)} events"
    )
    n = figures.same_pairs
    print(
        f"\nrecall of the 'same' sentence pairs: {figures.found}/{n} = {figures.found / n:.2f} "
        f"(kept as a pair {figures.paired}, in one event {figures.together})"
    )
    if figures.exact is None:
        print("  exact sentences: the pair evidence names no claims (no claim_a/claim_b)")
    else:
        print(
            f"  with exactly the gold sentences as the matched claims: {figures.exact}/{n} "
            f"= {figures.exact / n:.2f}"
        )
    if figures.kept:
        print(
            f"precision of the kept pairs: {figures.right}/{figures.kept} = "
            f"{figures.right / figures.kept:.2f} (a common gold fact in both passages)"
        )
    if figures.right_claims is not None and figures.kept:
        print(
            f"  with the matched claims gold sentences of that fact: {figures.right_claims}/"
            f"{figures.kept} = {figures.right_claims / figures.kept:.2f}"
        )
    if figures.in_events:
        print(
            f"  of the pairs inside events: {figures.right_in_events}/{figures.in_events} = "
            f"{figures.right_in_events / figures.in_events:.2f}"
        )

    verdicts = fact_verdicts(result, passages, gold)
    print(
        "\nper fact (one event = an event holds the fact from >= 2 articles; * named in issue 11):"
    )
    print(f"  {'fact':<33}{'articles':>9}{'events':>8}{'best':>6}{'intruders':>11}  verdict")
    for v in verdicts:
        kind = " (related only)" if v.related_only else ""
        verdict = "one event" if v.one_event else "not one event"
        if v.one_event and v.best_articles < v.articles:
            verdict += f", {v.articles - v.best_articles} article(s) left out"
        star = "*" if v.fact in ISSUE_FACTS else " "
        print(
            f"  {star}{v.fact:<32}{v.articles:>9}{v.events:>8}{v.best_articles:>6}{v.intruders:>11}"
            f"  {verdict}{kind}"
        )
    shared = [v for v in verdicts if v.articles >= 2 and not v.related_only]
    print(
        f"  {sum(v.one_event for v in shared)} of {len(shared)} facts stated in >= 2 articles "
        f"are one event"
    )
    named = [v for v in verdicts if v.fact in ISSUE_FACTS]
    print(
        f"  {sum(v.one_event for v in named)} of the {len(ISSUE_FACTS)} facts named in issue 11 "
        f"are one event; {sum(v.one_event and not v.intruders for v in named)} of them with no "
        f"member that does not hold the fact"
    )

    if args.missed:
        print("\ngold 'same' pairs not found:")
        for row in figures.missed:
            print(
                f"  [{row['fact']}] {row['sentence_a'][:70]!r}\n      -> {row['sentence_b'][:70]!r}"
            )
    by_id = {p["id"]: p for p in passages}
    single = sum(one_fact(e, by_id, gold) is not None for e in result.events)
    print(
        f"\nevents whose every member's claims state one gold fact: {single} of "
        f"{len(result.events)} (goal: all)"
    )
    if args.events:
        print(f"\nevents ({len(result.events)}):")
        print_events(result, passages, gold, args.events)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
