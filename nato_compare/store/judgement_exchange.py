"""Judgements leaving and entering the database: ``export --links``, ``import``, ``merge``.

By key (annotator, kind, passages, event) the annotator's later decision (``created_at``) wins,
the same decision is skipped, so importing or merging twice changes nothing; rows on passages
this database lacks are counted, not inserted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .exchange import _newer
from .judgements import _INSERT, FIELDS, _get, _key_of, _put, new_row


def link_rows(db: Database, annotator: str | None = None) -> list[dict[str, Any]]:
    """Link judgements for ``export --links``, in a stable order."""
    sql = (
        "SELECT passage_a, passage_b, verdict, annotator, created_at, score FROM judgements "
        "WHERE kind = 'link' {extra} ORDER BY passage_a, passage_b, annotator"
    )
    extra, params = ("AND annotator = ?", [annotator]) if annotator else ("", [])
    return list(db.query(sql.format(extra=extra), params))


def all_judgements(db: Database) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT {', '.join(FIELDS)} FROM judgements ORDER BY id"))


@dataclass
class JudgementsResult:
    inserted: int = 0
    already_present: int = 0
    replaced: int = 0
    outdated: int = 0
    unknown: int = 0  # rows naming a passage this database lacks


def insert_judgements(
    db: Database, rows: Iterable[dict[str, Any]], result: JudgementsResult | None = None
) -> JudgementsResult:
    """Bring judgement rows in (caller holds the transaction): by key, the annotator's later
    decision (``created_at``) wins; the same decision is skipped, so doing it twice changes
    nothing. Rows on passages this database lacks are counted, not inserted."""
    result = result or JudgementsResult()
    known = {r[0] for r in db.execute("SELECT id FROM passages")}
    for row in rows:
        row = {**new_row(row["annotator"], row["kind"], row["verdict"]), **row}
        if any(p and p not in known for p in (row["passage_a"], row["passage_b"])):
            result.unknown += 1
            continue
        stored = _get(db, _key_of(row))
        if stored is None:
            db.execute(_INSERT, [row[k] for k in FIELDS])
            result.inserted += 1
        elif (stored["verdict"], stored["note"]) == (row["verdict"], row["note"]):
            result.already_present += 1
        elif _newer(row["created_at"], stored["created_at"]):
            _put(db, [_key_of(row)], [row])
            result.replaced += 1
        else:
            result.outdated += 1
    return result
