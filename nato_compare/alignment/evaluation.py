"""The aligner measured against the analysts: precision and recall of the current run's events
against the stored link judgements, per outlet pair, with 95 % Wilson score intervals.

A judged pair is *together* when one event of the latest run holds both passages. Against the
analysts' verdicts (one per pair: a pair anyone judged ``different`` counts as different):

- true positive: judged ``same`` and together; false positive: judged ``different`` and together;
  false negative: judged ``same`` and not together;
- precision = TP / (TP + FP), recall = TP / (TP + FN).

Judgements are not a random sample of pairs (analysts judge what they are shown), so the figures
describe the pairs judged. A run made with the judgements steering it (``align`` does so by
default) keeps accepted pairs together and rejected ones apart by construction: measure a run made
with ``--ignore-judgements`` for an independent figure (:attr:`Evaluation.steered` says which).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NatoCompareError
from ..store import open_db
from ..store.events import latest_run
from ..store.judgements import SAME, link_verdicts, passage_outlet_keys, together_pairs

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (None when there are no trials)."""
    if trials == 0:
        return None
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials**2))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0  # judged different and kept apart

    @property
    def judged(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def precision_interval(self) -> tuple[float, float] | None:
        return wilson(self.tp, self.tp + self.fp)

    def recall_interval(self) -> tuple[float, float] | None:
        return wilson(self.tp, self.tp + self.fn)


@dataclass
class Evaluation:
    run_id: int
    by_outlets: dict[tuple[str, str], Counts] = field(default_factory=dict)
    total: Counts = field(default_factory=Counts)
    #: must-link / cannot-link pairs the run was made with (0, 0: not steered)
    steered: tuple[int, int] = (0, 0)


def evaluate_run(db_path: str | Path) -> Evaluation:
    """Compare the latest run's events with every stored link judgement."""
    db = open_db(db_path, create=False)
    try:
        run = latest_run(db)
        if run is None:
            raise NatoCompareError(f"no alignment in {db_path}: run 'nato-compare align' first")
        verdicts = link_verdicts(db)
        if not verdicts:
            raise NatoCompareError(
                f"no link judgements in {db_path}: review events in 'nato-compare tui' "
                "or import a file of judgements first"
            )
        together = together_pairs(db, verdicts)
        outlets = passage_outlet_keys(db, {p for pair in verdicts for p in pair})
    finally:
        db.close()
    steering = run["params"].get("stats", {}).get("judgements", {})
    result = Evaluation(
        run["id"], steered=(steering.get("must_link", 0), steering.get("cannot_link", 0))
    )
    for pair in sorted(verdicts):
        first, second = sorted(outlets.get(p, "?") for p in pair)
        key = (first, second)
        counts = result.by_outlets.setdefault(key, Counts())
        for c in (counts, result.total):
            if verdicts[pair] == SAME:
                if pair in together:
                    c.tp += 1
                else:
                    c.fn += 1
            elif pair in together:
                c.fp += 1
            else:
                c.tn += 1
    return result


def _shown(text: str) -> str:
    """An outlet name for the terminal: control characters are data, never control."""
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)


def _figure(value: float | None, interval: tuple[float, float] | None) -> str:
    if value is None or interval is None:
        return "-"
    return f"{value:.3f} ({interval[0]:.3f}-{interval[1]:.3f})"


def evaluation_table(result: Evaluation) -> str:
    """The evaluation as a plain-text table, one row per outlet pair and one for all."""
    header = ("outlets", "judged", "TP", "FP", "FN", "TN", "precision (95% CI)", "recall (95% CI)")
    rows = []
    for (a, b), c in sorted(result.by_outlets.items()) + [(("all", ""), result.total)]:
        rows.append(
            (
                _shown(f"{a} | {b}" if b else a),
                str(c.judged),
                str(c.tp),
                str(c.fp),
                str(c.fn),
                str(c.tn),
                _figure(c.precision, c.precision_interval()),
                _figure(c.recall, c.recall_interval()),
            )
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(cells, widths))
        ).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)]) + "\n"
