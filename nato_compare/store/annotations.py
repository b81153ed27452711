"""Annotations: writing labels and notes, undo/redo, and the queries behind the annotation UI.

Every user action is one transaction, committed at once: the changed rows and
an ``action_log`` entry that records the state of what it changed *before*
and *after*, as JSON. Undo writes the "before" state back and marks the entry
undone; redo writes the "after" state back. Restoring a state re-inserts rows
with their original ids, so an undone-then-redone label keeps its uuid (merges
across databases rely on ids). A new action drops the annotator's undone
entries (the redo stack). All of this lives in the database, so it survives a
restart or a killed process.

Conventions (shared with export): frames are several ``dimension='frame'``
rows; a single-label dimension (stance) has at most one row per annotator and
passage; a passage note is ``dimension='note'``, ``label=''`` with the text in
``note``. A passage is *coded completely* by an annotator when it has a label
in every required dimension of the codebook (see :mod:`.worklist`).

Events are read from ``events``/``event_passages`` (written by alignment):
only the latest alignment run's events are shown.
"""

# Over 400 lines: the label writes, the undo/redo that replays their logged actions and the
# reads of the same rows share one action format.

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from ..errors import NatoCompareError

NOTE = "note"
_COLUMNS = ("id", "annotator", "passage_id", "dimension", "label", "note", "created_at")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- writing -----------------------------------------------------------------


def _rows(
    db: sqlite_utils.Database, annotator: str, passage_id: str, dimension: str
) -> list[dict[str, Any]]:
    return [
        dict(zip(_COLUMNS, row))
        for row in db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM annotations "
            "WHERE annotator = ? AND passage_id = ? AND dimension = ? ORDER BY label",
            [annotator, passage_id, dimension],
        )
    ]


def _put_rows(
    db: sqlite_utils.Database,
    annotator: str,
    passage_id: str,
    dimension: str,
    rows: list[dict[str, Any]],
) -> None:
    db.execute(
        "DELETE FROM annotations WHERE annotator = ? AND passage_id = ? AND dimension = ?",
        [annotator, passage_id, dimension],
    )
    for row in rows:
        db.execute(
            f"INSERT INTO annotations ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            [row[c] for c in _COLUMNS],
        )


def _event_note_row(
    db: sqlite_utils.Database, annotator: str, event_id: str
) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT note, updated_at FROM event_notes WHERE annotator = ? AND event_id = ?",
        [annotator, event_id],
    ).fetchone()
    return {"note": row[0], "updated_at": row[1]} if row else None


def _put_event_note(
    db: sqlite_utils.Database, annotator: str, event_id: str, row: dict[str, Any] | None
) -> None:
    db.execute(
        "DELETE FROM event_notes WHERE annotator = ? AND event_id = ?", [annotator, event_id]
    )
    if row is not None:
        db.execute(
            "INSERT INTO event_notes (annotator, event_id, note, updated_at) VALUES (?, ?, ?, ?)",
            [annotator, event_id, row["note"], row["updated_at"]],
        )


def _check_passage(db: sqlite_utils.Database, passage_id: str) -> None:
    if not db.execute("SELECT 1 FROM passages WHERE id = ?", [passage_id]).fetchone():
        raise NatoCompareError(f"no passage {passage_id} in the database")


def _log(db: sqlite_utils.Database, annotator: str, action: dict[str, Any]) -> int:
    # A new action makes the undone ones unreachable: drop the redo stack.
    db.execute("DELETE FROM action_log WHERE annotator = ? AND undone = 1", [annotator])
    cursor = db.execute(
        "INSERT INTO action_log (annotator, action, at, undone) VALUES (?, ?, ?, 0)",
        [annotator, json.dumps(action, ensure_ascii=False), _now()],
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    return cursor.lastrowid


def _change_rows(
    db: sqlite_utils.Database,
    annotator: str,
    passage_id: str,
    dimension: str,
    description: str,
    make_after: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    event_id: str | None = None,
) -> dict[str, Any]:
    """Apply ``make_after(before_rows) -> after_rows`` in one logged transaction; ``event_id``
    (the event on screen) is logged with it: a passage may stand in several events, and undo
    and a restart go back to the one where the annotator worked."""
    with db.atomic():
        _check_passage(db, passage_id)
        before = _rows(db, annotator, passage_id, dimension)
        after = make_after(before)
        _put_rows(db, annotator, passage_id, dimension, after)
        action = {
            "kind": "annotations",
            "description": description,
            "passage_id": passage_id,
            "dimension": dimension,
            "before": before,
            "after": after,
        }
        if event_id:
            action["event_id"] = event_id
        _log(db, annotator, action)
    return action


def _new_row(
    annotator: str, passage_id: str, dimension: str, label: str, note: str = ""
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "annotator": annotator,
        "passage_id": passage_id,
        "dimension": dimension,
        "label": label,
        "note": note,
        "created_at": _now(),
    }


def toggle_label(
    db: sqlite_utils.Database,
    annotator: str,
    passage_id: str,
    dimension: str,
    label: str,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Add ``label`` to a multi-label dimension, or remove it if present (one action)."""

    def after(before: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if any(r["label"] == label for r in before):
            return [r for r in before if r["label"] != label]
        return before + [_new_row(annotator, passage_id, dimension, label)]

    present = bool(
        db.execute(
            "SELECT 1 FROM annotations WHERE annotator=? AND passage_id=? AND dimension=? AND label=?",
            [annotator, passage_id, dimension, label],
        ).fetchone()
    )
    return _change_rows(
        db,
        annotator,
        passage_id,
        dimension,
        f"{dimension} {'-' if present else '+'}{label}",
        after,
        event_id,
    )


def set_single_label(
    db: sqlite_utils.Database,
    annotator: str,
    passage_id: str,
    dimension: str,
    label: str | None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Set the one label of a single-label dimension (stance); ``None`` clears it."""

    def after(before: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = [r for r in before if r["label"] == label]
        if kept or label is None:
            return kept
        return [_new_row(annotator, passage_id, dimension, label)]

    return _change_rows(
        db,
        annotator,
        passage_id,
        dimension,
        f"{dimension} = {label}" if label else f"{dimension} cleared",
        after,
        event_id,
    )


def set_passage_note(
    db: sqlite_utils.Database,
    annotator: str,
    passage_id: str,
    text: str,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Set the annotator's note on a passage; empty text removes it."""
    text = text.strip()

    def after(before: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not text:
            return []
        if before:
            return [{**before[0], "note": text, "created_at": _now()}]
        return [_new_row(annotator, passage_id, NOTE, "", text)]

    return _change_rows(db, annotator, passage_id, NOTE, "passage note", after, event_id)


def set_event_note(
    db: sqlite_utils.Database, annotator: str, event_id: str, text: str
) -> dict[str, Any]:
    """Set the annotator's note on an event; empty text removes it."""
    text = text.strip()
    with db.atomic():
        if not db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone():
            raise NatoCompareError(f"no event {event_id} in the database")
        before = _event_note_row(db, annotator, event_id)
        after = {"note": text, "updated_at": _now()} if text else None
        _put_event_note(db, annotator, event_id, after)
        action = {
            "kind": "event_note",
            "description": "event note",
            "event_id": event_id,
            "before": before,
            "after": after,
        }
        _log(db, annotator, action)
    return action


def _apply(db: sqlite_utils.Database, annotator: str, action: dict[str, Any], state: str) -> None:
    if action["kind"] == "annotations":
        _put_rows(db, annotator, action["passage_id"], action["dimension"], action[state])
    elif action["kind"] == "event_note":
        _put_event_note(db, annotator, action["event_id"], action[state])
    elif action["kind"] == "judgements":  # see .judgements (it imports this module)
        from .judgements import restore

        restore(db, action, state)
    else:  # pragma: no cover - written by a newer version
        raise NatoCompareError(f"cannot undo an action of unknown kind {action['kind']!r}")


def undo(db: sqlite_utils.Database, annotator: str) -> dict[str, Any] | None:
    """Undo the annotator's latest action; returns it, or ``None`` when there is nothing to undo."""
    with db.atomic():
        row = db.execute(
            "SELECT seq, action FROM action_log WHERE annotator = ? AND undone = 0 "
            "ORDER BY seq DESC LIMIT 1",
            [annotator],
        ).fetchone()
        if row is None:
            return None
        action: dict[str, Any] = json.loads(row[1])
        _apply(db, annotator, action, "before")
        db.execute("UPDATE action_log SET undone = 1 WHERE seq = ?", [row[0]])
    return action


def redo(db: sqlite_utils.Database, annotator: str) -> dict[str, Any] | None:
    """Redo the annotator's most recently undone action; ``None`` when there is none."""
    with db.atomic():
        row = db.execute(
            "SELECT seq, action FROM action_log WHERE annotator = ? AND undone = 1 "
            "ORDER BY seq ASC LIMIT 1",
            [annotator],
        ).fetchone()
        if row is None:
            return None
        action: dict[str, Any] = json.loads(row[1])
        _apply(db, annotator, action, "after")
        db.execute("UPDATE action_log SET undone = 0 WHERE seq = ?", [row[0]])
    return action


# --- reading labels ----------------------------------------------------------


@dataclass
class PassageLabels:
    """One annotator's labels on one passage: ``labels[dimension] = [label, ...]`` and the note."""

    labels: dict[str, list[str]]
    note: str = ""

    @property
    def annotated(self) -> bool:
        """Some label given (perhaps not every required one: see :meth:`complete`)."""
        return any(self.labels.values())

    def missing(self, required: Sequence[str]) -> list[str]:
        """The required dimensions without a label yet."""
        return [d for d in required if not self.labels.get(d)]

    def complete(self, required: Sequence[str]) -> bool:
        """Coded completely: a label in every required dimension (none required: any label)."""
        return not self.missing(required) if required else self.annotated


def labels_for_passages(
    db: sqlite_utils.Database, annotator: str, passage_ids: list[str]
) -> dict[str, PassageLabels]:
    """The annotator's labels and notes for these passages (every id gets an entry)."""
    result = {pid: PassageLabels({}) for pid in passage_ids}
    for start in range(0, len(passage_ids), 500):
        chunk = passage_ids[start : start + 500]
        rows = db.execute(
            "SELECT passage_id, dimension, label, note FROM annotations "
            f"WHERE annotator = ? AND passage_id IN ({','.join('?' * len(chunk))}) "
            "ORDER BY created_at, label",
            [annotator, *chunk],
        )
        for passage_id, dimension, label, note in rows:
            entry = result[passage_id]
            if dimension == NOTE:
                entry.note = note
            else:
                entry.labels.setdefault(dimension, []).append(label)
    return result


def event_labels(
    db: sqlite_utils.Database, annotator: str, event_id: str
) -> dict[str, PassageLabels]:
    """The annotator's labels for every passage of an event."""
    ids = [
        r[0]
        for r in db.execute("SELECT passage_id FROM event_passages WHERE event_id = ?", [event_id])
    ]
    return labels_for_passages(db, annotator, ids)


def all_annotators_labels(db: sqlite_utils.Database, passage_id: str) -> dict[str, PassageLabels]:
    """Every annotator's labels on a passage (the adjudication view), by annotator name.
    Blind coding: show them to an annotator only through :func:`compare_labels`."""
    names = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT annotator FROM annotations WHERE passage_id = ? ORDER BY annotator",
            [passage_id],
        )
    ]
    return {name: labels_for_passages(db, name, [passage_id])[passage_id] for name in names}


def event_note(db: sqlite_utils.Database, annotator: str, event_id: str) -> str:
    row = _event_note_row(db, annotator, event_id)
    return row["note"] if row else ""


class BlindCoding(NatoCompareError):
    """Another annotator's labels were asked for before this annotator finished the passage."""


def compare_labels(
    db: sqlite_utils.Database,
    annotator: str,
    passage_id: str,
    required: Sequence[str],
    *,
    adjudicator: bool = False,
) -> dict[str, PassageLabels]:
    """Every annotator's labels on a passage, for ``annotator`` to compare with their own.

    Blind coding: refused (:class:`BlindCoding`) until ``annotator`` has coded the passage
    completely, unless they work in the (logged) adjudicator role."""
    if not adjudicator:
        own = labels_for_passages(db, annotator, [passage_id])[passage_id]
        missing = own.missing(required) if required else ([] if own.annotated else ["a label"])
        if missing:
            raise BlindCoding(
                "blind coding: the other annotators' labels show once you have coded this "
                f"passage completely (still missing: {', '.join(missing)})"
            )
    return all_annotators_labels(db, passage_id)


def log_role(db: sqlite_utils.Database, annotator: str, role: str, via: str) -> None:
    """Record that ``annotator`` opened the database in ``role`` (e.g. adjudicator)."""
    with db.atomic():
        db.execute(
            "INSERT INTO role_log (annotator, role, via, at) VALUES (?, ?, ?, ?)",
            [annotator, role, via, _now()],
        )


def latest_action(db: sqlite_utils.Database, annotator: str) -> tuple[dict[str, Any], str] | None:
    """The annotator's latest action still in effect (not undone), and when it was taken."""
    row = db.execute(
        "SELECT action, at FROM action_log WHERE annotator = ? AND undone = 0 "
        "ORDER BY seq DESC LIMIT 1",
        [annotator],
    ).fetchone()
    return (json.loads(row[0]), row[1]) if row else None
