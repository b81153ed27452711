"""Fixtures for driving the annotation app with Textual's Pilot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/ helpers

from events_fixture import build_event_db, insert_seed_events  # noqa: E402


@pytest.fixture
def event_db(tmp_path: Path) -> Path:
    """The seed articles, ingested and aligned into events."""
    return build_event_db(tmp_path / "events.db")


@pytest.fixture
def fixed_event_db(seed_db: Path) -> Path:
    """The seed articles with three fixed events, whatever the alignment would find."""
    insert_seed_events(seed_db)
    return seed_db
