"""What an annotator last saw of each event, so the interface can say when an event was split
or merged since (events are re-made by every alignment run; passages keep their ids)."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from . import write_transaction
from .annotations import _now
from .worklist import claim_spans

SEEN_WAIT = 0.2  # seconds the record of what was seen may wait for another program's write


def _units(db: Database, event_id: str, members: list[str]) -> dict[str, tuple[str, str]]:
    """The event's members as units of what is seen: (passage, its first claim's start or '')
    by unit key (``passage`` or ``passage#start``). A passage standing in two events (one per
    fact it states) is two units, each in one event, as a passage used to be."""
    first_claim: dict[str, str] = {}
    for passage_id, claims in db.execute(
        "SELECT passage_id, claims FROM event_passages WHERE event_id = ?", [event_id]
    ):
        starts = [start for start, _ in claim_spans(claims)]
        first_claim[passage_id] = str(min(starts)) if starts else ""
    units = {}
    for passage in members:
        claim = first_claim.get(passage, "")
        units[f"{passage}#{claim}" if claim else passage] = (passage, claim)
    return units


def _unit_keys(passages: tuple[str, ...], units: dict[str, tuple[str, str]]) -> set[str]:
    """Members recorded as passages (before claims), as the unit keys they are now."""
    now = {passage: key for key, (passage, _) in units.items()}
    return {now.get(passage, passage) for passage in passages}


def event_changes(db: Database, annotator: str, event_id: str, members: list[str]) -> str | None:
    """How the event differs from what the annotator last saw of its members (split, merged,
    grown), or None when it is new to them or unchanged; records what they see now. A member
    is a passage with the claim that put it in the event (see :func:`_units`)."""
    units = _units(db, event_id, members)
    if not units:
        return None
    keys = sorted(units)
    seen: dict[str, tuple[str, tuple[str, ...]]] = {}
    passages = sorted({passage for passage, _ in units.values()})
    marks = ",".join("?" * len(passages))
    legacy: dict[str, tuple[str, tuple[str, ...]]] = {}  # seen before claims: the passage
    for passage, claim, seen_event, seen_members in db.execute(
        f"SELECT passage_id, claim, event_id, members FROM seen_events "
        f"WHERE annotator = ? AND passage_id IN ({marks})",
        [annotator, *passages],
    ):
        key = f"{passage}#{claim}" if claim else passage
        if key in units:
            seen[key] = (seen_event, tuple(json.loads(seen_members)))
        elif not claim:
            legacy[passage] = (seen_event, tuple(json.loads(seen_members)))
    for key, (passage, _) in units.items():
        if key not in seen and passage in legacy:
            old_event, old_members = legacy[passage]
            # members were recorded as passages then: compared as passages
            seen[key] = (old_event, tuple(sorted(_unit_keys(old_members, units))))
    current = tuple(keys)
    if len(seen) == len(keys) and all(s == (event_id, current) for s in seen.values()):
        return None  # seen as it is
    notice = None
    if seen:
        before = {s[1] for s in seen.values()}
        now = set(keys)
        parts = []
        if len(before) > 1:
            parts.append(f"merged from {len(before)} events you saw")
        gone = set().union(*before) - now
        if gone:
            parts.append(f"split: {len(gone)} passage(s) you saw with these are elsewhere now")
        new = now - set().union(*before)
        if new and len(before) == 1 and not gone:
            parts.append(f"{len(new)} passage(s) joined since you last saw it")
        elif new:
            parts.append(f"{len(new)} passage(s) new to you")
        notice = "; ".join(parts) or None
    _record(db, annotator, event_id, units)
    return notice


def _record(db: Database, annotator: str, event_id: str, units: dict[str, tuple[str, str]]) -> None:
    keys = sorted(units)
    try:
        # a convenience, not worth holding up the reads queued behind it: while another
        # program writes (an alignment being saved) it is left for next time
        with write_transaction(db, timeout=SEEN_WAIT):
            stamp = _now()
            db.conn.executemany(
                "INSERT INTO seen_events (annotator, passage_id, claim, event_id, members, "
                "seen_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(annotator, passage_id, claim) "
                "DO UPDATE SET event_id = excluded.event_id, members = excluded.members, "
                "seen_at = excluded.seen_at",
                [
                    (annotator, passage, claim, event_id, json.dumps(keys), stamp)
                    for passage, claim in units.values()
                ],
            )
    except sqlite3.OperationalError:
        pass


def mark_seen(db: Database, annotator: str, event_id: str) -> None:
    """Record the event's members as the annotator sees them now: after their own attach,
    detach or undo, the event is as they made it, not changed behind their back."""
    members = [
        row[0]
        for row in db.execute(
            "SELECT passage_id FROM event_passages WHERE event_id = ? ORDER BY passage_id",
            [event_id],
        )
    ]
    units = _units(db, event_id, members)
    if units:
        _record(db, annotator, event_id, units)
