"""SQL for annotations leaving and entering the database: export, import, merge, coverage.

Rules shared by ``import`` and ``merge`` (:func:`insert_annotations`):

- an annotation whose ``id`` is already stored with the same content is
  skipped (idempotent by id);
- one whose natural key ``(annotator, passage_id, dimension, label)`` is already
  stored under another id with the same note is skipped too (idempotent by
  natural key: the same label set twice on two laptops is one row);
- an annotator's **later decision wins**: when the incoming row and the stored
  one are the same annotator's different versions of one decision — an edited
  note (same id, or same natural key, other note), or another label of a
  single-label dimension (``stance``) for the same passage — the row with the
  later ``created_at`` is kept (``replaced`` / ``outdated``); with the same
  time neither can win: the stored row is kept and the incoming one reported
  as a **conflict**. The same id stored for another label is a conflict too;
- a row whose passage this database lacks is **reported**, not inserted.

Different annotators' labels for the same passage never collide (the
annotator is part of every key), so both are kept. Event notes follow the same
rules by ``(annotator, event_id)`` and ``updated_at``. A label an annotator
*removed* is not removed by a merge: rows are only ever added or replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from ..model import outlet_key

#: The columns of the ``annotations`` table, in export order.
ANNOTATION_FIELDS = ("id", "annotator", "passage_id", "dimension", "label", "note", "created_at")

# The passage's event: the latest run's event with the best score for it (ties:
# the smallest event id), so every annotation is exported exactly once.
_BEST_EVENT = """
    SELECT passage_id, event_id, score FROM (
        SELECT ep.passage_id, ep.event_id, ep.score,
               row_number() OVER (PARTITION BY ep.passage_id
                                  ORDER BY ep.score DESC, ep.event_id) AS rank
        FROM event_passages ep
    ) WHERE rank = 1
"""


def export_rows(
    db: sqlite_utils.Database, *, annotator: str | None = None, outlet: str | None = None
) -> Iterator[dict[str, Any]]:
    """Annotations joined with passage, article and best event, in a stable order."""
    where, params = [], []
    if annotator is not None:
        where.append("an.annotator = ?")
        params.append(annotator)
    if outlet is not None:
        where.append("ar.outlet = ?")
        params.append(outlet)
    sql = f"""
        WITH best AS ({_BEST_EVENT})
        SELECT an.id AS annotation_id, an.annotator, an.created_at, an.dimension, an.label,
               an.note, an.passage_id, p.text AS passage_text, p.article_id, ar.outlet,
               ar.title, ar.date, best.event_id, best.score AS alignment_score,
               (SELECT group_concat(ad.label, '; ') FROM adjudications ad
                WHERE ad.passage_id = an.passage_id AND ad.dimension = an.dimension)
               AS adjudicated
        FROM annotations an
        JOIN passages p ON p.id = an.passage_id
        JOIN articles ar ON ar.id = p.article_id
        LEFT JOIN best ON best.passage_id = an.passage_id
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY p.article_id, p.seq, an.passage_id, an.dimension, an.label, an.annotator, an.id
    """
    return db.query(sql, params)


def annotators(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT annotator FROM annotations ORDER BY 1")]


def outlets(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT outlet FROM articles ORDER BY 1")]


def dimensions(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT dimension FROM annotations ORDER BY 1")]


def coded_rows(db: sqlite_utils.Database, dimension: str | None = None) -> list[dict[str, Any]]:
    """Every (annotator, passage, dimension, label) with the passage's outlet key.

    Notes (dimension ``note``) are free text, not codes, and are left out.
    """
    sql = """
        SELECT an.annotator, an.passage_id, an.dimension, an.label, ar.outlet, p.article_id
        FROM annotations an
        JOIN passages p ON p.id = an.passage_id
        JOIN articles ar ON ar.id = p.article_id
        WHERE an.dimension != 'note' {extra}
        ORDER BY an.passage_id, an.annotator, an.dimension, an.label
    """
    extra, params = ("AND an.dimension = ?", [dimension]) if dimension else ("", [])
    rows = []
    for row in db.query(sql.format(extra=extra), params):
        row["outlet_key"] = outlet_key(row["outlet"], row["article_id"])
        rows.append(row)
    return rows


# ---------------------------------------------------------------- import / merge


@dataclass
class InsertResult:
    """What happened to each incoming row; ``unknown`` and ``conflicts`` are reported."""

    inserted: int = 0
    already_present: int = 0
    replaced: int = 0  # stored rows replaced by the same annotator's later decision
    outdated: int = 0  # incoming rows older than the annotator's stored decision
    unknown: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    notes_inserted: int = 0
    notes_present: int = 0
    notes_replaced: int = 0
    notes_outdated: int = 0
    note_conflicts: list[tuple[dict[str, Any], str]] = field(default_factory=list)


# plain SQL: Table.insert() introspects the table on every call, 10x slower on a big merge
_INSERT = (
    f"INSERT INTO annotations ({', '.join(ANNOTATION_FIELDS)}) "
    f"VALUES ({', '.join('?' * len(ANNOTATION_FIELDS))})"
)


def _stamp(value: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _newer(incoming: str, stored: str) -> bool | None:
    """True if ``incoming`` is the later time, False if earlier, None on a tie (or no time)."""
    a, b = _stamp(incoming), _stamp(stored)
    if a is None or b is None or a == b:
        return None
    return a > b


def insert_annotations(
    db: sqlite_utils.Database,
    rows: Iterable[dict[str, Any]],
    single_label: frozenset[str],
    result: InsertResult | None = None,
) -> InsertResult:
    """Insert annotation rows by the rules in the module docstring (caller holds the transaction).

    ``rows`` carry the keys of :data:`ANNOTATION_FIELDS`; ``single_label`` names
    the dimensions where an annotator has one label per passage.
    """
    result = result or InsertResult()
    known = {r[0] for r in db.execute("SELECT id FROM passages")}
    columns = ", ".join(ANNOTATION_FIELDS)
    for row in rows:
        if row["passage_id"] not in known:
            result.unknown.append(row)
            continue
        by_id = db.execute(
            f"SELECT {columns} FROM annotations WHERE id = ?", [row["id"]]
        ).fetchone()
        if by_id:
            stored = dict(zip(ANNOTATION_FIELDS, by_id))
            if all(stored[k] == row[k] for k in ANNOTATION_FIELDS):
                result.already_present += 1
            elif any(stored[k] != row[k] for k in _KEY):
                result.conflicts.append((row, "the same annotation id is stored for another label"))
            else:  # the same annotation, edited (a note): the later edit wins
                _settle(
                    db, row, [stored], result, "another version of it with the same time is stored"
                )
            continue
        # the rows this one would replace: the same label, or any label of a single-label dimension
        sql = f"SELECT {columns} FROM annotations WHERE annotator = ? AND passage_id = ? AND dimension = ?"
        params = [row["annotator"], row["passage_id"], row["dimension"]]
        if row["dimension"] not in single_label:
            sql, params = sql + " AND label = ?", params + [row["label"]]
        rivals = [dict(zip(ANNOTATION_FIELDS, r)) for r in db.execute(sql, params)]
        if not rivals:
            db.execute(_INSERT, [row[k] for k in ANNOTATION_FIELDS])
            result.inserted += 1
        elif any(r["label"] == row["label"] and r["note"] == row["note"] for r in rivals):
            result.already_present += 1  # the same label under another id (natural key)
        else:
            what = (
                f"{rivals[0]['label']!r} is stored"
                if rivals[0]["label"] != row["label"]
                else "another note is stored"
            )
            _settle(db, row, rivals, result, f"{what} with the same time")
    return result


_KEY = ("annotator", "passage_id", "dimension", "label")


def _settle(
    db: sqlite_utils.Database,
    row: dict[str, Any],
    stored: list[dict[str, Any]],
    result: InsertResult,
    tie: str,
) -> None:
    """The annotator's later decision wins; an earlier one is skipped; a tie is a conflict."""
    newer = _newer(row["created_at"], max(r["created_at"] for r in stored))
    if newer is None:
        result.conflicts.append((row, tie))
    elif newer:
        marks = ",".join("?" * len(stored))
        db.execute(f"DELETE FROM annotations WHERE id IN ({marks})", [r["id"] for r in stored])
        db.execute(_INSERT, [row[k] for k in ANNOTATION_FIELDS])
        result.replaced += 1
    else:
        result.outdated += 1


def all_annotations(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT {', '.join(ANNOTATION_FIELDS)} FROM annotations ORDER BY id"))


def all_event_notes(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(
        db.query("SELECT annotator, event_id, note, updated_at FROM event_notes ORDER BY 1, 2")
    )


def insert_event_notes(
    db: sqlite_utils.Database, notes: Iterable[dict[str, Any]], result: InsertResult
) -> None:
    """Copy event notes keyed by (annotator, event_id); the later ``updated_at`` wins."""
    for note in notes:
        stored = db.execute(
            "SELECT note, updated_at FROM event_notes WHERE annotator = ? AND event_id = ?",
            [note["annotator"], note["event_id"]],
        ).fetchone()
        if stored is None:
            db.execute(
                "INSERT INTO event_notes (annotator, event_id, note, updated_at) "
                "VALUES (?, ?, ?, ?)",
                [note["annotator"], note["event_id"], note["note"], note["updated_at"]],
            )
            result.notes_inserted += 1
        elif stored[0] == note["note"]:
            result.notes_present += 1
        elif (newer := _newer(note["updated_at"], stored[1])) is None:
            result.note_conflicts.append((note, "another note with the same time is stored"))
        elif newer:
            db.execute(
                "UPDATE event_notes SET note = ?, updated_at = ? "
                "WHERE annotator = ? AND event_id = ?",
                [note["note"], note["updated_at"], note["annotator"], note["event_id"]],
            )
            result.notes_replaced += 1
        else:
            result.notes_outdated += 1


def passage_article(db: sqlite_utils.Database, passage_ids: Iterable[str]) -> dict[str, str]:
    """Article id of each passage (used to tell the user which sources a DB lacks)."""
    ids = sorted(set(passage_ids))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            db.execute(
                f"SELECT id, article_id FROM passages WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return found


# ---------------------------------------------------------------- coverage


def has_align_runs(db: sqlite_utils.Database) -> bool:
    return bool(db.execute("SELECT EXISTS (SELECT 1 FROM align_runs)").fetchone()[0] == 1)


def event_coverage(db: sqlite_utils.Database) -> tuple[list[str], list[dict[str, Any]]]:
    """Events × outlets: for each event of the latest run, passages per outlet key.

    Returns the outlet keys of every article in the database (so an outlet that
    covered no event still gets a column of zeros) and one dict per event with
    ``event_id``, ``label``, ``passages``, ``outlets`` and ``counts``
    (outlet key → number of its passages in the event).
    """
    keys = sorted({outlet_key(o, a) for a, o in db.execute("SELECT id, outlet FROM articles")})
    events = {
        r["id"]: {**r, "counts": dict.fromkeys(keys, 0)}
        for r in db.query("SELECT id, label, seq FROM events ORDER BY seq, id")
    }
    for event_id, outlet, article_id in db.execute(
        """SELECT ep.event_id, ar.outlet, ar.id FROM event_passages ep
           JOIN passages p ON p.id = ep.passage_id JOIN articles ar ON ar.id = p.article_id"""
    ):
        if event_id in events:
            events[event_id]["counts"][outlet_key(outlet, article_id)] += 1
    rows = []
    for event in events.values():
        counts = event["counts"]
        rows.append(
            {
                "event_id": event["id"],
                "label": event["label"],
                "passages": sum(counts.values()),
                "outlets": sum(1 for n in counts.values() if n),
                "counts": counts,
            }
        )
    return keys, rows
