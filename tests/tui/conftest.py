"""Fixtures for driving the annotation app with Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.events_fixture import build_event_db, insert_seed_events


@pytest.fixture
def event_db(tmp_path: Path) -> Path:
    """The seed articles, ingested and aligned into events."""
    return build_event_db(tmp_path / "events.db")


@pytest.fixture
def fixed_event_db(seed_db: Path) -> Path:
    """The seed articles with three fixed events, whatever the alignment would find."""
    insert_seed_events(seed_db)
    return seed_db


@pytest.fixture
def long_column_db(seed_db: Path) -> Path:
    """One event whose CGTN column holds the article's first twelve passages (far longer
    than a column shows) beside two ICARO passages."""
    from nato_compare.store import open_db

    from tests.events_fixture import CGTN, ICARO

    db = open_db(seed_db)
    try:
        with db.atomic():
            run = (
                db["align_runs"]
                .insert(
                    {
                        "started_at": "2026-01-01T00:00:00+00:00",
                        "finished_at": "2026-01-01T00:00:01+00:00",
                        "params": "{}",
                        "passages": 14,
                        "pairs": 0,
                        "events": 1,
                    }
                )
                .last_pk
            )
            ids = [
                row[0]
                for row in db.execute(
                    "SELECT id FROM passages WHERE (article_id = ? AND seq < 12) OR (article_id = ? AND seq < 2) "
                    "ORDER BY article_id, seq",
                    [CGTN, ICARO],
                )
            ]
            db["events"].insert(
                {
                    "id": "e-long",
                    "run_id": run,
                    "seq": 1,
                    "label": "A long column",
                    "passages": len(ids),
                    "outlets": 2,
                }
            )
            db["event_passages"].insert_all(
                {"event_id": "e-long", "passage_id": pid, "score": 0.9} for pid in ids
            )
    finally:
        db.close()
    return seed_db
