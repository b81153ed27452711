"""How well the pair score reads as a probability, on data it was not fitted on: ECB+ claims.

    python benchmarks/reliability.py

The score (0-100) is the similarity's log-odds (fitted on MRPC) mapped by a logistic curve
fitted on BASIL (``benchmarks/calibrate_basil.py``). ECB+ took no part in either fit. Here the
aligner runs on ECB+ at the defaults with ``threshold=0``, so that every claim it considers
(each sentence's best counterpart in a linked article, kept or suggested) is scored. A claim
touching a sentence the ECB+ annotators marked as reporting its topic's seminal event is
labelled: right when both sentences are marked and their articles report the same event, wrong
when the counterpart is not marked or reports the other event. (Annotators did not mark every
mention, so "wrong" is an upper bound of the errors.)

Printed: the reliability curve of the shipped score (score bin, claims, observed share right),
and that of a logistic recalibration fitted on half the topics and read on the other half (both
ways round) — what a calibration fitted to this label would ship.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
from scipy.special import logit
from sklearn.linear_model import LogisticRegression

from nato_compare.alignment import align
from nato_compare.pipeline import ingest_sources
from nato_compare.store import open_db
from nato_compare.store.articles import current_passages

ECBPLUS = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "ecbplus"
BINS = np.linspace(0, 1, 11)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def labelled_claims(db_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores (0-1), labels and topics of the claims touching a seminal sentence."""
    event_of, topic_of, seminal = {}, {}, set()
    with (ECBPLUS / "events.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            event_of[row["article_id"]], topic_of[row["event"]] = row["event"], row["topic"]
    with (ECBPLUS / "seminal_sentences.csv").open(encoding="utf-8", newline="") as f:
        seminal = {(r["article_id"], _squash(r["text"])) for r in csv.DictReader(f)}
    ingest_sources([ECBPLUS / "corpus.jsonl"], db_path)
    db = open_db(db_path)
    try:
        passages = current_passages(db)
    finally:
        db.close()
    article = {p["id"]: p["article_id"] for p in passages}
    result = align(passages, threshold=0)
    scores, labels, topics = [], [], []
    for pair in result.pairs:
        a_marked = (article[pair.a], _squash(pair.evidence["claim_a"]["text"])) in seminal
        b_marked = (article[pair.b], _squash(pair.evidence["claim_b"]["text"])) in seminal
        if a_marked or b_marked:
            same = event_of[article[pair.a]] == event_of[article[pair.b]]
            scores.append(pair.score / 100)
            labels.append(a_marked and b_marked and same)
            topics.append(topic_of[event_of[article[pair.a]]])
    return np.array(scores), np.array(labels), np.array(topics)


def curve(probabilities: np.ndarray, labels: np.ndarray) -> list[tuple[float, int, float, float]]:
    """(bin start, claims, mean probability, observed share right) per tenth."""
    rows = []
    place = np.clip(np.digitize(probabilities, BINS) - 1, 0, 9)
    for k in range(10):
        chosen = place == k
        if chosen.any():
            rows.append(
                (
                    BINS[k],
                    int(chosen.sum()),
                    float(probabilities[chosen].mean()),
                    float(labels[chosen].mean()),
                )
            )
    return rows


def expected_calibration_error(rows: list[tuple[float, int, float, float]]) -> float:
    total = sum(n for _, n, _, _ in rows)
    return sum(n * abs(p - o) for _, n, p, o in rows) / total


def show(title: str, rows: list[tuple[float, int, float, float]]) -> None:
    print(f"\n{title}  (expected calibration error {expected_calibration_error(rows):.3f})")
    print("  bin        claims  mean p  observed")
    for start, n, p, observed in rows:
        print(f"  {start:.1f}-{start + 0.1:.1f}  {n:8,}  {p:6.2f}  {observed:8.2f}")


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        scores, labels, topics = labelled_claims(Path(tmp) / "ecbplus.db")
    print(f"ECB+ claims touching a seminal sentence: {len(labels):,}, right {labels.mean():.2f}")
    show("the shipped score", curve(scores, labels))
    names = sorted(set(topics))
    half = np.isin(topics, names[::2])
    z = logit(np.clip(scores, 1e-4, 1 - 1e-4))[:, None]
    for fit, name in ((half, "even topics"), (~half, "odd topics")):
        model = LogisticRegression().fit(z[fit], labels[fit])
        refit = model.predict_proba(z[~fit])[:, 1]
        show(
            f"recalibrated on the {name} (a={model.coef_[0][0]:.2f}, b={model.intercept_[0]:.2f}), "
            "read on the others",
            curve(refit, labels[~fit]),
        )


if __name__ == "__main__":
    main()
