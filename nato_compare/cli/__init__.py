"""The ``nato-compare`` command line: thin click commands over the library.

Each command opens the database, makes one library call and turns a
:class:`~nato_compare.errors.NatoCompareError` into one line on stderr with
exit status 1 (usage errors exit 2, as click does). Data goes to stdout,
messages to stderr.
"""

from __future__ import annotations

import importlib

import click

# Command name -> "module:object" under nato_compare.cli. A command's module (and what it
# imports: NumPy, RapidFuzz, krippendorff, sqlite-utils...) is imported only when that command
# runs or is listed (``nato-compare --help``), so opening the annotation interface does not
# pay for the others. Add a new command here (or with ``main.add_command``: both are listed).
LAZY_COMMANDS = {
    "adjudicate": "adjudicate_cmd:adjudicate",
    "agreement": "agreement_cmd:agreement_command",
    "align": "align_cmd:align",
    "codebook": "codebook_cmd:codebook",
    "export": "export_cmd:export",
    "import": "export_cmd:import_",
    "ingest": "ingest_cmd:ingest",
    "merge": "merge_cmd:merge",
    "report": "agreement_cmd:report",
    "stories": "stories_cmd:stories",
    "tui": "tui_cmd:tui",
}


class OneLineUsageError(click.ClickException):
    """A usage error (bad option, value or command) told in one line, with where the help is,
    instead of click's usage block; exit status 2 as click gives."""

    exit_code = 2

    def __init__(self, error: click.UsageError, ctx: click.Context | None = None) -> None:
        ctx = error.ctx or ctx
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        super().__init__(error.format_message().rstrip(".") + where)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on demand (click's "lazily loading subcommands"),
    and whose usage errors, its own and its commands', are one line each."""

    def make_context(self, *args, **kwargs) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as error:
            raise OneLineUsageError(error) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise OneLineUsageError(error, ctx) from None

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = self.lazy_commands[cmd_name].split(":")
        command = getattr(importlib.import_module(f"{__name__}.{module_name}"), attribute)
        if not isinstance(command, click.Command) or command.name != cmd_name:
            raise RuntimeError(f"{self.lazy_commands[cmd_name]} is not the {cmd_name!r} command")
        return command


@click.group(
    cls=LazyGroup,
    lazy_commands=LAZY_COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
        from .common import DEFAULT_DB

        ctx.invoke(tui_command, db=DEFAULT_DB)
