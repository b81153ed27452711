"""Writing output files so that a failure half-way leaves nothing half-written.

A regular file is written to a temp file beside it and renamed over it only when all went
well (:class:`PendingOutput`). What is not a regular file — a named pipe another program
reads, a device — and every path under ``/dev`` or ``/proc`` (``/dev/stdout``, ``/dev/fd/3``:
they stand for a file descriptor, whatever it points to) is written in place, appended to, since
renaming a file over it would replace it rather than write to it. A symbolic link
is followed: the file it points to is replaced, the link stays. A SQLite database is never
overwritten: an output path mistyped as the database (``--output annotations.db``) would
otherwise destroy every annotation; nor are the database's ``-wal``, ``-shm`` and ``-journal``
files, whether they exist at the time or not.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import NatoCompareError

SQLITE_HEADER = b"SQLite format 3\x00"
#: Files beside a SQLite database that belong to it.
DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")
#: Paths that stand for a file descriptor or a device, written in place.
IN_PLACE_ROOTS = ("/dev/", "/proc/")


def _is_sqlite_database(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _resolved(path: Path) -> Path:
    """``path`` with its links followed; one line for a link that loops."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links (Python < 3.13)
        raise NatoCompareError(
            f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None


def _is_database_file(path: Path, database: Path) -> str | None:
    """The name of the database file (or companion) that ``path`` is, if it is one."""
    target = _resolved(path)
    for suffix in DATABASE_COMPANIONS:
        companion = Path(f"{database}{suffix}")
        if target == _resolved(companion):
            return str(companion)
        try:
            if os.path.samefile(path, companion):
                return str(companion)
        except OSError:
            pass
    return None


def writes_in_place(path: Path) -> bool:
    """Whether ``path`` is written to directly rather than replaced (see the module doc)."""
    if os.path.abspath(path).startswith(IN_PLACE_ROOTS):
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # not there yet (or a dangling link): a new file


def check_output(path: Path, *, databases: Iterable[Path] = ()) -> None:
    """Refuse, with one line, an output path that cannot or must not be written: a folder, a
    missing or read-only folder, no permission, a loop of links, a SQLite database, or a file
    of one of ``databases``. Called before anything is computed or written."""
    path = Path(path)
    for database in databases:
        name = _is_database_file(path, Path(database))
        if name is not None:
            raise NatoCompareError(f"cannot write {path}: it is the database {name}")
    if path.is_dir():
        raise NatoCompareError(f"cannot write {path}: it is a folder")
    if writes_in_place(path):
        if path.exists() and not os.access(path, os.W_OK):
            raise NatoCompareError(f"cannot write {path}: permission denied")
        return
    target = _resolved(path)
    folder = target.parent
    if not folder.is_dir():
        shown = path.parent if target == path.absolute() else folder
        raise NatoCompareError(f"cannot write {path}: folder {shown} does not exist")
    if target.is_file() and _is_sqlite_database(target):
        raise NatoCompareError(f"cannot write {path}: it is a SQLite database (not overwritten)")
    # the temp file is made in the folder, and renamed over the file
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise NatoCompareError(f"cannot write {path}: permission denied")


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            found = re.search(r"^Umask:\s*([0-7]+)", status.read(), re.M)
        if found:
            return int(found.group(1), 8)
    except OSError:
        pass
    umask = os.umask(0o022)  # elsewhere: set and put back at once
    os.umask(umask)
    return umask


#: Temp files are named ``.NAME.pidPID.XXXXXXXX.tmp``: the next run can tell a killed run's
#: file (its process is gone) from one another run is writing now.
TEMP_MARK = "pid"


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Remove the temp files of ``target`` whose writing process has ended (a run killed
    between its commit and the rename), with a warning each; return them. A temp file of an
    older version (no pid in its name) is reported, not removed."""
    removed: list[Path] = []
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(?:{TEMP_MARK}(\d+)\.)?[^.]+\.tmp$")
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in candidates:
        found = pattern.match(path.name)
        if found is None:
            continue
        pid = found.group(1)
        if pid is None:
            warnings.warn(
                f"{path} was left by an earlier run that was stopped: remove it", stacklevel=2
            )
            continue
        if _process_running(int(pid)):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        warnings.warn(f"removed {path}, left by an earlier run that was stopped", stacklevel=2)
        removed.append(path)
    return removed


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists (another user's)
    return True


class PendingOutput:
    """An output file written first and put in place by :meth:`commit`, or dropped by
    :meth:`discard` (which does nothing once committed)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.in_place = writes_in_place(self.path)
        # A link is followed: its target is the file to replace.
        self.target = self.path if self.in_place else _resolved(self.path)
        self.temp: Path | None = None

    def open(self, *, binary: bool = False, encoding: str = "utf-8") -> IO[Any]:
        """The stream to write to (a text stream with no newline translation, or bytes)."""
        try:
            if self.in_place:
                # appended: `/dev/stdout` of a command run with `>> log` must not truncate the log
                name: str | int = str(self.target)
                mode = "a"
            else:
                remove_stale_temp_files(self.target)
                name, temp = tempfile.mkstemp(
                    prefix=f".{self.target.name}.{TEMP_MARK}{os.getpid()}.",
                    suffix=".tmp",
                    dir=self.target.parent,
                )
                self.temp = Path(temp)
                mode = "w"
            if binary:
                return open(name, mode + "b")
            return open(name, mode, encoding=encoding, newline="")
        except OSError as exc:
            raise NatoCompareError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def commit(self) -> None:
        if self.temp is None:
            return
        try:
            # mkstemp makes the file private: keep the replaced file's mode, or the usual one
            mode = self.target.stat().st_mode & 0o777 if self.target.exists() else 0o666 & ~_umask()
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
def atomic_output(
    path: Path, *, excel: bool = False, binary: bool = False, databases: Iterable[Path] = ()
) -> Iterator[IO[Any]]:
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
