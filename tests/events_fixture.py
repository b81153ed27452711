"""Databases with events for the annotation tests: the seed articles grouped into events.

``insert_seed_events`` writes three fixed events (deterministic, for the store
tests); ``build_event_db`` runs the real alignment, and fails when it finds fewer events
than the interface tests need: a fixture must not hide a broken aligner behind fixed events.
"""

from __future__ import annotations

from pathlib import Path

from nato_compare.alignment.database import align_db

from nato_compare.pipeline import ingest_sources
from nato_compare.store import open_db

SOURCES = Path(__file__).resolve().parent.parent / "sources"

CGTN = "cgtn-2024-03-nato-dilemma-invest-in-ukraine"
ICARO = "icaro-2024-stoltenberg-pushes-ukraine-support"
HERALD = "eastern-herald-2024-06-21-no-imminent-russian-threat"
MINISTERS = "unknown-2024-06-defence-ministers-ukraine-aid"
RUTTE = "unknown-2024-10-rutte-40-billion-pledge"

SEED_EVENTS = [
    (
        "e-0001",
        "Stoltenberg urges allies to step up support for Ukraine",
        [(CGTN, 1), (ICARO, 0), (HERALD, 0), (MINISTERS, 3)],
    ),
    ("e-0002", "The 40 billion euro pledge", [(RUTTE, 5), (MINISTERS, 7), (CGTN, 13)]),
    ("e-0003", "Ammunition and arms production", [(CGTN, 2), (HERALD, 13), (MINISTERS, 5)]),
]


def insert_seed_events(db_path: Path) -> list[str]:
    """Write SEED_EVENTS as one alignment run; returns the event ids in order."""
    db = open_db(db_path)
    try:
        with db.atomic():
            run = (
                db["align_runs"]
                .insert(
                    {
                        "started_at": "2026-01-01T00:00:00+00:00",
                        "finished_at": "2026-01-01T00:00:01+00:00",
                        "params": "{}",
                        "passages": 10,
                        "pairs": 0,
                        "events": len(SEED_EVENTS),
                    }
                )
                .last_pk
            )
            for seq, (event_id, label, members) in enumerate(SEED_EVENTS, 1):
                ids = [
                    db.execute(
                        "SELECT id FROM passages WHERE article_id = ? AND seq = ?", [article, pseq]
                    ).fetchone()[0]
                    for article, pseq in members
                ]
                db["events"].insert(
                    {
                        "id": event_id,
                        "run_id": run,
                        "seq": seq,
                        "label": label,
                        "passages": len(ids),
                        "outlets": len(ids),
                    }
                )
                db["event_passages"].insert_all(
                    {"event_id": event_id, "passage_id": pid, "score": 0.9} for pid in ids
                )
    finally:
        db.close()
    return [event_id for event_id, _, _ in SEED_EVENTS]


#: Events the interface tests move between (next/previous, wrapping round).
MIN_EVENTS = 2


class TooFewEvents(AssertionError):
    """The aligner found fewer events on the seed sources than the tests need."""


def build_event_db(db_path: Path) -> Path:
    """The seed articles ingested, then aligned by the real aligner at its defaults."""
    ingest_sources([SOURCES], db_path)
    align_db(db_path)
    db = open_db(db_path, create=False)
    try:
        events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        db.close()
    if events < MIN_EVENTS:
        raise TooFewEvents(
            f"the aligner found {events} event(s) on the seed sources; the interface tests "
            f"need at least {MIN_EVENTS}"
        )
    return db_path


def apart_from(db, passage: str) -> str:
    """A passage of another outlet that no event holds with ``passage``: the first such of the
    Rutte article (an outlet no other article has), else of CGTN."""
    from nato_compare.store.judgements import passage_outlet_keys

    together = {
        r[0]
        for r in db.execute(
            "SELECT y.passage_id FROM event_passages x JOIN event_passages y "
            "ON y.event_id = x.event_id WHERE x.passage_id = ?",
            [passage],
        )
    }
    for article in (RUTTE, CGTN):
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM passages WHERE article_id = ? ORDER BY seq", [article]
            )
        ]
        keys = passage_outlet_keys(db, [passage, *ids])
        for other in ids:
            if other not in together and keys[other] != keys[passage]:
                return str(other)
    raise AssertionError("no passage of another outlet apart from the chosen one")
