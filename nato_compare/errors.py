"""The one error type of nato-compare.

Library functions raise :class:`NatoCompareError` with a message meant for the
analyst (one line, no traceback). The CLI turns it into ``click.ClickException``
and the TUI into an error notification.
"""


class NatoCompareError(Exception):
    """A problem the user can fix: bad input, a missing file, a wrong database."""
