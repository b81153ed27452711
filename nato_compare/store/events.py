"""Alignment runs, events and aligned pairs: writing a run and the queries that read it.

A run replaces the previous run's events, memberships, pairs and suggestions (the ``align_runs`` rows are
kept as history). Passages are never deleted, and event ids derive from their members (see
:mod:`nato_compare.alignment`), so an annotator's ``event_notes`` stay attached to an event that the
new run finds again; when the run renames an event, its notes and verdicts follow it.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from ..model import AlignmentResult

ALIGNMENT_COLUMNS = [
    "event_id",
    "score",
    "article_a",
    "outlet_a",
    "passage_a",
    "text_a",
    "article_b",
    "outlet_b",
    "passage_b",
    "text_b",
    "shared_numbers",
    "shared_words",
    "shared_entities",
    "evidence",
]


def save_run(
    db: sqlite_utils.Database, result: AlignmentResult, *, started_at: str, finished_at: str
) -> int:
    """Store ``result`` as the current alignment in one transaction; return the run id."""
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO align_runs(started_at, finished_at, params, passages, pairs, events) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                started_at,
                finished_at,
                json.dumps({**result.params.to_dict(), "stats": result.stats}, sort_keys=True),
                result.stats.get("passages", 0),
                len(result.pairs),
                len(result.events),
            ],
        )
        assert cursor.lastrowid is not None  # an INSERT sets it
        run_id = int(cursor.lastrowid)
        before: dict[str, set[str]] = {}
        for event_id, passage_id in db.execute("SELECT event_id, passage_id FROM event_passages"):
            before.setdefault(event_id, set()).add(passage_id)
        db.execute("DELETE FROM alignments")
        db.execute("DELETE FROM suggestions")
        db.execute("DELETE FROM event_passages")
        db.execute("DELETE FROM events")
        db.conn.executemany(
            "INSERT INTO events(id, run_id, seq, label, passages, outlets) VALUES (?, ?, ?, ?, ?, ?)",
            [(e.id, run_id, e.seq, e.label, len(e.members), e.outlets) for e in result.events],
        )
        db.conn.executemany(
            "INSERT INTO event_passages(event_id, passage_id, score, claims) VALUES (?, ?, ?, ?)",
            [
                (e.id, m.passage_id, m.score, json.dumps([list(c) for c in m.claims]))
                for e in result.events
                for m in e.members
            ],
        )
        _follow_renamed_events(db, before, {e.id: set(e.passage_ids) for e in result.events})
        db.conn.executemany(
            "INSERT INTO alignments(run_id, passage_a, passage_b, score, event_id, evidence) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (run_id, p.a, p.b, p.score, p.event_id, json.dumps(p.evidence, sort_keys=True))
                for p in result.pairs
            ],
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO suggestions(run_id, passage_a, passage_b, score, event_id, "
            "evidence) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (run_id, p.a, p.b, p.score, None, json.dumps(p.evidence, sort_keys=True))
                for p in result.suggestions
            ],
        )
    return run_id


def _follow_renamed_events(
    db: sqlite_utils.Database, before: dict[str, set[str]], after: dict[str, set[str]]
) -> None:
    """Annotators' event notes, verdicts and titles follow an event that the new run renames
    (its first member or first claim changed, or it was stored by an earlier version): an
    event that is gone hands them to the new event holding at least half of its passages, and
    at least two; each new event takes over from one old event at most."""
    worked = {
        row[0]
        for row in db.execute(
            "SELECT event_id FROM event_notes UNION SELECT event_id FROM judgements "
            "WHERE event_id != ''"
        )
    }
    gone = [event for event in before if event not in after and event in worked]
    if not gone:
        return
    fresh_of: dict[str, list[str]] = {}  # passage -> the new events (not old ids) holding it
    for event, members in after.items():
        if event not in before:
            for passage in members:
                fresh_of.setdefault(passage, []).append(event)
    candidates = []
    for old in gone:
        shared: dict[str, int] = {}
        for passage in before[old]:
            for new in fresh_of.get(passage, []):
                shared[new] = shared.get(new, 0) + 1
        for new, count in shared.items():
            if count >= 2 and 2 * count >= len(before[old]):
                candidates.append((-count, old, new))
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    for _, old, new in sorted(candidates):
        if old in taken_old or new in taken_new:
            continue
        taken_old.add(old)
        taken_new.add(new)
        for table in ("event_notes", "judgements"):
            db.execute(f"UPDATE OR IGNORE {table} SET event_id = ? WHERE event_id = ?", [new, old])


def put_event(db: sqlite_utils.Database, event: dict[str, Any]) -> None:
    """Add an event an analyst made (``id``, ``label``) to the latest run, after its last
    event and without members yet (adding them counts them); kept as it is if the run has it."""
    db.execute(
        """INSERT OR IGNORE INTO events (id, run_id, seq, label, passages, outlets)
           SELECT :id, r.id, coalesce((SELECT max(seq) FROM events WHERE run_id = r.id), 0) + 1,
                  :label, 0, 0
           FROM (SELECT max(id) AS id FROM align_runs) r WHERE r.id IS NOT NULL""",
        {"id": event["id"], "label": event["label"]},
    )


def drop_event_if_empty(db: sqlite_utils.Database, event_id: str) -> None:
    """Remove an event that has fewer than two members left (an analyst's new event, undone,
    perhaps after another annotator attached a passage to it: one passage is no event; that
    annotator's link stays, and the next alignment places it); pairs that named it name no
    event."""
    left = db.execute(
        "SELECT count(*) FROM event_passages WHERE event_id = ?", [event_id]
    ).fetchone()[0]
    if left >= 2:
        return
    db.execute("DELETE FROM event_passages WHERE event_id = ?", [event_id])
    db.execute("UPDATE alignments SET event_id = NULL WHERE event_id = ?", [event_id])
    db.execute("UPDATE suggestions SET event_id = NULL WHERE event_id = ?", [event_id])
    db.execute("DELETE FROM events WHERE id = ?", [event_id])


def latest_run(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The most recent alignment run (its ``params`` decoded), or None."""
    rows = list(db.query("SELECT * FROM align_runs ORDER BY id DESC LIMIT 1"))
    if not rows:
        return None
    row = dict(rows[0])
    row["params"] = json.loads(row["params"])
    return row


def list_events(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The current events in order: id, seq, label, passages, outlets, run_id."""
    return list(
        db.query("SELECT id, seq, label, passages, outlets, run_id FROM events ORDER BY seq")
    )


def event_passages(db: sqlite_utils.Database, event_id: str) -> list[dict[str, Any]]:
    """An event's passages with their article, outlet, the score that put them there and the
    claims (``[[start, end], ...]`` JSON) that did."""
    return list(
        db.query(
            """
        SELECT ep.passage_id, ep.score, ep.claims, p.article_id, p.seq, p.text, p.superseded_at,
               a.outlet, a.title, a.date
        FROM event_passages ep
        JOIN passages p ON p.id = ep.passage_id
        JOIN articles a ON a.id = p.article_id
        WHERE ep.event_id = ?
        ORDER BY a.outlet, p.article_id, p.seq
        """,
            [event_id],
        )
    )


def alignment_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The current aligned pairs, one row per pair with :data:`ALIGNMENT_COLUMNS`.

    ``shared_numbers``, ``shared_words`` and ``shared_entities`` are ``"; "``-joined lists taken
    from the pair's evidence; ``evidence`` is the whole evidence as JSON.
    """
    rows = []
    for row in db.query(
        """
        SELECT al.event_id, al.score,
               pa.article_id AS article_a, aa.outlet AS outlet_a, al.passage_a, pa.text AS text_a,
               pb.article_id AS article_b, ab.outlet AS outlet_b, al.passage_b, pb.text AS text_b,
               al.evidence
        FROM alignments al
        JOIN passages pa ON pa.id = al.passage_a JOIN articles aa ON aa.id = pa.article_id
        JOIN passages pb ON pb.id = al.passage_b JOIN articles ab ON ab.id = pb.article_id
        LEFT JOIN events e ON e.id = al.event_id
        ORDER BY e.seq IS NULL, e.seq, al.score DESC, al.passage_a, al.passage_b
        """
    ):
        evidence = json.loads(row["evidence"] or "{}")
        row = dict(row)
        for key in ("shared_numbers", "shared_words", "shared_entities"):
            row[key] = "; ".join(str(v) for v in evidence.get(key, []))
        rows.append({column: row[column] for column in ALIGNMENT_COLUMNS})
    return rows
