"""Adjudication: the units where coders disagree, and the final (gold) labels.

A **unit** is one passage in one dimension. Coders **disagree** on a unit when two or more of
them coded it and their label sets differ (for the multi-label ``frame``: the sets of frames).
An adjudicator **decides** a unit: the final labels, who decided and why (stored in the
``adjudications`` table; see :mod:`nato_compare.store.adjudication`).

The **adjudicated labels** (``--labels adjudicated`` of ``report`` and ``export``) are, per
unit: the decision when there is one (basis ``adjudicated``); else the coders' labels when
every coder of the unit gave the same ones (``agreement`` with two or more coders,
``one coder`` otherwise); a disagreement nobody has decided yet is left out and counted as
``open``. Agreement figures (``nato-compare agreement``) are always computed from the coders'
own labels, before adjudication.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .errors import NatoCompareError
from .store import open_db
from .store import adjudication as sql
from .store import exchange
from .store.adjudication import PassageCoding

ADJUDICATED = "adjudicated"
ALL = "all"

__all__ = [
    "ADJUDICATED",
    "ALL",
    "PassageCoding",
    "decide",
    "disagreements",
    "final_rows",
    "label_rows",
]


def disagreements(
    db_path: str | Path, dimension: str | None = None, *, undecided_only: bool = False
) -> list[PassageCoding]:
    """The units where coders disagree (with each coder's labels and notes, and the decision
    if there is one), in passage order."""
    db = open_db(db_path, create=False)
    try:
        found = [c for c in sql.codings(db, dimension) if c.disagreement]
    finally:
        db.close()
    return [c for c in found if not (undecided_only and c.decision)]


def decide(
    db_path: str | Path,
    passage_id: str,
    dimension: str,
    labels: list[str],
    adjudicator: str,
    reason: str,
    codebook=None,
) -> None:
    """Record the final labels of one unit; the labels must be the codebook's (``codebook``,
    default: the default one), one for a single-label dimension."""
    from .codebook import load_codebook

    book = codebook or load_codebook()
    if not adjudicator.strip():
        raise NatoCompareError("say who decides (--by NAME)")
    if not reason.strip():
        raise NatoCompareError("say why (--reason TEXT): the decision is recorded with its reason")
    try:
        dim = book.dimension(dimension)
    except KeyError:
        names = ", ".join(d.name for d in book.dimensions)
        raise NatoCompareError(f"the codebook has no dimension {dimension!r} ({names})") from None
    known = [label.name for label in dim.labels]
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise NatoCompareError(
            f"{dimension} has no label {unknown[0]!r} (labels: {', '.join(known)})"
        )
    if not labels:
        raise NatoCompareError(f"give the final {dimension} label (--label)")
    if not dim.multi and len(set(labels)) > 1:
        raise NatoCompareError(f"{dimension} takes one label per passage, not {len(labels)}")
    db = open_db(db_path)
    try:
        if not sql.passage_exists(db, passage_id):
            raise NatoCompareError(f"no passage {passage_id} in {db_path}")
        sql.put_decision(db, passage_id, dimension, labels, adjudicator.strip(), reason.strip())
    finally:
        db.close()


def final_rows(db) -> tuple[list[dict], Counter]:
    """The adjudicated labels, as rows like ``coded_rows`` (annotator ``adjudicated``) with
    their ``basis``, and the number of units per basis (``open``: left out)."""
    rows: list[dict] = []
    bases: Counter = Counter()
    for coding in sql.codings(db):
        if coding.decision:
            labels, basis = coding.decision, "adjudicated"
        elif coding.disagreement:
            bases["open"] += 1
            continue
        else:
            labels = next(iter(coding.labels.values()))
            basis = "agreement" if len(coding.labels) >= 2 else "one coder"
        bases[basis] += 1
        for label in labels:
            rows.append(
                {
                    "annotator": ADJUDICATED,
                    "passage_id": coding.passage_id,
                    "dimension": coding.dimension,
                    "label": label,
                    "outlet_key": coding.outlet,
                    "basis": basis,
                    "adjudicator": coding.adjudicator,
                    "reason": coding.reason,
                    "decided_at": coding.decided_at,
                    "coders": " ".join(coding.labels),
                }
            )
    return rows, bases


def label_rows(db, labels: str) -> tuple[list[dict], Counter | None]:
    """The coded rows ``report`` counts: ``all`` (every coder's, each under their name),
    ``adjudicated`` (see :func:`final_rows`) or one annotator's."""
    if labels == ADJUDICATED:
        return final_rows(db)
    rows = exchange.coded_rows(db)
    if labels == ALL:
        return rows, None
    known = exchange.annotators(db)
    if labels not in known:
        raise NatoCompareError(
            f"--labels takes adjudicated, all or an annotator; no annotator {labels!r} "
            f"(annotators: {', '.join(known) or 'none'})"
        )
    return [r for r in rows if r["annotator"] == labels], None
