"""The ``nato-compare`` command line: thin click commands over the library.

Each command opens the database, makes one library call and turns a
:class:`~nato_compare.errors.NatoCompareError` into one line on stderr with
exit status 1 (usage errors exit 2, as click does). Data goes to stdout,
messages to stderr.
"""

from __future__ import annotations

import click

from .agreement_cmd import agreement_command, report
from .align_cmd import align
from .codebook_cmd import codebook
from .common import DEFAULT_DB
from .export_cmd import export, import_
from .ingest_cmd import ingest
from .tui_cmd import tui
from .merge_cmd import merge


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nato-compare")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Compare how outlets cover the same events, and annotate framing and stance.

    \b
    Typical session:
      nato-compare ingest sources/            # clean and store the articles
      nato-compare align --output pairs.csv   # find the same events across outlets
      nato-compare tui --annotator alice      # annotate, one event at a time

    Run without a command to open the annotation interface on annotations.db.
    """
    if ctx.invoked_subcommand is None:
        tui_command = main.get_command(ctx, "tui")
        if tui_command is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(tui_command, db=DEFAULT_DB)


main.add_command(ingest)
main.add_command(align)
main.add_command(codebook)
main.add_command(tui)
main.add_command(export)
main.add_command(import_)
main.add_command(merge)
main.add_command(agreement_command)
main.add_command(report)
