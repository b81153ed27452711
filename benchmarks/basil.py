"""Alignment on a real multi-outlet corpus: BASIL (Fan et al., EMNLP 2019).

    python benchmarks/basil.py                  # default settings: purity and coverage
    python benchmarks/basil.py --sweep          # the same for a range of thresholds and links
    python benchmarks/basil.py --baseline       # and plain rapidfuzz best-match, for comparison
    python benchmarks/basil.py --held-out       # threshold and links chosen on half the events

BASIL has 100 events, each reported by Fox News, The New York Times and HuffPost (300 articles;
``triplet-uuid`` says which articles cover the same event). The articles are converted to the
JSONL corpus form in a temporary folder (the data stays in ``../shared``), ingested with
:func:`nato_compare.pipeline.ingest_sources` and aligned with
:func:`nato_compare.alignment.database.align_db` at the default settings. Printed:

- **purity** — the share of aligned cross-outlet pairs whose two articles cover the same event;
- **coverage** — the events (out of 100) with at least one aligned pair between two of its
  articles.

The score's calibration was fitted on BASIL, and the defaults were checked on it,
so those figures are not held out. ``--held-out`` splits the 100 events in two halves (by
``triplet-uuid``, alternately), chooses the threshold and ``neighbours`` on one half (the most
events covered with purity at least 0.95; the calibration is a monotone map of the score, so a
threshold chosen afresh stands for a calibration fitted afresh) and reports the other half, both
ways round, beside the defaults on the same half.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

from nato_compare.alignment.aligner import AlignParams, align
from nato_compare.alignment.database import align_db
from nato_compare.pipeline import ingest_sources
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages

REPO = Path(__file__).resolve().parent.parent

BASIL = REPO.parent / "shared" / "eval" / "basil" / "articles"
OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}


def write_corpus(folder: Path, target: Path) -> dict[str, str]:
    """BASIL articles as one JSONL corpus; returns article id -> triplet (event) id."""
    event_of: dict[str, str] = {}
    with target.open("w", encoding="utf-8") as out:
        for path in sorted(folder.glob("*/*.json")):
            article = json.loads(path.read_text(encoding="utf-8"))
            paragraphs = [
                " ".join(s.strip() for s in p if s.strip()) for p in article["body-paragraphs"]
            ]
            text = "\n\n".join(p for p in paragraphs if p)
            if not text:
                continue
            article_id = f"basil-{path.stem}"
            event_of[article_id] = article["triplet-uuid"]
            out.write(
                json.dumps(
                    {
                        "id": article_id,
                        "outlet": OUTLETS.get(article["source"], article["source"]),
                        "title": article.get("title"),
                        "date": article.get("date"),
                        "url": article.get("url"),
                        "text": text,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return event_of


def figures(pairs: list[tuple[str, str]], event_of: dict[str, str]) -> tuple[float, int, int]:
    """(purity, events covered, pairs) of aligned pairs given as (article_a, article_b)."""
    same = [event_of[a] for a, b in pairs if event_of[a] == event_of[b]]
    purity = len(same) / len(pairs) if pairs else 0.0
    return purity, len(set(same)), len(pairs)


HELD_OUT_THRESHOLDS = (5, 10, 20, 30, 40, 50, 60)
HELD_OUT_NEIGHBOURS = (2, 3, 5, 8)
PURITY_WANTED = 0.95


def halves(event_of: dict[str, str]) -> tuple[set[str], set[str]]:
    """The events split in two halves, alternately in the order of their ids."""
    events = sorted(set(event_of.values()))
    return set(events[0::2]), set(events[1::2])


def aligned_figures(
    passages: list[dict], event_of: dict[str, str], params: AlignParams
) -> tuple[float, int, int]:
    article_of = {p["id"]: p["article_id"] for p in passages}
    result = align(passages, params=params)
    return figures([(article_of[p.a], article_of[p.b]) for p in result.pairs], event_of)


def held_out(passages: list[dict], event_of: dict[str, str]) -> None:
    """Choose threshold and neighbours on one half of the events, report the other half."""
    first, second = halves(event_of)
    of_half = {
        name: [p for p in passages if event_of[p["article_id"]] in half]
        for name, half in (("A", first), ("B", second))
    }
    print(
        f"held out: events split in two halves of {len(first)} and {len(second)}; "
        f"threshold in {HELD_OUT_THRESHOLDS}, neighbours in {HELD_OUT_NEIGHBOURS}"
    )
    for fit, test in (("A", "B"), ("B", "A")):
        grid = []
        for threshold in HELD_OUT_THRESHOLDS:
            for neighbours in HELD_OUT_NEIGHBOURS:
                params = AlignParams(
                    threshold=threshold, neighbours=neighbours, with_evidence=False
                )
                purity, covered, n_pairs = aligned_figures(of_half[fit], event_of, params)
                grid.append((purity >= PURITY_WANTED, covered, purity, threshold, neighbours))
        _, _, fit_purity, threshold, neighbours = max(grid)
        chosen = AlignParams(threshold=threshold, neighbours=neighbours, with_evidence=False)
        purity, covered, n_pairs = aligned_figures(of_half[test], event_of, chosen)
        default_purity, default_covered, default_pairs = aligned_figures(
            of_half[test], event_of, AlignParams(with_evidence=False)
        )
        events = len({event_of[p["article_id"]] for p in of_half[test]})
        print(
            f"  chosen on {fit} (threshold {threshold}, neighbours {neighbours}; purity there "
            f"{fit_purity:.3f}) -> on {test}: purity {purity:.3f}, covered {covered}/{events}, "
            f"{n_pairs} pairs; the defaults on {test}: purity {default_purity:.3f}, "
            f"covered {default_covered}/{events}, {default_pairs} pairs"
        )


def baseline(passages: list[dict], threshold: float) -> list[tuple[str, str]]:
    """Plain rapidfuzz: each paragraph's best ``token_sort_ratio`` match in every other outlet."""
    texts = [p["text"] for p in passages]
    outlets = np.array([p["outlet"] for p in passages])
    scores = process.cdist(
        texts,
        texts,
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        dtype=np.uint8,
        workers=-1,
    )
    kept = set()
    for i in range(len(passages)):
        for outlet in set(outlets.tolist()) - {outlets[i]}:
            columns = np.flatnonzero(outlets == outlet)
            j = columns[np.argmax(scores[i, columns])]
            if scores[i, j] >= threshold:
                kept.add((min(i, j), max(i, j)))
    return [(passages[i]["article_id"], passages[j]["article_id"]) for i, j in sorted(kept)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=AlignParams().threshold)
    parser.add_argument("--neighbours", type=int, default=AlignParams().neighbours)
    parser.add_argument("--sweep", action="store_true", help="figures for thresholds 10..90")
    parser.add_argument("--baseline", action="store_true", help="also plain rapidfuzz best-match")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="threshold and neighbours chosen on half the events, figures on the other half",
    )
    args = parser.parse_args(argv)
    if not BASIL.is_dir():
        print(f"BASIL not found at {BASIL}: skipped", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        corpus, db_path = Path(tmp) / "basil.jsonl", Path(tmp) / "basil.db"
        event_of = write_corpus(BASIL, corpus)
        ingest_sources([corpus], db_path)
        db = open_db(db_path)
        passages = current_passages(db)
        article_of = {p["id"]: p["article_id"] for p in passages}
        db.close()
        params = AlignParams(threshold=args.threshold, neighbours=args.neighbours)
        start = time.perf_counter()
        summary = align_db(db_path, params)
        seconds = time.perf_counter() - start
        db = open_db(db_path)
        pairs = [
            (article_of[a], article_of[b])
            for a, b in db.execute("SELECT passage_a, passage_b FROM alignments")
        ]
        in_an_event = db.execute(
            "SELECT count(*) FROM alignments WHERE event_id IS NOT NULL"
        ).fetchone()[0]
        members: dict[str, set[str]] = {}
        for event_id, passage_id in db.execute("SELECT event_id, passage_id FROM event_passages"):
            members.setdefault(event_id, set()).add(event_of[article_of[passage_id]])
        db.close()
        purity, covered, n_pairs = figures(pairs, event_of)
        print(
            f"BASIL: {len(event_of)} articles, {len(set(event_of.values()))} events, "
            f"{summary.passages} passages"
        )
        print(
            f"aligner (threshold {params.threshold:g}, neighbours {params.neighbours}): "
            f"purity {purity:.3f}, "
            f"covered {covered}/100, {n_pairs} pairs, {summary.events} events, "
            f"{summary.candidates} candidates scored, {seconds:.1f} s"
        )
        pure = sum(len(events) == 1 for events in members.values())
        print(
            f"events: {len(members)}, of which {pure / max(1, len(members)):.3f} hold passages of one "
            f"BASIL event only; {in_an_event} of the {n_pairs} pairs lie within an event"
        )
        if args.sweep:
            for neighbours in (3, 5, 8):
                for threshold in range(10, 95, 10):
                    result = align(
                        passages,
                        params=AlignParams(
                            threshold=threshold, neighbours=neighbours, with_evidence=False
                        ),
                    )
                    kept = [(article_of[p.a], article_of[p.b]) for p in result.pairs]
                    purity, covered, n_pairs = figures(kept, event_of)
                    print(
                        f"  neighbours {neighbours}, threshold {threshold:>3}: purity {purity:.3f}, "
                        f"covered {covered:>3}/100, {n_pairs} pairs"
                    )
        if args.held_out:
            held_out(passages, event_of)
        if args.baseline:
            for threshold in (60, 70):
                purity, covered, n_pairs = figures(baseline(passages, threshold), event_of)
                print(
                    f"baseline token_sort_ratio >= {threshold}: purity {purity:.3f}, "
                    f"covered {covered}/100, {n_pairs} pairs"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
