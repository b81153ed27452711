"""SQL for adjudication: every coder's labels and notes per passage, and the final labels.

A decision is the final label set of one passage in one dimension (one row per label in
``adjudications``), with who decided (``adjudicator``), why (``reason``) and when
(``decided_at``). Deciding again replaces the earlier decision. Each decision also adds a
``role_log`` row: the adjudicator saw every coder's labels.
"""

from __future__ import annotations

from typing import Any

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, UTC

import sqlite_utils

from ..model import outlet_key


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class PassageCoding:
    """Every coder's labels on one passage in one dimension, their notes, and the decision."""

    passage_id: str
    dimension: str
    outlet: str  # the outlet key (unknown outlets: per article)
    text: str
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # coder -> sorted labels
    notes: dict[str, str] = field(default_factory=dict)  # coder -> passage note
    decision: tuple[str, ...] = ()
    adjudicator: str = ""
    reason: str = ""
    decided_at: str = ""

    @property
    def disagreement(self) -> bool:
        """Two or more coders gave different label sets."""
        return len(self.labels) >= 2 and len(set(self.labels.values())) > 1


def codings(db: sqlite_utils.Database, dimension: str | None = None) -> list[PassageCoding]:
    """Every coded (passage, dimension) with each coder's labels, notes and the decision,
    in passage order (article, paragraph)."""
    extra, params = ("AND an.dimension = ?", [dimension]) if dimension else ("", [])
    rows = db.execute(
        f"""
        SELECT an.passage_id, an.dimension, an.annotator, an.label, ar.outlet, p.article_id,
               p.text
        FROM annotations an
        JOIN passages p ON p.id = an.passage_id
        JOIN articles ar ON ar.id = p.article_id
        WHERE an.dimension != 'note' {extra}
        ORDER BY p.article_id, p.seq, an.dimension, an.annotator, an.label
        """,
        params,
    ).fetchall()
    found: dict[tuple[str, str], PassageCoding] = {}
    labels: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for passage_id, dim, annotator, label, outlet, article_id, text in rows:
        key = (passage_id, dim)
        if key not in found:
            found[key] = PassageCoding(passage_id, dim, outlet_key(outlet, article_id), text)
        labels[key][annotator].append(label)
    for key, by_coder in labels.items():
        found[key].labels = {c: tuple(sorted(v)) for c, v in sorted(by_coder.items())}
    passages = list({key[0] for key in found})
    notes: dict[str, dict[str, str]] = defaultdict(dict)
    for start in range(0, len(passages), 500):
        chunk = passages[start : start + 500]
        for passage_id, annotator, note in db.execute(
            "SELECT passage_id, annotator, note FROM annotations WHERE dimension = 'note' "
            f"AND passage_id IN ({','.join('?' * len(chunk))}) ORDER BY annotator",
            chunk,
        ):
            notes[passage_id][annotator] = note
    for (passage_id, _dimension), coding in found.items():
        coding.notes = notes.get(passage_id, {})
    decided: dict[tuple[str, str], list[Any]] = {}
    for passage_id, dim, label, adjudicator, reason, decided_at in db.execute(
        "SELECT passage_id, dimension, label, adjudicator, reason, decided_at FROM adjudications "
        "ORDER BY passage_id, dimension, label"
    ):
        entry = decided.setdefault((passage_id, dim), [[], adjudicator, reason, decided_at])
        entry[0].append(label)
    for key, coding in found.items():
        if key in decided:
            labels_, coding.adjudicator, coding.reason, coding.decided_at = decided[key]
            coding.decision = tuple(labels_)
    return list(found.values())


def decision(
    db: sqlite_utils.Database, passage_id: str, dimension: str
) -> tuple[tuple[str, ...], str, str, str] | None:
    """(labels, adjudicator, reason, decided_at) of the decision, or ``None``."""
    rows = db.execute(
        "SELECT label, adjudicator, reason, decided_at FROM adjudications "
        "WHERE passage_id = ? AND dimension = ? ORDER BY label",
        [passage_id, dimension],
    ).fetchall()
    if not rows:
        return None
    return tuple(r[0] for r in rows), rows[0][1], rows[0][2], rows[0][3]


def put_decision(
    db: sqlite_utils.Database,
    passage_id: str,
    dimension: str,
    labels: list[str],
    adjudicator: str,
    reason: str,
) -> None:
    """Record the final labels of a passage's dimension (replacing an earlier decision) and
    the adjudicator's role, in one transaction."""
    now = _now()
    with db.atomic():
        db.execute(
            "DELETE FROM adjudications WHERE passage_id = ? AND dimension = ?",
            [passage_id, dimension],
        )
        for label in sorted(set(labels)):
            db.execute(
                "INSERT INTO adjudications (passage_id, dimension, label, adjudicator, reason, "
                "decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                [passage_id, dimension, label, adjudicator, reason, now],
            )
        db.execute(
            "INSERT INTO role_log (annotator, role, via, at) VALUES (?, 'adjudicator', 'cli', ?)",
            [adjudicator, now],
        )


def passage_exists(db: sqlite_utils.Database, passage_id: str) -> bool:
    return db.execute("SELECT 1 FROM passages WHERE id = ?", [passage_id]).fetchone() is not None


def passage_details(db: sqlite_utils.Database, passage_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Text, article, outlet, title, date and best event of each passage, for exports."""
    from .exchange import _BEST_EVENT

    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(passage_ids), 500):
        chunk = passage_ids[start : start + 500]
        for row in db.query(
            f"""
            WITH best AS ({_BEST_EVENT})
            SELECT p.id AS passage_id, p.text AS passage_text, p.article_id, ar.outlet, ar.title,
                   ar.date, best.event_id, best.score AS alignment_score
            FROM passages p JOIN articles ar ON ar.id = p.article_id
            LEFT JOIN best ON best.passage_id = p.id
            WHERE p.id IN ({",".join("?" * len(chunk))})
            """,
            chunk,
        ):
            found[row["passage_id"]] = row
    return found


def event_note_rows(
    db: sqlite_utils.Database, annotator: str | None = None
) -> list[dict[str, Any]]:
    """Every annotator's event notes with the event's label, in event order."""
    where, params = ("WHERE n.annotator = ?", [annotator]) if annotator else ("", [])
    return list(
        db.query(
            f"""
            SELECT n.annotator, n.event_id, e.seq AS event_seq, e.label AS event_label, n.note,
                   n.updated_at
            FROM event_notes n LEFT JOIN events e ON e.id = n.event_id
            {where}
            ORDER BY e.seq, n.event_id, n.annotator
            """,
            params,
        )
    )
