"""Calibrate the similarity scale on BASIL: how often a passage's best match in another
outlet reports the same event, as a function of the MRPC-fitted log-odds.

    python benchmarks/calibrate_basil.py [--queries 1200]

BASIL (../shared/eval/basil, Fan et al. 2019) has 100 events, each reported by Fox
News, The New York Times and HuffPost. For a seeded sample of paragraphs, the best
scoring paragraph among all paragraphs of the other two outlets is found; it is
"right" when its article covers the same event (``triplet-uuid``). A one-variable
logistic regression of right/wrong on the log-odds z of the MRPC-fitted **passage
model** (the shipped weights with the sentence terms, ``short*``, at 0) gives
``calibration_scale`` and ``calibration_offset`` of
:class:`nato_compare.alignment.similarity.SimilarityWeights`: the shipped score is
100 / (1 + exp(-(scale * z + offset))). The sentence model applies to pairs of
sentences only (shortness gate); fitting the calibration on the joined score instead
(``--joined``) moves it with the share of one-sentence paragraphs in the sample, and the
seed gold pairs sit close to align's threshold (docs/similarity.md). The table of
purity per threshold is for the shipped score, gate included. The data stays in shared/; the script exits
with a message when it is absent. Needs scikit-learn. Takes ~5 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

from rapidfuzz import fuzz, process, utils

from nato_compare.alignment.similarity import (
    DEFAULT_WEIGHTS,
    FEATURES,
    SimilarityWeights,
    log_odds,
    normalize,
    pair_features,
    similarity_many_normalized,
)

BASIL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "basil" / "articles"
SEED = 0
MIN_WORDS = 8  # shorter paragraphs are datelines and captions
PLAIN_SCORERS = {"token_sort_ratio": fuzz.token_sort_ratio, "token_set_ratio": fuzz.token_set_ratio}


def load_paragraphs(root: Path = BASIL) -> list[tuple[str, str, str]]:
    """(outlet, event, paragraph text) for every paragraph of at least MIN_WORDS words."""
    rows = []
    for path in sorted(root.glob("*/*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        for paragraph in article["body-paragraphs"]:
            text = " ".join(paragraph) if isinstance(paragraph, list) else paragraph
            if len(text.split()) >= MIN_WORDS:
                rows.append((article["source"], article["triplet-uuid"], text))
    return rows


def passage_model(weights: SimilarityWeights = DEFAULT_WEIGHTS) -> SimilarityWeights:
    """``weights`` with the sentence terms (the gated ``short*`` features) at 0."""
    return dataclasses.replace(
        weights, **{name: 0.0 for name in FEATURES if name.startswith("short")}
    )


def best_matches(
    rows: list[tuple[str, str, str]], queries: int, joined: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, float]]:
    """For each sampled paragraph's best other-outlet match: the log-odds (before
    calibration) of the passage model (or, ``joined``, of the shipped weights), the
    shipped score, and whether that match covers the same event; also the same
    best-match accuracy for plain rapidfuzz scorers on the raw paragraphs."""
    outlets = np.array([r[0] for r in rows])
    events = np.array([r[1] for r in rows])
    normalized = [normalize(r[2]) for r in rows]
    weights = DEFAULT_WEIGHTS if joined else passage_model()
    sample = np.random.default_rng(SEED).choice(len(rows), queries, replace=False)
    best_z, best_score, right, right_shipped = [], [], [], []
    plain = {name: [] for name in PLAIN_SCORERS}
    for i in sample:
        others = np.flatnonzero(outlets != outlets[i])
        features = pair_features([normalized[i]] * len(others), [normalized[j] for j in others])
        z = log_odds(features, weights)
        k = int(np.argmax(z))
        best_z.append(z[k])
        right.append(events[others[k]] == events[i])
        shipped = similarity_many_normalized(
            [normalized[i]] * len(others), [normalized[j] for j in others]
        )
        best_score.append(shipped.max())
        right_shipped.append(events[others[int(np.argmax(shipped))]] == events[i])
        for name, scorer in PLAIN_SCORERS.items():
            scores = process.cdist(
                [rows[i][2]],
                [rows[j][2] for j in others],
                scorer=scorer,
                processor=utils.default_process,
            )[0]
            plain[name].append(events[others[int(np.argmax(scores))]] == events[i])
    return (
        np.array(best_z),
        np.array(right),
        np.array(best_score),
        np.array(right_shipped),
        {k: float(np.mean(v)) for k, v in plain.items()},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1200)
    parser.add_argument(
        "--joined",
        action="store_true",
        help="fit the calibration on the joined score, not the passage model",
    )
    args = parser.parse_args()
    if not BASIL.exists():
        print(f"BASIL not found at {BASIL}: skipped", file=sys.stderr)
        return 0
    from sklearn.linear_model import LogisticRegression

    rows = load_paragraphs()
    z, right, score, right_shipped, plain = best_matches(rows, args.queries, args.joined)
    model = LogisticRegression(C=100.0).fit(z[:, None], right)
    scale, offset = round(float(model.coef_[0, 0]), 2), round(float(model.intercept_[0]), 2)
    print(
        f"BASIL: {len(rows)} paragraphs; {args.queries} sampled; "
        f"best other-outlet match from the same event: {right_shipped.mean():.1%} "
        f"(passage model alone: {right.mean():.1%}; "
        f"plain rapidfuzz: " + ", ".join(f"{k} {v:.1%}" for k, v in plain.items()) + ")"
    )
    print(
        f"fitted calibration_scale={scale} calibration_offset={offset} "
        f"(shipped: {DEFAULT_WEIGHTS.calibration_scale}, {DEFAULT_WEIGHTS.calibration_offset})\n"
    )
    print("shipped score >=   best matches kept   same event (purity)")
    for threshold in (10, 30, 50, 60, 70, 80, 90):
        kept = score >= threshold
        purity = f"{right_shipped[kept].mean():.2f}" if kept.any() else "-"
        print(f"{threshold:>17}   {kept.sum():>17}   {purity:>19}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
