"""Every way the database can fail, told in one line: the one place sqlite3 and OS errors of
the store become a :class:`~nato_compare.errors.NatoCompareError`.

A transaction that fails is rolled back by SQLite, so each of these leaves the database as it
was; the message names the file and says what to do.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import NatoCompareError

# SQLite's primary result codes (the low byte of an extended code)
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_UNCHANGED = "nothing was changed"


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is "another program is writing" (SQLITE_BUSY or SQLITE_LOCKED)."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_BUSY, _LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def explain(error: BaseException, path: str | Path | None) -> NatoCompareError | None:
    """The one-line error for a sqlite3 or OS ``error`` met on the database ``path``, or
    ``None`` when it is none of the known ways a database fails."""
    name = str(path) if path is not None else "the database"
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(error)
        if code in (_BUSY, _LOCKED) or is_busy(error):
            from . import busy_timeout

            return NatoCompareError(
                f"{name} is locked: another program has been writing to it for more than "
                f"{busy_timeout():g} s; try again when it has finished ({_UNCHANGED})"
            )
        if code == _FULL or "disk is full" in text:
            return NatoCompareError(
                f"the disk holding {name} is full: free some space and run the command again "
                f"({_UNCHANGED})"
            )
        if code == _READONLY or "readonly" in text:
            return NatoCompareError(
                f"cannot write {name}: the file or its folder is read-only (SQLite needs to "
                f"write the file and create its -wal and -shm files beside it); {_UNCHANGED}"
            )
        if code == _CANTOPEN or "unable to open" in text:
            return NatoCompareError(
                f"cannot open {name}: the file or its folder cannot be read or written"
            )
        if code == _NOTADB or "not a database" in text:
            return NatoCompareError(f"not a SQLite database: {name} (give a nato-compare database)")
        if code == _CORRUPT or "malformed" in text:
            return NatoCompareError(
                f"{name} is damaged ({text}); restore it from a copy "
                "(sqlite3's .recover may save what is left)"
            )
        if code == _IOERR or "disk I/O" in text:
            return NatoCompareError(
                f"cannot read or write {name}: disk I/O error (is the disk full, removed or "
                f"read-only?); {_UNCHANGED}"
            )
        if "no such table" in text or "no such column" in text or "has no column" in text:
            return NatoCompareError(
                f"{name} does not have the tables of a nato-compare database ({text}): "
                "it is damaged or another program's database"
            )
        return NatoCompareError(f"database error on {name}: {text}")
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return NatoCompareError(
                f"the disk holding {error.filename or name} is full: free some space and run "
                "the command again"
            )
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            where = error.filename or name
            return NatoCompareError(
                f"cannot write {where}: {(error.strerror or str(error)).lower()}"
            )
        return None
    return None


@contextlib.contextmanager
def database_errors(path: str | Path | None, *, os_errors: bool = True) -> Iterator[None]:
    """Turn the sqlite3 errors of the block (and, with ``os_errors``, the OS errors
    :func:`explain` knows) into one-line :class:`NatoCompareError` naming ``path``."""
    caught = (sqlite3.Error, OSError) if os_errors else sqlite3.Error
    try:
        yield
    except caught as error:
        explained = explain(error, path)
        if explained is None:
            raise
        raise explained from None
