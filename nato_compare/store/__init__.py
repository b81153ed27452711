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
- ``event_passages``  membership of a passage in an event, with the score that put it there
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
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from ..errors import NatoCompareError

DEFAULT_DB = "annotations.db"
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


SCHEMA_VERSION = len(migrations._migrations)


def open_db(path: str | Path = DEFAULT_DB, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and, with ``create``, create or migrate) a nato-compare database.

    WAL journal mode and foreign keys are switched on. Raises
    :class:`NatoCompareError` when the file is not a nato-compare database or
    was written by a newer version.
    """
    path = Path(path)
    if not create and not path.exists():
        raise NatoCompareError(f"database not found: {path} (run 'nato-compare ingest' first)")
    if path.exists() and path.is_dir():
        raise NatoCompareError(f"database path is a directory: {path}")
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA foreign_keys = ON")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = set(db.table_names())
    except sqlite3.DatabaseError as exc:
        raise NatoCompareError(f"not a SQLite database: {path} ({exc})") from None
    if version > SCHEMA_VERSION:
        raise NatoCompareError(
            f"{path} has schema version {version}, newer than this nato-compare "
            f"understands ({SCHEMA_VERSION}); upgrade nato-compare"
        )
    if version == 0 and tables - {"_sqlite_migrations"}:
        raise NatoCompareError(f"{path} is a SQLite database but not a nato-compare one")
    if version < SCHEMA_VERSION:
        if not create:
            raise NatoCompareError(
                f"{path} has schema version {version}; open it with a writing command to migrate"
            )
        _migrate(db, path)
    return db


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    try:
        db.enable_wal()
        migrations.apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.OperationalError as exc:
        raise NatoCompareError(f"cannot write database {path}: {exc}") from None


def get_setting(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
