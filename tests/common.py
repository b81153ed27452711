"""Paths and helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
SHARED = REPO.parent / "shared"


def dump(path: Path) -> list[str]:
    """Every row of every table, to compare a database before and after a command."""
    import sqlite3

    if not Path(path).exists():
        return []
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
