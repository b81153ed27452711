"""Pairs per second of ``similarity_many`` on ~300-character passages.

    python benchmarks/similarity_speed.py [--pairs 1000000] [--passages 20000] [--workers -1]

Passages are built (seeded) from the words of the seed articles, ~300 characters
each; pairs are drawn at random among them, as the aligner's candidate pairs are.
Prints the time to normalise the passages once and to score the pairs.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from nato_compare.alignment.similarity import normalize, similarity_many_normalized

SOURCES = Path(__file__).resolve().parents[1] / "sources"
SEED = 7


def make_passages(n: int, rng: random.Random) -> list[str]:
    words = re.findall(
        r"\S+", " ".join(p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt")))
    )
    passages = []
    for _ in range(n):
        start = rng.randrange(len(words) - 80)
        text, k = [], start
        while sum(len(w) + 1 for w in text) < 300:
            text.append(words[k] if rng.random() > 0.2 else rng.choice(words))
            k += 1
        passages.append(" ".join(text))
    return passages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=-1)
    args = parser.parse_args()
    rng = random.Random(SEED)
    passages = make_passages(args.passages, rng)
    start = time.perf_counter()
    normalized = [normalize(p) for p in passages]
    t_norm = time.perf_counter() - start
    left = [normalized[rng.randrange(len(normalized))] for _ in range(args.pairs)]
    right = [normalized[rng.randrange(len(normalized))] for _ in range(args.pairs)]
    start = time.perf_counter()
    scores = similarity_many_normalized(left, right, workers=args.workers)
    t_score = time.perf_counter() - start
    mean_chars = sum(map(len, passages)) / len(passages)
    print(
        f"passages: {len(passages)} (mean {mean_chars:.0f} characters); "
        f"normalised in {t_norm:.2f} s ({len(passages) / t_norm:,.0f} passages/s)"
    )
    print(
        f"pairs scored: {len(scores):,} in {t_score:.2f} s "
        f"({len(scores) / t_score:,.0f} pairs/s, workers={args.workers})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
