"""Fixtures shared by the whole suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.common import SOURCES


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped sources (seed articles + manifest)."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target


@pytest.fixture
def seed_db(tmp_path: Path) -> Path:
    """A database with the five seed articles ingested (no alignment)."""
    from nato_compare.pipeline import ingest_sources

    path = tmp_path / "seed.db"
    ingest_sources([SOURCES], path)
    return path
