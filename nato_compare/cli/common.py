"""Option sets and error handling shared by the commands."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import click

from ..errors import NatoCompareError
from ..store import DEFAULT_DB

__all__ = ["DEFAULT_DB", "db_option", "reports_errors"]


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH``: the same option, default and help on every command."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default=DEFAULT_DB,
        show_default=True,
        help="SQLite database file to use.",
    )(func)


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr (exit 1) and warnings into 'warning:' lines."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return func(*args, **kwargs)
            except NatoCompareError as exc:
                raise click.ClickException(str(exc)) from None
            finally:
                for warning in caught:
                    click.echo(f"warning: {warning.message}", err=True)

    return wrapper
