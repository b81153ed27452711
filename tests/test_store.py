"""The database file: schema as documented, WAL, foreign keys, versions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nato_compare.errors import NatoCompareError
from nato_compare.store import SCHEMA_VERSION, open_db


def test_new_database_has_wal_foreign_keys_and_version(tmp_path: Path) -> None:
    db = open_db(tmp_path / "x.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1


def test_newer_schema_version_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(NatoCompareError, match="newer than this nato-compare understands"):
        open_db(path)


def test_foreign_sqlite_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE orders (id INTEGER)")
    conn.close()
    with pytest.raises(NatoCompareError, match="not a nato-compare one"):
        open_db(path)


def test_not_a_database_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text, not SQLite at all " * 50)
    with pytest.raises(NatoCompareError, match="not a SQLite database"):
        open_db(path)


@pytest.mark.parametrize(
    "stored,shown",
    [
        ("[[0, 5], [2, 9]]", ((0, 5), (2, 9))),
        ('[[0, 5], [7, 3], "x", [true, 4], [1e400, 2]]', ((0, 5),)),  # hand-edited: bad ones go
        ("not json", ()),
        ('{"0": 5}', ()),
    ],
)
def test_an_event_members_claims_are_read_whatever_was_stored(
    seed_db: Path, stored: str, shown: tuple
) -> None:
    from tests.events_fixture import insert_seed_events
    from nato_compare.store.worklist import event_passages

    insert_seed_events(seed_db)
    db = open_db(seed_db)
    try:
        with db.atomic():
            db.execute("UPDATE event_passages SET claims = ? WHERE event_id = 'e-0001'", [stored])
        assert {p.claims for p in event_passages(db, "e-0001")} == {shown}
    finally:
        db.close()
