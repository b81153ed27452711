"""Option sets and error handling shared by the commands."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from ..errors import NatoCompareError
from ..store import DEFAULT_DB
from ..store.failures import explain

if TYPE_CHECKING:
    from rich.progress import Progress, ProgressColumn, TaskID

__all__ = [
    "DEFAULT_DB",
    "FORMATS",
    "db_option",
    "exchange_summary",
    "format_option",
    "reports_errors",
    "stderr_progress",
    "warn_rows",
]

#: The one ``--format`` vocabulary of every command, and what each name means.
FORMATS = {
    "text": "a table to read",
    "csv": "spreadsheets, pandas, R",
    "jsonl": "one JSON object per line, exact values",
}

_SHOWN = 10  # rows listed one by one in a warning before "... and N more"


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH``: the same option, default and help on every command."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default=DEFAULT_DB,
        show_default=True,
        help="SQLite database file to use.",
    )(func)


def format_option(
    *formats: str, default: str, note: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format``, with the names and meanings of :data:`FORMATS` (a command offers those it
    can write); ``note`` says more, e.g. what a format leaves out."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"not in the --format vocabulary: {', '.join(sorted(unknown))}")
    help_text = "; ".join(f"{name}: {FORMATS[name]}" for name in formats) + "."
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help=f"{help_text} {note}".strip(),
    )


def warn_rows(
    rows: list[dict[str, Any]],
    problem: str,
    describe: Callable[[dict[str, Any]], str],
    reasons: list[str] | None = None,
) -> None:
    """One 'warning:' line per annotation ``describe`` names (the first ten, then a count)."""
    for i, row in enumerate(rows[:_SHOWN]):
        why = f" ({reasons[i]})" if reasons else ""
        click.echo(f"warning: annotation {row['id']} ({describe(row)}) {problem}{why}", err=True)
    if len(rows) > _SHOWN:
        click.echo(f"warning: ... and {len(rows) - _SHOWN} more", err=True)


def exchange_summary(result: Any) -> str:
    """The counts of an import or merge (an ``InsertResult``), beyond the rows added."""
    return (
        f"{result.already_present} already present, {result.replaced} replaced by a later "
        f"version, {result.outdated} older than the stored one, {len(result.unknown)} on "
        f"unknown passages, {len(result.conflicts)} conflict(s)"
    )


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr (exit 1) and warnings into 'warning:' lines.

    A database or disk error the library did not explain (a full disk, a read-only file) is
    told in one line too, naming the command's ``--db``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return func(*args, **kwargs)
            except NatoCompareError as exc:
                raise click.ClickException(str(exc)) from None
            except (sqlite3.Error, OSError) as exc:
                explained = explain(exc, kwargs.get("db"))
                if explained is None:
                    raise
                raise click.ClickException(str(explained)) from None
            finally:
                for warning in caught:
                    click.echo(f"warning: {warning.message}", err=True)

    return wrapper


class StageProgress:
    """Progress of a long run, stage by stage, on a rich ``Progress`` display: a line for the
    whole run whose clock never stops, and a line per stage as it starts, named by the stage.
    A stage that counts (``total`` > 1) shows a bar and done/total; one that cannot count
    shows a spinner and a pulsing bar until it reports itself done. A finished stage keeps its
    line with a tick and the time it took, so the run's story stays on screen."""

    def __init__(self, progress: Progress, description: str) -> None:
        self.progress = progress
        self.run = progress.add_task(description, total=None, count="")
        self.stages: dict[str, TaskID] = {}

    def update(self, done: int, total: int, stage: str | None = None) -> None:
        if stage is None:  # a run of one stage: counted on the run's own line
            self.progress.update(self.run, count=f"{done:,}/{total:,}")
            return
        name = stage
        task = self.stages.get(name)
        if task is None:
            for earlier in self.stages.values():  # a new stage: the ones before are over
                if not self.progress.tasks[earlier].finished:
                    self.progress.update(earlier, total=1, completed=1, count="")
            task = self.stages[name] = self.progress.add_task(f"  {name}", total=None, count="")
        if total > 1:
            self.progress.update(task, total=total, completed=done, count=f"{done:,}/{total:,}")
        elif done >= total:
            self.progress.update(task, total=1, completed=1)


@contextlib.contextmanager
def stderr_progress(description: str) -> Iterator[Callable[..., None]]:
    """A :class:`StageProgress` on stderr; yields ``update(done, total, stage=None)``.

    Drawn only when stderr is a terminal, so logs and CI output stay clean.
    """
    # Imported here: `nato-compare tui` loads this module and needs no progress display.
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda done, total, stage=None: None
        return
    with Progress(*progress_columns(), console=console, transient=True) as progress:
        yield StageProgress(progress, description).update


def progress_columns() -> tuple[ProgressColumn, ...]:
    from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn

    return (
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
    )
