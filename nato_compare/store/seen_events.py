"""What an annotator last saw of each event, so the interface can say when an event was split
or merged since (events are re-made by every alignment run; passages keep their ids)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from sqlite_utils import Database

from . import write_transaction

SEEN_WAIT = 0.2  # seconds the record of what was seen may wait for another program's write


def event_changes(db: Database, annotator: str, event_id: str, members: list[str]) -> str | None:
    """How the event differs from what the annotator last saw of its passages (split, merged,
    grown), or None when it is new to them or unchanged; records what they see now.

    A passage may stand in several events (one per fact it states), so what was seen of a
    passage is kept per event, and an earlier view counts only when it shared at least two
    passages with this event (or was this very event): a passage's other fact is no split."""
    members = sorted(members)
    if not members:
        return None
    marks = ",".join("?" * len(members))
    now = set(members)
    latest: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # passage -> (seen_at, event, members)
    exact = set()
    for passage, seen_event, seen_members, seen_at in db.execute(
        f"SELECT passage_id, event_id, members, seen_at FROM seen_events "
        f"WHERE annotator = ? AND passage_id IN ({marks})",
        [annotator, *members],
    ):
        before_members = tuple(json.loads(seen_members))
        if seen_event == event_id and before_members == tuple(members):
            exact.add(passage)
        if seen_event != event_id and len(now.intersection(before_members)) < 2:
            continue
        if passage not in latest or seen_at > latest[passage][0]:
            latest[passage] = (seen_at, seen_event, before_members)
    if len(exact) == len(members):
        return None  # seen as it is
    notice = None
    if latest:
        before = {s[2] for s in latest.values()}
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
    try:
        # a convenience, not worth holding up the reads queued behind it: while another
        # program writes (an alignment being saved) it is left for next time
        with write_transaction(db, timeout=SEEN_WAIT):
            # to the microsecond: which of a passage's views came last decides the notice
            stamp = datetime.now(UTC).isoformat(timespec="microseconds")
            db.conn.executemany(
                "INSERT INTO seen_events (annotator, passage_id, event_id, members, seen_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(annotator, passage_id, event_id) DO UPDATE SET "
                "members = excluded.members, "
                "seen_at = excluded.seen_at",
                [(annotator, m, event_id, json.dumps(members), stamp) for m in members],
            )
    except sqlite3.OperationalError:
        pass
    return notice
