"""Writing and reading articles and passages.

Re-ingesting an edited source keeps annotations attached: passage ids derive
from content, so unchanged passages keep their ids (their offsets and order are
updated); passages the new version no longer has are *not* deleted but get
``superseded_at`` set, and their annotations stay in the database and in
exports. A passage that comes back in a later version is revived.
"""

from __future__ import annotations

from typing import Any

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, UTC

import sqlite_utils

from ..model import Article, Passage


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(article: Article) -> str:
    meta = "\x1f".join(
        str(v or "") for v in (article.outlet, article.title, article.date, article.url)
    )
    if article.story:  # articles ingested before stories existed keep their hash
        meta += f"\x1f{article.story}"
    return hashlib.sha1(f"{meta}\x1e{article.cleaned_text}".encode()).hexdigest()


@dataclass
class IngestSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    passages_added: int = 0
    passages_superseded: int = 0
    #: article id → the terminal control characters its text holds, by name (kept as they
    #: are in the database; the interface shows them as symbols, see nato_compare.safe_text)
    control_characters: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)


def write_article(db: sqlite_utils.Database, article: Article, summary: IngestSummary) -> None:
    """Insert or update one article and its passages (caller holds the transaction)."""
    digest = content_hash(article)
    existing = db.execute("SELECT content_hash FROM articles WHERE id = ?", [article.id]).fetchone()
    if existing and existing[0] == digest:
        summary.unchanged.append(article.id)
        return
    stamp = now()
    row = {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "date": article.date,
        "url": article.url,
        "story": article.story,
        "content_hash": digest,
        "cleaned_text": article.cleaned_text,
        "removed_lines": len(article.removed_lines),
        "updated_at": stamp,
    }
    if existing:
        db.table("articles").update(article.id, row)
        summary.updated.append(article.id)
    else:
        db.table("articles").insert({**row, "ingested_at": stamp})
        summary.added.append(article.id)

    old_ids = {
        r[0] for r in db.execute("SELECT id FROM passages WHERE article_id = ?", [article.id])
    }
    new_ids = {p.id for p in article.passages}
    fresh = []
    for passage in article.passages:
        values = {
            "article_id": article.id,
            "seq": passage.seq,
            "start": passage.start,
            "end": passage.end,
            "text": passage.text,
            "superseded_at": None,
        }
        if passage.id in old_ids:
            db.table("passages").update(passage.id, values)
        else:
            fresh.append({"id": passage.id, **values, "created_at": stamp})
    db.table("passages").insert_all(fresh)
    summary.passages_added += len(fresh)
    gone = old_ids - new_ids
    if gone:
        marks = ",".join("?" * len(gone))
        cursor = db.execute(
            f"UPDATE passages SET superseded_at = ? WHERE superseded_at IS NULL AND id IN ({marks})",
            [stamp, *sorted(gone)],
        )
        summary.passages_superseded += cursor.rowcount


def write_articles(
    db: sqlite_utils.Database,
    articles: list[Article],
    progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Write all articles in one transaction: all of them land, or none.

    ``progress(done, total)`` is called after each article.
    """
    summary = IngestSummary()
    with db.atomic():
        for done, article in enumerate(articles, 1):
            write_article(db, article, summary)
            if progress:
                progress(done, len(articles))
    return summary


def current_passages(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Live (not superseded) passages with their article's outlet, in reading order."""
    return list(
        db.query(
            """
            SELECT p.id, p.article_id, p.seq, p.start, p."end", p.text,
                   a.outlet, a.title, a.date, a.story
            FROM passages p JOIN articles a ON a.id = p.article_id
            WHERE p.superseded_at IS NULL
            ORDER BY p.article_id, p.seq
            """
        )
    )


def passages_signature(rows: Iterable[dict[str, Any]] | Iterable[tuple[str, str]]) -> str:
    """A digest of which passages are live and their outlets: what an alignment depends on.

    Passage ids derive from their text, so an edited passage is another id."""
    pairs = sorted((r["id"], r["outlet"]) if isinstance(r, dict) else tuple(r) for r in rows)
    digest = hashlib.sha1()
    for passage_id, outlet in pairs:
        digest.update(f"{passage_id}\x1f{outlet}\x1e".encode())
    return digest.hexdigest()


def current_passages_signature(db: sqlite_utils.Database) -> str:
    """:func:`passages_signature` of the live passages as stored now."""
    return passages_signature(
        db.execute(
            "SELECT p.id, a.outlet FROM passages p JOIN articles a ON a.id = p.article_id "
            "WHERE p.superseded_at IS NULL"
        )
    )


def to_passage(row: dict[str, Any]) -> Passage:
    return Passage(row["id"], row["article_id"], row["seq"], row["start"], row["end"], row["text"])


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    def q(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0])

    return {
        "articles": q("SELECT count(*) FROM articles"),
        "passages": q("SELECT count(*) FROM passages WHERE superseded_at IS NULL"),
        "superseded": q("SELECT count(*) FROM passages WHERE superseded_at IS NOT NULL"),
        "outlets": q("SELECT count(DISTINCT outlet) FROM articles"),
    }
