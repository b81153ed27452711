"""``agreement`` and ``report``: inter-coder agreement and per-outlet label distributions."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

import click

from ..agreement import FEW_UNITS
from ..agreement import agreement as compute
from ..codebook import load_codebook
from ..csv_safe import write_csv
from ..output_files import check_output
from ..report import distribution, open_disagreements, terminal_chart, write_image
from .codebook_cmd import codebook_option
from .common import db_option, format_option, reports_errors

_AGREEMENT_COLUMNS = (
    "dimension",
    "label",
    "outlet",
    "measure",
    "coders",
    "units",
    "pairable",
    "value",
    "reason",
    "warning",
)


def _text_table(rows: list[list[str]], header: list[str]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


@click.command(name="agreement")
@db_option
@click.option("--dimension", help="Only this dimension (e.g. frame or stance).")
@format_option("text", "csv", "jsonl", default="text")
@codebook_option("that says which dimensions are multi-label, and the order of their labels")
@reports_errors
def agreement_command(db: str, dimension: str | None, fmt: str, codebook_path: str | None) -> None:
    """Inter-coder agreement: Krippendorff's alpha (nominal) and pairwise Cohen's kappa.

    Per dimension, over all outlets ('all') and per outlet. Units are the
    passages coded by at least one annotator for the dimension; a passage an
    annotator did not code is a missing code. For a multi-label dimension
    (frame) every label gets its own figures as present/absent, and label '*'
    pools all passage x label decisions into one overall figure. 'units' is
    what the figure covers, 'pairable' the units coded by two or more coders;
    a value is empty when undefined ('reason' says why); 'warning' flags a
    figure resting on fewer than 10 pairable units. The figures are of the
    coders' own labels, before adjudication ('nato-compare adjudicate').
    Which dimensions are multi-label comes from the codebook (--codebook, as
    used to annotate).

    \b
    Example:
      nato-compare agreement --db annotations.db --dimension stance
      nato-compare agreement --codebook my-codebook.toml
    """
    book = load_codebook(codebook_path) if codebook_path else None
    figures = compute(db, dimension, book)
    records = [
        {
            **asdict(f),
            "coders": " ".join(f.coders) if f.measure == "alpha" else "~".join(f.coders),
            "warning": f.warning,
        }
        for f in figures
    ]
    few = sum(1 for f in figures if f.warning)
    click.echo("Agreement of the coders' own labels (before adjudication).", err=True)
    if few:
        click.echo(
            f"warning: {few} of {len(figures)} figures rest on fewer than {FEW_UNITS} units "
            "(see the warning column); read them as anecdotes, not estimates",
            err=True,
        )
    if fmt == "jsonl":
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    if fmt == "csv":
        write_csv(records, sys.stdout, _AGREEMENT_COLUMNS)
        return
    rows = [
        [
            r["dimension"],
            r["label"],
            r["outlet"],
            r["measure"],
            r["coders"],
            str(r["units"]),
            str(r["pairable"]),
            "n/a" if r["value"] is None else f"{r['value']:.3f}",
            r["reason"],
            "! fewer than 10 units" if r["warning"] else "",
        ]
        for r in records
    ]
    click.echo(_text_table(rows, list(_AGREEMENT_COLUMNS)))


def labels_option(func):
    """``--labels adjudicated|all|NAME``: whose labels a command counts or writes."""
    return click.option(
        "--labels",
        "labels",
        default="all",
        show_default=True,
        metavar="adjudicated|all|NAME",
        help="Whose labels: 'all' (every coder, each on their own rows), 'adjudicated' (the "
        "final labels: decisions and agreed labels) or one annotator's name.",
    )(func)


@click.command()
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the chart as a PNG image to this file.",
)
@labels_option
@click.option("--annotator", help="Only this annotator's labels (the same as --labels NAME).")
@format_option("text", "csv", "jsonl", default="text", note="text adds a terminal chart.")
@click.option("--no-chart", is_flag=True, help="Text format without the terminal chart.")
@reports_errors
def report(
    db: str,
    output: Path | None,
    labels: str,
    annotator: str | None,
    fmt: str,
    no_chart: bool,
) -> None:
    """Per-outlet distribution of frames and stance: a table, a terminal chart, a PNG.

    Each row counts the labels one coder (or the adjudicated labels) gave one
    outlet's passages in one dimension: 'count' of this label, 'share' its
    part of the 'n' labels of that outlet, coder and dimension (shares add up
    to 1 per bar), 'passages' the passages those labels were given to.
    Coders are never summed: with --labels all each coder has their own rows
    and bars; --labels adjudicated counts the final labels (see 'nato-compare
    adjudicate'; undecided disagreements are left out and counted). Outlets
    recorded as 'unknown' are listed per article, with their full names.

    \b
    Example:
      nato-compare report --db annotations.db --output report.png
      nato-compare report --labels adjudicated --output gold.png
      nato-compare report --labels alice --no-chart
    """
    if output is not None and str(output) == "-":
        raise click.BadParameter(
            "the chart is a PNG file: give it a file name", param_hint="--output"
        )
    if output is not None:
        check_output(output, databases=[Path(db)])
    source = annotator or labels
    table = distribution(db, labels=source)
    if source == "adjudicated":
        left_out = open_disagreements(db)
        if left_out:
            click.echo(
                f"warning: {left_out} undecided disagreements are left out of the adjudicated "
                "labels (decide them with 'nato-compare adjudicate')",
                err=True,
            )
    if fmt == "jsonl":
        for row in table:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        write_csv(({**r, "share": f"{r['share']:.4f}"} for r in table), sys.stdout, table[0])
    else:
        click.echo(
            _text_table(
                [
                    [
                        r["labels"],
                        r["dimension"],
                        r["outlet"],
                        r["label"],
                        str(r["count"]),
                        f"{r['share']:.1%}",
                        str(r["n"]),
                        str(r["passages"]),
                    ]
                    for r in table
                ],
                ["labels", "dimension", "outlet", "label", "count", "share", "n", "passages"],
            )
        )
        if not no_chart:
            width = max(60, min(120, shutil.get_terminal_size((100, 24)).columns))
            click.echo("\n" + terminal_chart(table, width=width), nl=False)
    if output is not None:
        write_image(table, output)
        click.echo(f"chart written -> {output}", err=True)
