from __future__ import annotations

import sys

import click

from ..codebook import load_codebook, validate_codebook
from .common import reports_errors


def codebook_option(purpose: str):
    """``--codebook FILE`` (the path; the command loads it, so a bad file is one error line)."""
    return click.option(
        "--codebook",
        "codebook_path",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help=f"Codebook TOML file {purpose} (default: Policy Frames + stance toward NATO military "
        "support to Ukraine). Check one with 'nato-compare codebook --validate FILE'.",
    )


@click.command()
@click.option(
    "--validate",
    "validate_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Check the codebook FILE and list every problem (exit 1 if there is any).",
)
@click.option(
    "--codebook",
    "codebook_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Codebook to print (default: the built-in Policy Frames and stance codebook).",
)
@reports_errors
def codebook(validate_path: str | None, codebook_path: str | None) -> None:
    """Print a codebook's dimensions, labels and keys, or check a codebook file.

    A codebook is a TOML file with a [codebook] table (name) and
    [[dimensions]] tables (name, title, multi, description, target), each
    with [[dimensions.labels]] (name, key, description). Keys are single
    characters, unique, and not one of the annotation interface's own keys.

    \b
    Example:
      nato-compare codebook                          # the default codebook
      nato-compare codebook --validate my-codebook.toml
      nato-compare tui --codebook my-codebook.toml
    """
    if validate_path is not None:
        problems = validate_codebook(validate_path)
        if problems:
            for problem in problems:
                click.echo(f"error: {problem}", err=True)
            click.echo(f"{validate_path}: {len(problems)} problem(s)", err=True)
            sys.exit(1)
        book = load_codebook(validate_path)
        labels = sum(len(d.labels) for d in book.dimensions)
        click.echo(
            f"{validate_path}: valid ({len(book.dimensions)} dimensions, {labels} labels)", err=True
        )
        return
    book = load_codebook(codebook_path)
    click.echo(f"# {book.name}  ({book.path})")
    for dim in book.dimensions:
        kind = "several labels" if dim.multi else "one label"
        target = f"; target: {dim.target}" if dim.target else ""
        click.echo(f"\n{dim.title} [{dim.name}] ({kind}{target})")
        if dim.description:
            click.echo(f"  {dim.description}")
        for label in dim.labels:
            click.echo(
                f"  {label.key}  {label.name}"
                + (f" — {label.description}" if label.description else "")
            )
