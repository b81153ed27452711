"""Small store helpers for the export/import/merge/agreement tests.

They write rows straight into the tables (the annotation interface's store
module is not needed to create test annotations).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import sqlite_utils

from nato_compare.store import open_db

STAMP = "2026-01-02T03:04:05+00:00"

#: Texts that trip up CSV writers, readers and spreadsheets.
AWKWARD_TEXTS = [
    'He said "no", then left.',
    "Line one\nline two, with a comma",
    "=SUM(A1:A9) is not a formula here",
    "- a passage that begins with a dash",
    "+7 per cent",
    "@everyone reads this",
    "'quoted' at the start",
    "''=double apostrophe then equals",
    "\ttab first",
    "НАТО обсуждает помощь Украине, «срочно».",
    "北约秘书长表示，将继续支持乌克兰。",
    "Windows line\r\nend inside",
    "   leading spaces and trailing   ",
    "separators\u2028inside\x85a cell",
]


def awkward_db(path: Path) -> Path:
    """A database with one article per outlet and one passage per awkward text.

    Built row by row so that the same call gives the same ids (the same sources).
    """
    db = open_db(path)
    outlets = ["CGTN", "Вести, «Москва»", "unknown", "unknown"]
    with db.atomic():
        for a, outlet in enumerate(outlets):
            article_id = f"article-{a}"
            db["articles"].insert(
                {
                    "id": article_id,
                    "source": f"{article_id}.txt",
                    "outlet": outlet,
                    "title": f'Title {a}, with "quotes"',
                    "date": "2024-06-21",
                    "url": None,
                    "content_hash": f"h{a}",
                    "cleaned_text": "x",
                    "removed_lines": 0,
                    "ingested_at": STAMP,
                    "updated_at": STAMP,
                }
            )
            for seq, text in enumerate(AWKWARD_TEXTS):
                if seq % len(outlets) != a:
                    continue
                db["passages"].insert(
                    {
                        "id": f"p-{a}-{seq:02d}",
                        "article_id": article_id,
                        "seq": seq,
                        "start": 0,
                        "end": len(text),
                        "text": text,
                        "created_at": STAMP,
                        "superseded_at": None,
                    }
                )
    db.close()
    return path


def passage_ids(path: Path) -> list[str]:
    db = sqlite_utils.Database(path)
    try:
        return [r[0] for r in db.execute("SELECT id FROM passages ORDER BY article_id, seq")]
    finally:
        db.close()


def annotate(path: Path, rows: list[tuple]) -> list[str]:
    """Insert ``(annotator, passage_id, dimension, label[, note])`` rows; return their ids."""
    db = sqlite_utils.Database(path)
    ids = []
    try:
        with db.atomic():
            for row in rows:
                annotator, passage, dimension, label, *rest = row
                ids.append(uuid.uuid4().hex)
                db["annotations"].insert(
                    {
                        "id": ids[-1],
                        "annotator": annotator,
                        "passage_id": passage,
                        "dimension": dimension,
                        "label": label,
                        "note": rest[0] if rest else "",
                        "created_at": STAMP,
                    }
                )
    finally:
        db.close()
    return ids


def add_events(path: Path, events: dict[str, list[tuple[str, float]]]) -> None:
    """Insert one alignment run with ``events`` (event id → [(passage id, score)])."""
    db = sqlite_utils.Database(path)
    try:
        with db.atomic():
            db["align_runs"].insert({"id": 1, "started_at": STAMP, "params": "{}"})
            for seq, (event_id, members) in enumerate(events.items()):
                db["events"].insert(
                    {
                        "id": event_id,
                        "run_id": 1,
                        "seq": seq,
                        "label": f"event {seq}",
                        "passages": len(members),
                        "outlets": 0,
                    }
                )
                for passage, score in members:
                    db["event_passages"].insert(
                        {"event_id": event_id, "passage_id": passage, "score": score}
                    )
    finally:
        db.close()


def annotation_rows(path: Path) -> list[tuple]:
    db = sqlite_utils.Database(path)
    try:
        return db.execute(
            "SELECT id, annotator, passage_id, dimension, label, note, created_at "
            "FROM annotations ORDER BY id"
        ).fetchall()
    finally:
        db.close()


def set_schema_version(path: Path, version: int) -> None:
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA user_version = {version}")
    db.close()
