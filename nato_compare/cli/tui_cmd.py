from __future__ import annotations

from pathlib import Path

import click

from ..errors import NatoCompareError
from ..store import open_db
from .codebook_cmd import codebook_option
from .common import db_option, reports_errors


@click.command()
@db_option
@click.option("--annotator", metavar="NAME",
              help="Who is annotating (default: the last annotator of this database; asked if none).")
@codebook_option("with the dimensions, labels and keys to annotate with")
@reports_errors
def tui(db: str, annotator: str | None, codebook_path: str | None) -> None:
    """Open the annotation interface: one event at a time, the outlets side by side.

    Frames and stance are set on the focused passage by single keys (shown
    at the bottom; ? lists every key). Every key press is saved at once in
    the database; u undoes and r redoes, also after a restart. The database
    must have been filled by 'nato-compare ingest' and 'nato-compare align'.

    \b
    Example:
      nato-compare tui --db annotations.db --annotator alice
      nato-compare tui --codebook my-codebook.toml
    """
    path = Path(db)
    if not path.exists():
        raise NatoCompareError(f"database not found: {path} (run 'nato-compare ingest' first)")
    if annotator is not None and not annotator.strip():
        raise click.BadParameter("must not be empty", param_hint="--annotator")
    open_db(path).close()  # refuses a file that is not a nato-compare database, migrates an old one
    from ..tui.app import make_app  # Textual is imported only when the interface opens

    app = make_app(path, annotator, codebook_path)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)
