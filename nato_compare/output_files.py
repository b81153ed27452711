"""Writing output files so that a failure half-way leaves nothing half-written.

A regular file is written to a temp file beside it and renamed over it only when all went
well (:class:`PendingOutput`). What is not a regular file — ``/dev/stdout``, a named pipe
another program reads, a device — is written in place, since renaming a file over it would
replace it rather than write to it. A symbolic link is followed: the file it points to is
replaced, the link stays. A SQLite database is never overwritten: an output path mistyped
as the database (``--output annotations.db``) would otherwise destroy every annotation.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import NatoCompareError

SQLITE_HEADER = b"SQLite format 3\x00"
#: Files beside a SQLite database that belong to it.
DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _is_sqlite_database(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: Path, *, databases: Iterable[Path] = ()) -> None:
    """Refuse, with one line, an output path that cannot or must not be written: a folder, a
    missing folder, no permission, a SQLite database, or a file of one of ``databases``.
    Called before anything is computed or written."""
    path = Path(path)
    for database in databases:
        for suffix in DATABASE_COMPANIONS:
            if _same_file(path, Path(f"{database}{suffix}")):
                raise NatoCompareError(f"cannot write {path}: it is the database {database}{suffix}")
    if path.is_dir():
        raise NatoCompareError(f"cannot write {path}: it is a folder")
    parent = path.parent
    if not parent.is_dir():
        raise NatoCompareError(f"cannot write {path}: folder {parent} does not exist")
    if path.is_file() and _is_sqlite_database(path):
        raise NatoCompareError(f"cannot write {path}: it is a SQLite database (not overwritten)")
    writable = os.access(path, os.W_OK) if path.exists() else os.access(parent, os.W_OK)
    if not writable:
        raise NatoCompareError(f"cannot write {path}: permission denied")


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class PendingOutput:
    """An output file written first and put in place by :meth:`commit`, or dropped by
    :meth:`discard` (which does nothing once committed)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # A link is followed: its target is the file to replace.
        self.target = self.path.resolve() if self.path.is_symlink() else self.path
        try:
            self.in_place = self.target.exists() and not stat.S_ISREG(self.target.stat().st_mode)
        except OSError:
            self.in_place = False
        self.temp: Path | None = None

    def open(self, *, binary: bool = False, encoding: str = "utf-8") -> IO:
        """The stream to write to (a text stream with no newline translation, or bytes)."""
        try:
            if self.in_place:
                name: str | int = str(self.target)
            else:
                name, temp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp",
                                              dir=self.target.parent)
                self.temp = Path(temp)
            if binary:
                return open(name, "wb")
            return open(name, "w", encoding=encoding, newline="")
        except OSError as exc:
            raise NatoCompareError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def commit(self) -> None:
        if self.temp is None:
            return
        try:
            # mkstemp makes the file private: keep the replaced file's mode, or the usual one
            mode = self.target.stat().st_mode & 0o777 if self.target.exists() else _new_file_mode()
            os.chmod(self.temp, mode)
            os.replace(self.temp, self.target)
        except OSError as exc:
            raise NatoCompareError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        self.temp = None

    def discard(self) -> None:
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None


@contextmanager
def atomic_output(path: Path, *, excel: bool = False, binary: bool = False,
                  databases: Iterable[Path] = ()) -> Iterator[IO]:
    """A stream to ``path`` that is put in place only when the block ends without an error
    (text streams are UTF-8, with a byte-order mark when ``excel``)."""
    check_output(path, databases=databases)
    pending = PendingOutput(path)
    try:
        with pending.open(binary=binary, encoding="utf-8-sig" if excel else "utf-8") as stream:
            yield stream
        pending.commit()
    except OSError as exc:
        raise NatoCompareError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        pending.discard()
