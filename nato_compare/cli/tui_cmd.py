from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click


def import_sqlite_utils_without_dataframe_types() -> None:
    """Import sqlite-utils with pandas and NumPy hidden from it, if neither is loaded yet.

    sqlite-utils imports both whenever they are installed, only to add their scalar types to
    the column types it infers when it creates a table from Python values. The interface
    writes plain Python values into tables that exist, and the two imports cost ~0.45 s of a
    ~1.4 s start (pandas comes with the test extras). Anything imported later sees them as
    usual: they are hidden only while sqlite-utils is imported.
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        importlib.import_module("sqlite_utils")
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


# Before the store (and so sqlite-utils) is imported: this module runs `nato-compare tui`.
import_sqlite_utils_without_dataframe_types()

from ..store import open_db  # noqa: E402
from .codebook_cmd import codebook_option  # noqa: E402
from .common import db_option, reports_errors  # noqa: E402


@click.command()
@db_option
@click.option(
    "--annotator",
    metavar="NAME",
    help="Who is annotating (default: the last annotator of this database; asked if none).",
)
@codebook_option("with the dimensions, labels and keys to annotate with")
@click.option(
    "--adjudicator",
    is_flag=True,
    help="Open as adjudicator: every annotator's labels can be shown on any passage (no blind "
    "coding). Recorded in the database's role_log.",
)
@reports_errors
def tui(db: str, annotator: str | None, codebook_path: str | None, adjudicator: bool) -> None:
    """Open the annotation interface: one event at a time, the outlets side by side.

    Frames and stance are set on the focused passage by single keys (shown
    at the bottom; ? lists every key). Every key press is saved at once in
    the database; u undoes and r redoes, also after a restart. The database
    must have been filled by 'nato-compare ingest' and 'nato-compare align'.
    Coding is blind: the other annotators' labels (a) show on a passage only
    once you have coded it completely, unless you open as --adjudicator.

    \b
    Example:
      nato-compare tui --db annotations.db --annotator alice
      nato-compare tui --codebook my-codebook.toml
    """
    path = Path(db)
    if annotator is not None and not annotator.strip():
        raise click.BadParameter("must not be empty", param_hint="--annotator")
    # refuses a missing file or one that is not a nato-compare database, migrates an old one
    open_db(path, create=False, migrate=True).close()
    from ..tui.app import make_app  # Textual is imported only when the interface opens

    app = make_app(path, annotator, codebook_path, adjudicator=adjudicator)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)
