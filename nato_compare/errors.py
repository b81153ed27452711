"""The one error type of nato-compare.

Library functions raise :class:`NatoCompareError` with a message meant for the
analyst (one line, no traceback). The CLI turns it into ``click.ClickException``
and the TUI into an error notification.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class NatoCompareError(Exception):
    """A problem the user can fix: bad input, a missing file, a wrong database."""


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import a dependency that only some work needs (installed by an extra of the package),
    or stop with one line saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.partition(".")[0]
        raise NatoCompareError(
            f"{purpose} needs {package}, which is not installed: "
            f"pip install 'nato-compare[{extra}]'"
        ) from None
