"""The SQLite store: schema, migrations and every query of nato-compare.

No SQL lives outside this package. The schema is built by the numbered
migrations below (sqlite-utils ``Migrations``); ``PRAGMA user_version`` mirrors
the number of migrations applied so that ``sqlite3 annotations.db`` users and
other tools can read the schema version, and a database written by a newer
nato-compare is refused instead of being damaged.

Tables (docs/schema.md documents every table):

- ``articles``        one row per source article (id derived from the source)
- ``passages``        paragraphs/sentence groups with offsets; content-derived ids;
                      ``superseded_at`` set when an edited source no longer has them
- ``align_runs``      one row per alignment run, with its parameters
- ``events``          groups of passages across outlets that report the same thing
- ``event_passages``  membership of a passage in an event, with the score and the sentences
                      (claims) that put it there; a passage may stand in several events
- ``alignments``      scored passage pairs of the latest run, with their evidence
- ``annotations``     one row per label (or note) an annotator gave a passage
- ``event_notes``     an annotator's note on a whole event
- ``action_log``      annotation actions, for undo/redo that survives a restart
- ``settings``        small key/value settings (e.g. the last annotator)
- ``judgements``      an annotator's verdicts on the alignment: links (same/different), whole
                      events (same fact/same theme only/unrelated) and event titles
- ``suggestions``     candidate pairs the latest run left out, for review (as ``alignments``)
- ``seen_events``     the members of each event as an annotator last saw it (split/merge notices)
- ``adjudications``   the final (adjudicated) labels of a passage's dimension, who decided, why
- ``role_log``        when an annotator opened the database as adjudicator (blind coding off)

**Writers wait, then succeed.** Every write transaction starts as a write (``BEGIN
IMMEDIATE``, in :meth:`StoreDatabase.atomic`): a transaction that begins as a read and later
writes cannot wait for the lock in SQLite (it fails at once with "database is locked"), one
that asks for the write lock first waits up to the busy timeout (:data:`BUSY_TIMEOUT`
seconds, or ``$NATO_COMPARE_BUSY_TIMEOUT``) for the other writer to finish. Failures are
told in one line by :mod:`nato_compare.store.failures`.
"""

# Over 400 lines: the migrations (the schema's history) are kept with open_db.

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Generator
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from ..errors import NatoCompareError
from .failures import database_errors, is_busy

DEFAULT_DB = "annotations.db"
#: Seconds a writer waits for another program's write to finish before giving up.
BUSY_TIMEOUT = 60.0
MIGRATION_SET = "nato_compare"

migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial_schema(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            outlet TEXT NOT NULL,
            title TEXT,
            date TEXT,
            url TEXT,
            content_hash TEXT NOT NULL,
            cleaned_text TEXT NOT NULL,
            removed_lines INTEGER NOT NULL DEFAULT 0,
            ingested_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE passages (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            superseded_at TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_passages_article ON passages(article_id, seq)")
    db.execute(
        """
        CREATE TABLE align_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            params TEXT NOT NULL,
            passages INTEGER NOT NULL DEFAULT 0,
            pairs INTEGER NOT NULL DEFAULT 0,
            events INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES align_runs(id),
            seq INTEGER NOT NULL,
            label TEXT NOT NULL,
            passages INTEGER NOT NULL,
            outlets INTEGER NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE event_passages (
            event_id TEXT NOT NULL REFERENCES events(id),
            passage_id TEXT NOT NULL REFERENCES passages(id),
            score REAL NOT NULL,
            PRIMARY KEY (event_id, passage_id)
        )"""
    )
    db.execute("CREATE INDEX idx_event_passages_passage ON event_passages(passage_id)")
    db.execute(
        """
        CREATE TABLE alignments (
            run_id INTEGER NOT NULL REFERENCES align_runs(id),
            passage_a TEXT NOT NULL REFERENCES passages(id),
            passage_b TEXT NOT NULL REFERENCES passages(id),
            score REAL NOT NULL,
            event_id TEXT REFERENCES events(id),
            evidence TEXT NOT NULL,
            PRIMARY KEY (run_id, passage_a, passage_b)
        )"""
    )
    db.execute(
        """
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            annotator TEXT NOT NULL,
            passage_id TEXT NOT NULL REFERENCES passages(id),
            dimension TEXT NOT NULL,
            label TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (annotator, passage_id, dimension, label)
        )"""
    )
    db.execute("CREATE INDEX idx_annotations_passage ON annotations(passage_id)")
    db.execute(
        """
        CREATE TABLE event_notes (
            annotator TEXT NOT NULL,
            event_id TEXT NOT NULL,
            note TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (annotator, event_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE action_log (
            seq INTEGER PRIMARY KEY,
            annotator TEXT NOT NULL,
            action TEXT NOT NULL,
            at TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX idx_action_log_annotator ON action_log(annotator, seq)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m002_judgements(db: sqlite_utils.Database) -> None:
    # Key columns hold '' rather than NULL: SQLite's UNIQUE treats NULLs as distinct.
    db.execute(
        """
        CREATE TABLE judgements (
            id TEXT PRIMARY KEY,
            annotator TEXT NOT NULL,
            kind TEXT NOT NULL,
            passage_a TEXT NOT NULL DEFAULT '',
            passage_b TEXT NOT NULL DEFAULT '',
            event_id TEXT NOT NULL DEFAULT '',
            verdict TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            score REAL,
            via TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (annotator, kind, passage_a, passage_b, event_id)
        )"""
    )
    db.execute("CREATE INDEX idx_judgements_event ON judgements(event_id)")
    db.execute("CREATE INDEX idx_judgements_b ON judgements(passage_b)")
    db.execute(
        """
        CREATE TABLE suggestions (
            run_id INTEGER NOT NULL REFERENCES align_runs(id),
            passage_a TEXT NOT NULL REFERENCES passages(id),
            passage_b TEXT NOT NULL REFERENCES passages(id),
            score REAL NOT NULL,
            event_id TEXT,
            evidence TEXT NOT NULL,
            PRIMARY KEY (run_id, passage_a, passage_b)
        )"""
    )
    db.execute("CREATE INDEX idx_suggestions_b ON suggestions(passage_b)")
    db.execute(
        """
        CREATE TABLE seen_events (
            annotator TEXT NOT NULL,
            passage_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            members TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (annotator, passage_id)
        )"""
    )


@migrations()
def m003_adjudication(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE adjudications (
            passage_id TEXT NOT NULL REFERENCES passages(id),
            dimension TEXT NOT NULL,
            label TEXT NOT NULL,
            adjudicator TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL,
            PRIMARY KEY (passage_id, dimension, label)
        )"""
    )
    db.execute(
        """
        CREATE TABLE role_log (
            seq INTEGER PRIMARY KEY,
            annotator TEXT NOT NULL,
            role TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )


@migrations()
def m004_article_story(db: sqlite_utils.Database) -> None:
    """A story declared by hand (corpus row or manifest): wins over automatic story linking."""
    db.execute("ALTER TABLE articles ADD COLUMN story TEXT")


@migrations()
def m005_event_claims(db: sqlite_utils.Database) -> None:
    """Events are made of claims: a passage may stand in several events, each for some of its
    sentences (``claims``: JSON list of [start, end] offsets); what an annotator saw is kept per
    passage and claim (``claim``: the claim's start offset, '' for the passage itself)."""
    db.execute("ALTER TABLE event_passages ADD COLUMN claims TEXT NOT NULL DEFAULT '[]'")
    db.execute(
        """
        CREATE TABLE seen_events_new (
            annotator TEXT NOT NULL,
            passage_id TEXT NOT NULL,
            claim TEXT NOT NULL DEFAULT '',
            event_id TEXT NOT NULL,
            members TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (annotator, passage_id, claim)
        )"""
    )
    db.execute(
        "INSERT INTO seen_events_new (annotator, passage_id, event_id, members, seen_at) "
        "SELECT annotator, passage_id, event_id, members, seen_at FROM seen_events"
    )
    db.execute("DROP TABLE seen_events")
    db.execute("ALTER TABLE seen_events_new RENAME TO seen_events")


SCHEMA_VERSION = len(migrations._migrations)


def busy_timeout() -> float:
    """The busy timeout in seconds: ``$NATO_COMPARE_BUSY_TIMEOUT`` or :data:`BUSY_TIMEOUT`."""
    value = os.environ.get("NATO_COMPARE_BUSY_TIMEOUT", "")
    try:
        seconds = float(value)
    except ValueError:
        return BUSY_TIMEOUT
    return seconds if seconds >= 0 else BUSY_TIMEOUT


class StoreDatabase(sqlite_utils.Database):
    """A sqlite-utils database whose transactions begin as writes (``BEGIN IMMEDIATE``).

    sqlite-utils' own writes (``insert_all``, ``update``...) and ours go through
    :meth:`atomic`, so this is the one place where a write transaction starts. While another
    program writes, ``BEGIN IMMEDIATE`` is tried again every few milliseconds until the busy
    timeout has passed: SQLite's own busy handler sleeps up to 100 ms between tries, so with
    four writers the lock often stood free while they slept.
    """

    @contextlib.contextmanager
    def atomic(self) -> Generator[sqlite_utils.Database, None, None]:
        if self.conn.in_transaction:  # nested: sqlite-utils' savepoints
            with super().atomic() as db:
                yield db
            return
        self._begin_immediate()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    def _begin_immediate(self) -> None:
        timeout = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        deadline = time.monotonic() + timeout / 1000
        pause = 0.001
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if not is_busy(error) or time.monotonic() >= deadline:
                        raise
                # random pauses: the waiting writers do not all try again at the same moment
                time.sleep(random.uniform(pause / 2, pause))
                pause = min(pause * 1.5, 0.004)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def write_transaction(
    db: sqlite_utils.Database, *, timeout: float | None = None
) -> contextlib.AbstractContextManager[sqlite_utils.Database]:
    """One write transaction on ``db``; ``timeout`` (seconds) overrides the busy timeout
    for it (0: give up at once if another program is writing)."""
    if timeout is None:
        return db.atomic()
    return _with_timeout(db, timeout)


@contextlib.contextmanager
def _with_timeout(db: sqlite_utils.Database, timeout: float) -> Generator[sqlite_utils.Database]:
    previous = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    try:
        with db.atomic():
            yield db
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(previous)}")


def connect(path: str | Path, *, timeout: float | None = None) -> StoreDatabase:
    """A connection to ``path`` whose writes wait up to ``timeout`` (default
    :func:`busy_timeout`) seconds for another writer, and whose statements outside
    :meth:`StoreDatabase.atomic` that write also begin ``IMMEDIATE``."""
    seconds = busy_timeout() if timeout is None else timeout
    conn = sqlite3.connect(
        str(path), timeout=seconds, isolation_level="IMMEDIATE", check_same_thread=False
    )
    return StoreDatabase(conn)


def open_db(
    path: str | Path = DEFAULT_DB,
    *,
    create: bool = True,
    migrate: bool | None = None,
    timeout: float | None = None,
) -> StoreDatabase:
    """Open (and, with ``create``, create or migrate) a nato-compare database.

    Every command opens its database here, so the checks are made once: without ``create``
    a missing or empty file is refused with one line saying to ingest first. ``migrate``
    (default: ``create``) brings an older schema up to date; a command that only reads
    passes neither and refuses an old database instead of changing it.

    WAL journal mode and foreign keys are switched on; writes wait up to ``timeout``
    seconds (default :func:`busy_timeout`) for another writer. Raises
    :class:`NatoCompareError` when the file is not a nato-compare database, was written by
    a newer version, or cannot be read or written (one line, see
    :mod:`nato_compare.store.failures`).
    """
    path = Path(path)
    if not create and not path.exists():
        raise NatoCompareError(f"database not found: {path} (run 'nato-compare ingest' first)")
    if path.exists() and path.is_dir():
        raise NatoCompareError(f"database path is a directory: {path}")
    if path.exists() and not path.is_file():
        raise NatoCompareError(f"{path} is not a regular file: give a database file")
    if not create and path.stat().st_size == 0:
        raise NatoCompareError(
            f"{path} is empty (zero bytes), not a database: "
            f"run 'nato-compare ingest SOURCES --db {path}' first"
        )
    with database_errors(path):
        db = connect(path, timeout=timeout)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = set(db.table_names())
        except BaseException:
            db.close()
            raise
    if version > SCHEMA_VERSION:
        db.close()
        raise NatoCompareError(
            f"{path} has schema version {version}, newer than this nato-compare "
            f"understands ({SCHEMA_VERSION}); upgrade nato-compare"
        )
    if version == 0 and tables - {"_sqlite_migrations"}:
        db.close()
        raise NatoCompareError(f"{path} is a SQLite database but not a nato-compare one")
    if version < SCHEMA_VERSION:
        if not (create if migrate is None else migrate):
            db.close()
            raise NatoCompareError(
                f"{path} has schema version {version}; open it with a writing command to migrate"
            )
        try:
            with database_errors(path):
                _migrate(db)
        except BaseException:
            db.close()
            raise
    return db


def _migrate(db: sqlite_utils.Database) -> None:
    db.enable_wal()
    with db.atomic():  # two programs creating one database: the second waits, then finds it done
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def get_setting(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(
    db: sqlite_utils.Database, key: str, value: str, *, timeout: float | None = None
) -> None:
    """Store a setting; ``timeout`` as in :func:`write_transaction`."""
    with write_transaction(db, timeout=timeout):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
