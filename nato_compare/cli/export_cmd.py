"""``export`` and ``import``: annotations as CSV/JSONL, and the events × outlets coverage."""

from __future__ import annotations

from pathlib import Path

import click

from ..codebook import load_codebook
from ..export import FORMATS, export_annotations, export_coverage, import_annotations
from .codebook_cmd import codebook_option
from .common import db_option, exchange_summary, format_option, reports_errors, warn_rows


@click.command()
@db_option
@format_option(*FORMATS, default="csv")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="File to write (default or '-': stdout). Written to a temp file, then renamed.",
)
@click.option("--annotator", help="Only this annotator's annotations (as --labels NAME).")
@click.option(
    "--labels",
    default="all",
    show_default=True,
    metavar="adjudicated|all|NAME",
    help="Whose labels: 'all' (one row per annotation of every coder, with the unit's "
    "adjudicated labels in a column), 'adjudicated' (one row per final label: decision or "
    "agreement, with basis, adjudicator and reason) or one annotator's name.",
)
@click.option("--outlet", help="Only annotations on this outlet's articles.")
@click.option(
    "--excel", is_flag=True, help="CSV for Excel: UTF-8 with a byte-order mark and CRLF line ends."
)
@click.option(
    "--events",
    is_flag=True,
    help="Export events x outlets instead: one row per event, one column per outlet "
    "holding its number of passages in the event (0 = none), and whether an analyst reviewed "
    "it: its 0s listed as not_reported (reviewed) or not_aligned (not reviewed).",
)
@click.option(
    "--event-notes",
    is_flag=True,
    help="Export the annotators' event notes instead: event_id, event_seq, event_label, "
    "annotator, note, updated_at.",
)
@click.option(
    "--links",
    is_flag=True,
    help="Export the analysts' link judgements instead: passage_a, passage_b, verdict "
    "(same/different), annotator, created_at, score (the pair's score when judged).",
)
@reports_errors
def export(
    db: str,
    fmt: str,
    output: Path | None,
    annotator: str | None,
    outlet: str | None,
    excel: bool,
    events: bool,
    event_notes: bool,
    links: bool,
    labels: str,
) -> None:
    """Write annotations as CSV or JSONL, one row per annotation.

    Columns: annotation_id, annotator, created_at, dimension, label, note,
    passage_id, passage_text, article_id, outlet, title, date, event_id,
    alignment_score, adjudicated (the unit's final labels once decided with
    'nato-compare adjudicate'). --labels adjudicated writes the final labels
    instead, --event-notes the event notes. In CSV, a cell beginning with = + - @ (or tab, CR) gets a
    leading ' against spreadsheet formula injection, and so does a cell that
    really begins with ' : 'import' removes exactly one leading '.

    \b
    Example:
      nato-compare export --db annotations.db --output annotations.csv
      nato-compare export --annotator alice --format jsonl > alice.jsonl
      nato-compare export --labels adjudicated --output gold.csv
      nato-compare export --event-notes --output event-notes.csv
      nato-compare export --events --output coverage.csv
      nato-compare export --links --output judgements.csv
    """
    if output is not None and str(output) == "-":
        output = None
    if labels not in ("all", "adjudicated"):
        if annotator and annotator != labels:
            raise click.UsageError("give the annotator once: --labels NAME or --annotator NAME")
        annotator = labels
    if event_notes and (events or links):
        raise click.UsageError("--event-notes takes no --events or --links")
    if (events or links or event_notes) and labels == "adjudicated":
        raise click.UsageError("--labels adjudicated applies to annotations only")
    if event_notes:
        if outlet:
            raise click.UsageError("--event-notes takes no --outlet")
        from ..labels_export import export_event_notes

        count = export_event_notes(db, output, fmt=fmt, annotator=annotator, excel=excel)
        click.echo(f"{count} event notes exported" + (f" -> {output}" if output else ""), err=True)
        return
    if labels == "adjudicated":
        if annotator:
            raise click.UsageError("--labels adjudicated takes no --annotator")
        from ..labels_export import export_adjudicated

        count, left_out = export_adjudicated(db, output, fmt=fmt, outlet=outlet, excel=excel)
        click.echo(
            f"{count} adjudicated labels exported" + (f" -> {output}" if output else ""),
            err=True,
        )
        if left_out:
            click.echo(
                f"warning: {left_out} undecided disagreements left out "
                "(decide them with 'nato-compare adjudicate')",
                err=True,
            )
        return
    if links:
        if events or outlet:
            raise click.UsageError("--links takes no --events or --outlet")
        from ..link_export import export_links

        count = export_links(db, output, fmt=fmt, annotator=annotator, excel=excel)
        click.echo(
            f"{count} link judgements exported" + (f" -> {output}" if output else ""), err=True
        )
        return
    if events:
        if annotator or outlet:
            raise click.UsageError("--events takes no --annotator or --outlet")
        count = export_coverage(db, output, fmt=fmt, excel=excel)
        click.echo(f"{count} events exported" + (f" -> {output}" if output else ""), err=True)
        return
    count = export_annotations(db, output, fmt=fmt, annotator=annotator, outlet=outlet, excel=excel)
    click.echo(f"{count} annotations exported" + (f" -> {output}" if output else ""), err=True)


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@db_option
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse the whole file if any row matches no passage in the database.",
)
@click.option(
    "--accept-unknown-labels",
    is_flag=True,
    help="Import rows whose dimension or label the codebook lacks (with a warning) instead "
    "of refusing the file.",
)
@codebook_option("that says which dimensions and labels there are, and which hold one label")
@reports_errors
def import_(
    file: Path, db: str, strict: bool, accept_unknown_labels: bool, codebook_path: str | None
) -> None:
    """Read annotations, or link judgements, written by 'export' (CSV or JSONL).

    The database must hold the same sources (ingest them first): passages are
    matched by id. Importing is idempotent (an annotation already present, by
    id or by annotator + passage + dimension + label, is skipped). Rows whose
    passage is unknown, and rows that conflict with a stored annotation (two
    versions of one decision with the same time), are reported and not
    imported. When the file and the database hold two versions of one
    annotator's decision (an edited note, a changed stance), the later one
    (created_at) is kept; in a single-label dimension of the codebook (--codebook,
    as used to annotate) a decision is the passage's one label. One
    transaction: a malformed file writes nothing.

    A file of link judgements ('export --links': passage_a, passage_b, verdict,
    annotator, created_at, score) is recognised by its columns; a gold standard
    made elsewhere enters the same way. Per annotator and pair the later
    verdict wins; importing twice adds nothing.

    \b
    Example:
      nato-compare import bob.csv --db annotations.db
      nato-compare import judgements.csv --db annotations.db
      nato-compare import bob.csv --codebook my-codebook.toml
    """
    from ..link_export import import_links, looks_like_links

    if looks_like_links(file):
        links = import_links(file, db, strict=strict)
        click.echo(
            f"{links.inserted} link judgements imported, {links.already_present} already "
            f"present, {links.replaced} replaced by a later verdict, {links.outdated} older "
            f"than the stored one, {links.unknown} on unknown passages -> {db}",
            err=True,
        )
        return
    book = load_codebook(codebook_path) if codebook_path else None
    result = import_annotations(
        file, db, strict=strict, codebook=book, accept_unknown_labels=accept_unknown_labels
    )
    warn_rows(
        result.unknown,
        "matches no passage in the database (ingest the same sources first)",
        lambda r: f"passage {r['passage_id']}",
    )
    warn_rows(
        [r for r, _ in result.conflicts],
        "conflicts with a stored annotation, not imported",
        lambda r: f"{r['annotator']} {r['dimension']}={r['label']!r} on {r['passage_id']}",
        reasons=[why for _, why in result.conflicts],
    )
    click.echo(
        f"{result.inserted} annotations imported, {exchange_summary(result)} -> {db}", err=True
    )
