"""``merge``: bring other annotators' databases (same sources) into one."""

from __future__ import annotations

from pathlib import Path

import click

from ..export import merge_databases
from .common import db_option, exchange_summary, reports_errors, warn_rows


@click.command()
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@reports_errors
def merge(others: tuple[Path, ...], db: str) -> None:
    """Copy the annotations, event notes and alignment judgements of OTHERS into the database.

    OTHERS are nato-compare databases built from the same sources (so the same
    passages have the same ids). Merging is idempotent: merging twice adds
    nothing the second time. Two annotators' different labels for the same
    passage are both kept. Two versions of one annotator's decision (an edited
    note, a changed stance) resolve to the later one (created_at); with the
    same time, the stored one is kept and the other reported as a conflict.
    Annotations on passages this database lacks are reported, not copied:
    ingest the same sources, then merge again. OTHERS are only read; all
    of them are merged in one transaction.

    \b
    Example:
      nato-compare merge alice.db bob.db --db team.db
    """
    merged = merge_databases(list(others), db)
    for other, result in merged.per_database.items():
        warn_rows(
            [r for r, _ in result.conflicts],
            "conflicts with a stored annotation, not copied",
            lambda r: f"{r['annotator']} {r['dimension']}={r['label']!r} on {r['passage_id']}",
            reasons=[why for _, why in result.conflicts],
        )
        for note, why in result.note_conflicts:
            click.echo(
                f"warning: {other}: event note of {note['annotator']} on {note['event_id']} "
                f"not copied ({why})",
                err=True,
            )
        click.echo(
            f"{other}: {result.inserted} annotations copied, {exchange_summary(result)}; "
            f"{result.notes_inserted} event notes copied, {result.notes_present} already present, "
            f"{result.notes_replaced} replaced by a later version",
            err=True,
        )
        links = merged.judgements.get(other)
        if links is not None and any(
            (links.inserted, links.already_present, links.replaced, links.outdated, links.unknown)
        ):
            click.echo(
                f"{other}: {links.inserted} judgements copied, {links.already_present} already "
                f"present, {links.replaced} replaced by a later verdict, {links.unknown} on "
                "unknown passages",
                err=True,
            )
    for article, count in sorted(merged.missing_articles.items(), key=lambda kv: str(kv[0])):
        click.echo(
            f"warning: {count} annotation(s) on passages of article {article} that {db} "
            f"lacks: ingest the same sources and merge again",
            err=True,
        )
