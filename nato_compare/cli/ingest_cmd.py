from __future__ import annotations

from pathlib import Path

import click

from ..pipeline import ingest_sources
from ..safe_text import terminal_safe
from .common import db_option, reports_errors, stderr_progress


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@db_option
@reports_errors
def ingest(sources: tuple[Path, ...], db: str) -> None:
    """Clean article files and store them as passages in the database.

    SOURCES are files or folders (default: sources/). Accepted: .txt, .md and
    .html articles (one per file; a manifest.csv beside them gives outlet,
    title, date and url), and .jsonl or .csv corpora with one article per row
    (fields id, outlet, title, date, url, text).

    Ingesting is idempotent: unchanged articles are left alone; an edited
    source updates its article, and passages it no longer has are marked
    superseded, never deleted, so annotations stay attached. One run is one
    transaction: on any error nothing is written.

    \b
    Example:
      nato-compare ingest sources/ --db annotations.db
    """
    paths = list(sources) or [Path("sources")]
    with stderr_progress("Writing articles") as progress:
        summary = ingest_sources(paths, db, progress)
    for article_id, found in summary.control_characters.items():
        names = ", ".join(f"{name} x{count}" for name, count in sorted(found.items()))
        click.echo(
            f"warning: {terminal_safe(article_id)} holds terminal control characters ({names}): "
            "stored as they are, shown as symbols",
            err=True,
        )
    click.echo(
        f"{summary.articles} articles: {len(summary.added)} added, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged; {summary.passages_added} passages added, "
        f"{summary.passages_superseded} superseded -> {db}",
        err=True,
    )
