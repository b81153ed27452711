"""An analyst's new event: two passages of different outlets that report a fact no event holds.

:func:`new_event` writes, in one transaction logged as one action (so that undo removes the
event, its members and the judgement, and redo puts them back):

- an ``events`` row in the latest run, after its last event, with the id the next alignment
  gives the same event (:func:`nato_compare.model.event_id` of the first passage, ``-1``: there
  by an analyst's link), so notes, verdicts and titles given to it stay on it, and the
  aligner's label (the first words of that passage);
- the two ``event_passages`` rows (no claim: the analyst's link put them there);
- a ``same`` link judgement with ``via="new_event"``, from which the next alignment ties the two
  passages themselves together (not one of their sentences to an event either is in already),
  so they form that event again (:func:`nato_compare.store.judgements.link_claims`).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from ..errors import NatoCompareError
from ..model import event_id, event_label
from .judgements import (
    LINK,
    NEW_EVENT,
    SAME,
    _change,
    _check_passages,
    new_row,
    ordered,
    pair_score,
    passage_outlet_keys,
)


def _where(db: sqlite_utils.Database, passage_id: str) -> str:
    """A passage as the analyst sees it: "CGTN ¶3"."""
    outlet, seq = db.execute(
        "SELECT a.outlet, p.seq FROM passages p JOIN articles a ON a.id = p.article_id "
        "WHERE p.id = ?",
        [passage_id],
    ).fetchone()
    return f"{outlet or 'unknown'} ¶{seq + 1}"


def _event_name(db: sqlite_utils.Database, event: str) -> str:
    seq, label = db.execute("SELECT seq, label FROM events WHERE id = ?", [event]).fetchone()
    return f"event {seq} ({' '.join(str(label).split()[:6])} …)"


def _refusal(db: sqlite_utils.Database, a: str, b: str) -> str | None:
    """Why the two passages cannot make a new event, or None."""
    superseded = [
        p
        for p in (a, b)
        if db.execute(
            "SELECT 1 FROM passages WHERE id = ? AND superseded_at IS NOT NULL", [p]
        ).fetchone()
    ]
    if superseded:
        return (
            f"{_where(db, superseded[0])} is superseded (its article was ingested again): "
            "the next alignment does not see it"
        )
    keys = passage_outlet_keys(db, [a, b])
    if keys[a] == keys[b]:
        outlet = _where(db, a).rsplit(" ¶", 1)[0]
        return f"both passages are from {outlet}: an event joins reports of different outlets"
    held = db.execute(
        "SELECT x.event_id FROM event_passages x JOIN event_passages y "
        "ON y.event_id = x.event_id WHERE x.passage_id = ? AND y.passage_id = ? LIMIT 1",
        [a, b],
    ).fetchone()
    if held:
        return f"{_event_name(db, held[0])} already holds both passages"
    rejected = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT annotator FROM judgements WHERE kind = ? AND passage_a = ? "
            "AND passage_b = ? AND verdict = 'different' ORDER BY annotator",
            [LINK, a, b],
        )
    ]
    if rejected:
        return (
            f"{', '.join(rejected)} rejected the link between these passages (different "
            "events): the next alignment would keep them apart"
        )
    # A passage in an event only by an analyst's link (attached, or a new event) is tied there
    # by the passage itself, not by one of its sentences: the next alignment would pull the
    # other passage into that event too.
    for passage in (a, b):
        linked = db.execute(
            "SELECT x.event_id FROM event_passages x JOIN event_passages y "
            "ON y.event_id = x.event_id AND y.passage_id != x.passage_id "
            "JOIN judgements j ON j.kind = 'link' AND j.verdict = 'same' "
            "AND j.passage_a = min(x.passage_id, y.passage_id) "
            "AND j.passage_b = max(x.passage_id, y.passage_id) "
            "WHERE x.passage_id = ? AND x.claims = '[]' ORDER BY x.event_id LIMIT 1",
            [passage],
        ).fetchone()
        if linked:
            return (
                f"{_where(db, passage)} is in {_event_name(db, linked[0])} by an analyst's "
                "link only, and the next alignment would put the other passage there too: "
                "attach it to that event (s) instead"
            )
    return None


def new_event(
    db: sqlite_utils.Database, annotator: str, passage_a: str, passage_b: str
) -> dict[str, Any]:
    """Make an event of two passages of different outlets that report the same fact; returns
    the logged action (its ``event_id`` is the new event's). Raises :class:`NatoCompareError`,
    writing nothing, for one passage twice, passages of one outlet, a pair an event of the
    latest run holds or an annotator rejected, or a database with no alignment run yet."""
    if passage_a == passage_b:
        raise NatoCompareError("a new event needs two different passages")
    focus = passage_a  # the passage the analyst started from: undo shows it again
    a, b = ordered(passage_a, passage_b)
    with db.atomic():
        if db.execute("SELECT max(id) FROM align_runs").fetchone()[0] is None:
            raise NatoCompareError(
                "no alignment run yet: run 'nato-compare align' first, then make events"
            )
        _check_passages(db, a, b)
        refusal = _refusal(db, a, b)
        if refusal is not None:
            raise NatoCompareError(f"no new event: {refusal}")
        # the aligner orders passages by id, and names an event after its first one
        new_id = event_id(a, -1)
        if db.execute("SELECT 1 FROM events WHERE id = ?", [new_id]).fetchone():
            raise NatoCompareError(
                f"no new event: {_event_name(db, new_id)} starts with {_where(db, a)} by an "
                "analyst's link already: attach the other passage to it (s) instead"
            )
        text = db.execute("SELECT text FROM passages WHERE id = ?", [a]).fetchone()[0]
        score = pair_score(db, a, b)
        row = new_row(annotator, LINK, SAME, passage_a=a, passage_b=b, score=score, via=NEW_EVENT)
        member_score = score if score is not None else 0.0
        return _change(
            db,
            annotator,
            f"new event of {_where(db, passage_a)} and {_where(db, passage_b)}",
            [row],
            event_id=new_id,
            passage_id=focus,
            created_event={"id": new_id, "label": event_label(text)},
            memberships=[(new_id, a, member_score), (new_id, b, member_score)],
        )
