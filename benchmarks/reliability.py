"""How well the pair score reads as a probability that two sentences state the same fact.

    python benchmarks/reliability.py          # reliability on ECB+ (fitted) and BASIL (held out)
    python benchmarks/reliability.py --fit    # and the calibration fitted afresh on ECB+

The aligner scores a claim (two sentences of two linked articles) by the similarity of
:mod:`nato_compare.alignment.similarity`, mapped by
:class:`~nato_compare.alignment.claims.ClaimCalibration` to the probability that the two state
the same fact. The labels (``benchmarks/data/*_claim_labels.csv``; the method and the guide in
``docs/claim-labels.md``): for ECB+ and for BASIL, 250 claims the aligner made at
``threshold=0``, 25 drawn at random from each tenth of the similarity, each labelled by two
readers who saw the two sentences only (no score, no source): ``same`` fact, ``related`` (same
happening, another fact) or ``different``. A claim is right when both said ``same``. The files
name each claim by article, paragraph and sentence offsets (no text: the corpora stay in
``shared/``). Because each tenth was sampled alike, every figure weights a claim by how many
claims of the whole run its tenth holds.

The calibration was fitted on the ECB+ labels; BASIL is held out. Printed per corpus: the
readers' agreement, the reliability curve of the shipped score (score bin, claims, mean
probability, share right with a 95 % interval), its expected calibration error beside that of
the similarity read as a probability, and the estimated share of the claims kept at the
default threshold that state one fact.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression

from nato_compare.alignment import AlignParams, align
from nato_compare.alignment.claims import CLAIM_CALIBRATION
from nato_compare.alignment.evaluation import wilson
from nato_compare.model import AlignmentResult
from nato_compare.pipeline import ingest_sources
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages

HERE = Path(__file__).resolve().parent
ECBPLUS = HERE.parent.parent / "shared" / "eval" / "ecbplus"
BINS = np.linspace(0, 1, 11)
Row = tuple[float, int, float, float, float]  # bin start, claims, weight, mean p, share right


@dataclass
class Labelled:
    """The labelled claims of one corpus as the aligner scores them today."""

    probability: np.ndarray  # the shipped score, 0-1
    similarity: np.ndarray  # the score before the calibration, 0-1
    readers: list[tuple[str, str]]
    weights: np.ndarray  # claims of the whole run each labelled claim stands for
    groups: np.ndarray  # topic or event, for fitting on one half and reading the other
    gone: int  # labelled claims the aligner no longer makes

    @property
    def right(self) -> np.ndarray:
        return np.array([a == b == "same" for a, b in self.readers])


def _similarity(probability: np.ndarray) -> np.ndarray:
    """The similarity (0-1) a shipped score (0-1) was calibrated from."""
    p = np.clip(probability, 1e-9, 1 - 1e-9)
    similarity = expit((logit(p) - CLAIM_CALIBRATION.offset) / CLAIM_CALIBRATION.scale)
    return np.where(probability <= 0, 0.0, similarity)


def _tenth(values: np.ndarray) -> np.ndarray:
    return np.clip(np.digitize(values, BINS) - 1, 0, 9)


def _ingested(corpus: Path, db_path: Path) -> list[dict]:
    ingest_sources([corpus], db_path)
    db = open_db(db_path)
    try:
        return current_passages(db)
    finally:
        db.close()


def labelled(passages: list[dict], labels: Path, group_of: Callable[[str], str]) -> Labelled:
    """Align ``passages`` at threshold 0 and find each labelled claim among the claims."""
    result: AlignmentResult = align(passages, threshold=0)
    passage_at = {(p["article_id"], int(p["seq"])): p["id"] for p in passages}
    claims: dict[frozenset[tuple[str, int, int]], float] = {}
    for pair in result.pairs:
        a, b = pair.evidence["claim_a"], pair.evidence["claim_b"]
        key = frozenset({(pair.a, a["start"], a["end"]), (pair.b, b["start"], b["end"])})
        claims[key] = pair.score / 100
    scores, readers, groups, gone = [], [], [], 0
    with labels.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = frozenset(
                (
                    passage_at.get((row[f"article_{side}"], int(row[f"seq_{side}"])), ""),
                    int(row[f"start_{side}"]),
                    int(row[f"end_{side}"]),
                )
                for side in "ab"
            )
            if key not in claims:
                gone += 1
                continue
            scores.append(claims[key])
            readers.append((row["reader_1"], row["reader_2"]))
            groups.append(group_of(row["article_a"]))
    probability = np.array(scores)
    similarity = _similarity(probability)
    every = _tenth(_similarity(np.array([pair.score / 100 for pair in result.pairs])))
    sampled = _tenth(similarity)
    weights = np.array(
        [(every == k).sum() / (sampled == k).sum() for k in sampled.tolist()], dtype=float
    )
    return Labelled(probability, similarity, readers, weights, np.array(groups), gone)


def ecbplus() -> Labelled:
    with (ECBPLUS / "events.csv").open(encoding="utf-8", newline="") as f:
        topic_of = {row["article_id"]: row["topic"] for row in csv.DictReader(f)}
    with tempfile.TemporaryDirectory() as tmp:
        passages = _ingested(ECBPLUS / "corpus.jsonl", Path(tmp) / "ecbplus.db")
    return labelled(passages, HERE / "data" / "ecbplus_claim_labels.csv", topic_of.__getitem__)


def basil() -> Labelled:
    sys.path.insert(0, str(HERE))
    from basil import BASIL, write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "basil.jsonl"
        event_of = write_corpus(BASIL, corpus)
        passages = _ingested(corpus, Path(tmp) / "basil.db")
    return labelled(passages, HERE / "data" / "basil_claim_labels.csv", event_of.__getitem__)


def curve(probabilities: np.ndarray, right: np.ndarray, weights: np.ndarray) -> list[Row]:
    """Per tenth of probability: (bin start, claims, weight, mean probability, share right),
    the means weighted."""
    rows = []
    place = _tenth(probabilities)
    for k in range(10):
        chosen = place == k
        if chosen.any():
            w = weights[chosen]
            rows.append(
                (
                    float(BINS[k]),
                    int(chosen.sum()),
                    float(w.sum()),
                    float(np.average(probabilities[chosen], weights=w)),
                    float(np.average(right[chosen], weights=w)),
                )
            )
    return rows


def calibration_error(rows: Sequence[Row]) -> float:
    """Mean |probability - share right| over the bins, weighted by their weight."""
    return sum(w * abs(p - o) for _, _, w, p, o in rows) / sum(w for _, _, w, _, _ in rows)


def agreement(readers: list[tuple[str, str]]) -> str:
    codes = {"same": 0, "related": 1, "different": 2}
    matrix = np.array([[codes[r[0]] for r in readers], [codes[r[1]] for r in readers]], float)
    alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    agree = sum(a == b for a, b in readers) / len(readers)
    return f"readers agree on {agree:.0%} (Krippendorff's alpha {alpha:.2f})"


def report(name: str, data: Labelled, threshold: float) -> None:
    right = data.right
    rows = curve(data.probability, right, data.weights)
    before = calibration_error(curve(data.similarity, right, data.weights))
    print(
        f"\n{name}: {len(right)} labelled claims ({data.gone} no longer made by the aligner); "
        f"{agreement(data.readers)}; both say same: {right.sum()}"
    )
    print(
        f"  expected calibration error {calibration_error(rows):.3f} "
        f"(the similarity read as a probability: {before:.3f})"
    )
    print("  bin        claims  mean p  share right  95 % interval")
    for start, n, _, p, observed in rows:
        low, high = wilson(round(observed * n), n) or (0.0, 1.0)
        print(
            f"  {start:.1f}-{start + 0.1:.1f}  {n:6}  {p:6.2f}  {observed:11.2f}  {low:.2f}-{high:.2f}"
        )
    kept = data.probability >= threshold / 100
    share = np.average(right[kept], weights=data.weights[kept])
    print(
        f"  claims kept at the default threshold ({threshold:g} %) that state one fact: {share:.2f}"
    )


def fit(data: Labelled) -> LogisticRegression:
    z = logit(np.clip(data.similarity, 1e-3, 1 - 1e-3))[:, None]
    return LogisticRegression().fit(z, data.right, sample_weight=data.weights)


def show_fit(data: Labelled) -> None:
    model = fit(data)
    print(
        f"\nfitted on every ECB+ label: scale {model.coef_[0][0]:.2f}, offset "
        f"{model.intercept_[0]:.2f} (shipped: {CLAIM_CALIBRATION.scale}, "
        f"{CLAIM_CALIBRATION.offset})"
    )
    names = sorted(set(data.groups.tolist()))
    half = np.isin(data.groups, names[::2])
    for train, name in ((half, "even"), (~half, "odd")):
        part = Labelled(
            data.probability[train],
            data.similarity[train],
            [r for r, t in zip(data.readers, train.tolist()) if t],
            data.weights[train],
            data.groups[train],
            0,
        )
        model = fit(part)
        z = logit(np.clip(data.similarity[~train], 1e-3, 1 - 1e-3))[:, None]
        rows = curve(model.predict_proba(z)[:, 1], data.right[~train], data.weights[~train])
        print(
            f"  fitted on the {name} topics, read on the others: expected calibration error "
            f"{calibration_error(rows):.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="fit the calibration afresh on ECB+")
    args = parser.parse_args()
    threshold = AlignParams().threshold
    fitted = ecbplus()
    report("ECB+ (the calibration was fitted on these labels)", fitted, threshold)
    report("BASIL (held out)", basil(), threshold)
    if args.fit:
        show_fit(fitted)


if __name__ == "__main__":
    main()
