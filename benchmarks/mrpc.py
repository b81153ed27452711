"""ROC AUC of the passage similarity on MRPC (the paraphrase corpus in ../shared/eval).

    python benchmarks/mrpc.py          # AUC table: plain rapidfuzz scorers, each feature, shipped score
    python benchmarks/mrpc.py --fit    # also 5-fold cross-validated fit of the weights (needs scikit-learn)

The corpus stays in shared/ (research use); the script exits with a message when
it is absent. The cross-validated figure is the mean AUC over the five held-out
folds of weights fitted on the other four; the shipped weights are the fit on
all pairs, rounded, and their AUC is printed beside it. Two models are fitted and
joined by the shortness gate (see ``SimilarityWeights``): the passage model on ratio
and Jaccard, the sentence model on those and the gated word-pair and number features.
The calibration (``calibration_scale``, ``calibration_offset``) is not fitted here but
by ``benchmarks/calibrate_basil.py``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
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

MRPC = Path(__file__).resolve().parents[2] / "shared" / "eval" / "mrpc_train.tsv"
FOLDS = 5
SEED = 20240621


def load_mrpc(path: Path = MRPC) -> tuple[list[str], list[str], np.ndarray]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return (
        [r["#1 String"] for r in rows],
        [r["#2 String"] for r in rows],
        np.array([int(r["Quality"]) for r in rows]),
    )


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    tie_ranks = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(tie_ranks, counts)
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


PASSAGE = ["ratio", "jaccard"]
SENTENCE = ["ratio", "jaccard", "short_bigrams", "short_number_mismatch"]


def _column(name: str) -> int:
    return FEATURES.index(name)


def fit_blend(features: np.ndarray, labels: np.ndarray, model) -> tuple[float, np.ndarray]:
    """Intercept and coefficients (:data:`FEATURES` order) of the two joined models: the
    passage model (ratio, jaccard) and the sentence model (the same with the gated word-pair
    and number features), fitted apart; the ``short`` terms are their differences, so that
    z = (1 - g) × passage + g × sentence. The sentence model is fitted on the gated values,
    which on MRPC are the plain ones (g = 1 for 95% of the pairs)."""
    passage = model().fit(features[:, [_column(n) for n in PASSAGE]], labels)
    sentence = model().fit(features[:, [_column(n) for n in SENTENCE]], labels)
    p = dict(zip(PASSAGE, passage.coef_[0]))
    s = dict(zip(SENTENCE, sentence.coef_[0]))
    coefficients = {
        "ratio": p["ratio"],
        "jaccard": p["jaccard"],
        "short": sentence.intercept_[0] - passage.intercept_[0],
        "short_ratio": s["ratio"] - p["ratio"],
        "short_jaccard": s["jaccard"] - p["jaccard"],
        "short_bigrams": s["short_bigrams"],
        "short_number_mismatch": s["short_number_mismatch"],
    }
    return float(passage.intercept_[0]), np.array([coefficients[n] for n in FEATURES])


def fit_weights(features: np.ndarray, labels: np.ndarray) -> tuple[float, SimilarityWeights]:
    """Mean out-of-fold AUC of a 5-fold fit, and the weights fitted on all pairs."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    def model() -> LogisticRegression:
        return LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)

    aucs = []
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(features, labels):
        intercept, coefficients = fit_blend(features[train], labels[train], model)
        aucs.append(roc_auc(labels[test], intercept + features[test] @ coefficients))
    intercept, coefficients = fit_blend(features, labels, model)
    weights = dataclasses.replace(
        DEFAULT_WEIGHTS,
        intercept=round(intercept, 2),
        **{name: round(float(c), 2) for name, c in zip(FEATURES, coefficients)},
    )
    print(f"out-of-fold AUC per fold: {', '.join(f'{a:.3f}' for a in aucs)}")
    return float(np.mean(aucs)), weights


def fit_single(features: np.ndarray, labels: np.ndarray) -> float:
    """Mean out-of-fold AUC of one logistic regression on every feature, for comparison."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    aucs = []
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(
        features, labels
    ):
        fitted = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(
            features[train], labels[train]
        )
        aucs.append(roc_auc(labels[test], fitted.decision_function(features[test])))
    return float(np.mean(aucs))


BOOTSTRAP_ROUNDS = 1000


def auc_difference_interval(
    labels: np.ndarray,
    ours: np.ndarray,
    theirs: np.ndarray,
    rounds: int = BOOTSTRAP_ROUNDS,
    seed: int = 0,
) -> tuple[float, float]:
    """95 % interval of AUC(ours) - AUC(theirs) over resamples of the pairs (the same pairs
    for both scorers in each resample)."""
    rng = np.random.default_rng(seed)
    differences = []
    for _ in range(rounds):
        sample = rng.integers(0, len(labels), len(labels))
        differences.append(
            roc_auc(labels[sample], ours[sample]) - roc_auc(labels[sample], theirs[sample])
        )
    return float(np.percentile(differences, 2.5)), float(np.percentile(differences, 97.5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="cross-validate and fit the weights")
    args = parser.parse_args()
    if not MRPC.exists():
        print(f"MRPC not found at {MRPC}: skipped", file=sys.stderr)
        return 0
    a, b, labels = load_mrpc()
    print(f"MRPC train: {len(labels)} pairs, {labels.mean():.1%} paraphrases\n")

    print(f"{'scorer':<44} ROC AUC")
    for name, scorer in [
        ("ratio", fuzz.ratio),
        ("token_sort_ratio", fuzz.token_sort_ratio),
        ("token_set_ratio", fuzz.token_set_ratio),
        ("WRatio", fuzz.WRatio),
    ]:
        scores = process.cpdist(a, b, scorer=scorer, processor=utils.default_process)
        print(f"{'rapidfuzz ' + name + ' (default_process)':<44} {roc_auc(labels, scores):.3f}")

    start = time.perf_counter()
    na, nb = [normalize(t) for t in a], [normalize(t) for t in b]
    features = pair_features(na, nb)
    elapsed = time.perf_counter() - start
    for i, name in enumerate(FEATURES):
        print(
            f"{'feature ' + name + ' (normalised text)':<44} {roc_auc(labels, features[:, i]):.3f}"
        )
    shipped = similarity_many_normalized(na, nb)
    print(f"{'similarity (shipped DEFAULT_WEIGHTS)':<44} {roc_auc(labels, shipped):.3f}")
    best_single = process.cpdist(
        a, b, scorer=fuzz.token_sort_ratio, processor=utils.default_process
    )
    low, high = auc_difference_interval(labels, shipped, best_single)
    print(
        f"similarity minus token_sort_ratio: 95% interval of the AUC difference {low:+.3f} .. "
        f"{high:+.3f} (paired bootstrap, {BOOTSTRAP_ROUNDS} resamples of the pairs; in-sample: the "
        "shipped weights were fitted on these pairs, see --fit for the cross-validated AUC)"
    )
    print(f"\nnormalise + features: {len(a)} pairs in {elapsed:.2f} s")
    z = log_odds(features)
    print(
        f"at MRPC log-odds >= 0 (before the BASIL calibration): "
        f"{(z[labels == 1] >= 0).mean():.1%} of paraphrases, "
        f"{(z[labels == 0] >= 0).mean():.1%} of non-paraphrases"
    )

    if args.fit:
        mean_auc, weights = fit_weights(features, labels)
        single = fit_single(features, labels)
        print(
            f"(one logistic regression on all {len(FEATURES)} features instead of the two "
            f"joined models: {single:.3f})"
        )
        print(f"\n{FOLDS}-fold cross-validated AUC (mean of held-out folds): {mean_auc:.3f}")
        refit = similarity_many_normalized(na, nb, weights=weights)
        print(f"AUC of the weights fitted on all pairs (rounded): {roc_auc(labels, refit):.3f}")
        print(f"fitted weights: {weights}")
        if weights != DEFAULT_WEIGHTS:
            print("(differ from DEFAULT_WEIGHTS: copy them into nato_compare/similarity.py)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
