"""What an annotator last saw of each event, so the interface can say when an event was split
or merged since (events are re-made by every alignment run; passages keep their ids)."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from . import write_transaction
from .annotations import _now

SEEN_WAIT = 0.2  # seconds the record of what was seen may wait for another program's write


def event_changes(db: Database, annotator: str, event_id: str, members: list[str]) -> str | None:
    """How the event differs from what the annotator last saw of its passages (split, merged,
    grown), or None when it is new to them or unchanged; records what they see now."""
    members = sorted(members)
    if not members:
        return None
    marks = ",".join("?" * len(members))
    seen = {
        passage: (seen_event, tuple(json.loads(seen_members)))
        for passage, seen_event, seen_members in db.execute(
            f"SELECT passage_id, event_id, members FROM seen_events "
            f"WHERE annotator = ? AND passage_id IN ({marks})",
            [annotator, *members],
        )
    }
    current = tuple(members)
    if len(seen) == len(members) and all(s == (event_id, current) for s in seen.values()):
        return None  # seen as it is
    notice = None
    if seen:
        before = {s[1] for s in seen.values()}
        now = set(members)
        parts = []
        if len(before) > 1:
            parts.append(f"merged from {len(before)} events you saw")
        gone = set().union(*before) - now
        if gone:
            parts.append(f"split: {len(gone)} passage(s) you saw with these are elsewhere now")
        new = now - set().union(*before)
        if new and len(before) == 1 and not gone:
            parts.append(f"{len(new)} passage(s) joined since you last saw it")
        elif new and seen:
            parts.append(f"{len(new)} passage(s) new to you")
        notice = "; ".join(parts) or None
    try:
        # a convenience, not worth holding up the reads queued behind it: while another
        # program writes (an alignment being saved) it is left for next time
        with write_transaction(db, timeout=SEEN_WAIT):
            stamp = _now()
            db.conn.executemany(
                "INSERT INTO seen_events (annotator, passage_id, event_id, members, seen_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(annotator, passage_id) DO UPDATE SET "
                "event_id = excluded.event_id, members = excluded.members, "
                "seen_at = excluded.seen_at",
                [(annotator, m, event_id, json.dumps(members), stamp) for m in members],
            )
    except sqlite3.OperationalError:
        pass
    return notice
