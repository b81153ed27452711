"""High-level operations shared by the CLI and the TUI (sources → DB → …)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .errors import NatoCompareError
from .ingest import read_sources
from .store import open_db
from .store.articles import IngestSummary, write_articles
from .safe_text import control_characters
from .store.failures import database_errors


def ingest_sources(
    paths: list[Path],
    db_path: str | Path,
    progress: Callable[[int, int], None] | None = None,
) -> IngestSummary:
    """Read, clean and segment ``paths`` and write them to ``db_path`` in one transaction.

    Every source is read and checked before the database is touched, so a bad
    file leaves the database as it was. ``progress(done, total)`` reports the
    articles written. Text is stored as it came; the terminal control characters it holds
    are listed in ``summary.control_characters`` (the interface shows them as symbols).
    """
    articles = list(read_sources([Path(p) for p in paths]))
    duplicates = sorted(i for i, n in Counter(a.id for a in articles).items() if n > 1)
    if duplicates:
        raise NatoCompareError(f"two sources give the same article id: {', '.join(duplicates[:5])}")
    db = open_db(db_path)
    try:
        with database_errors(db_path):
            summary = write_articles(db, articles, progress)
    finally:
        db.close()
    for article in articles:
        found = control_characters(
            "\n".join(str(v or "") for v in (article.outlet, article.title, article.cleaned_text))
        )
        if found:
            summary.control_characters[article.id] = dict(found)
    return summary
