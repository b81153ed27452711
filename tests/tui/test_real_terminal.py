"""The real ``nato-compare tui`` command in a pseudo-terminal: killed with SIGKILL right after
a key press, it loses at most that key press.

No tmux and no real terminal are needed: the app runs on the slave end of a pty made with
:func:`os.openpty`, the test drains the master end in a thread (so the app never blocks on
its output) and types by writing bytes to it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.tui.helpers import labels_of

from nato_compare.store import open_db
from nato_compare.store.worklist import event_passages, list_events

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "openpty"), reason="needs a pty"),
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

COLUMNS, LINES = 120, 40
STARTUP_TIMEOUT = 30.0  # seconds until the first event is painted (about 1 s when idle)
WRITE_TIMEOUT = 30.0  # seconds until a key press is in the database (milliseconds when idle)
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def nato_compare_command() -> list[str]:
    """The installed console script next to this Python, else the same entry point run by
    this Python; skips the test when neither starts."""
    script = Path(sys.executable).parent / "nato-compare"
    candidates = [[str(script)]] if script.is_file() and os.access(script, os.X_OK) else []
    candidates.append(
        [sys.executable, "-c", "import sys; from nato_compare.cli import main; sys.exit(main())"]
    )
    for command in candidates:
        try:
            result = subprocess.run(
                [*command, "tui", "--help"], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0 and "nato-compare tui" in result.stdout:
            return command
    pytest.skip("cannot run the nato-compare command")


class Terminal:
    """A command on the slave end of a pty of COLUMNS x LINES; the master end is drained."""

    def __init__(self, argv: list[str]) -> None:
        import fcntl
        import struct
        import termios

        try:
            self.master, slave = os.openpty()
        except OSError as exc:
            pytest.skip(f"no pseudo-terminal: {exc}")
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self.process: subprocess.Popen | None = None
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
            env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
            env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
            self.process = subprocess.Popen(
                argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                close_fds=True,
                start_new_session=True,
            )
        except BaseException:
            os.close(self.master)
            raise
        finally:
            os.close(slave)  # the child's copy keeps the pty open; EOF (EIO) once it is gone
        self._reader = threading.Thread(target=self._drain, name="pty-drain", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        import select

        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if not ready:
                    if self.process.poll() is not None:
                        return
                    continue
                data = os.read(self.master, 65536)
            except (OSError, ValueError):  # EIO: every slave end is closed
                return
            if not data:
                return
            with self._lock:
                self.output.extend(data)

    def shows(self, pattern: bytes) -> bool:
        """Whether the app has written something matching this regular expression."""
        with self._lock:
            return re.search(pattern, self.output) is not None

    def screen_text(self, last: int = 3000) -> str:
        """What the app wrote lately, without the escape sequences (for failure messages)."""
        with self._lock:
            data = bytes(self.output[-20 * last :])
        return ANSI.sub(b" ", data).decode("utf-8", "replace")[-last:]

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait_until(self, condition, what: str, timeout: float) -> None:
        """Poll ``condition()`` until it holds; fail if the app exits or the time runs out."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(
                    f"the app exited ({self.process.returncode}) before {what}:\n{self.screen_text()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} after {timeout:.0f} s:\n{self.screen_text()}")
            time.sleep(0.05)

    def close(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
            if self.process is not None:
                self.process.wait(timeout=30)
        finally:
            if self._reader is not None:
                self._reader.join(timeout=10)
            os.close(self.master)


@pytest.fixture
def terminal():
    """Starts commands in a pty (``terminal(argv)``); every one is killed at the end."""
    started: list[Terminal] = []

    def start(argv: list[str]) -> Terminal:
        started.append(Terminal(argv))
        return started[-1]

    yield start
    for term in started:
        term.close()


def replay_action_log(db_path: Path, annotator: str = "alice") -> int:
    """Check that the action log explains the annotations exactly: each entry's "before" is
    the rows its predecessor left, and the last "after" of each passage and dimension is what
    the annotations table holds (same ids, labels and times). Returns the number of entries."""
    columns = ("id", "annotator", "passage_id", "dimension", "label", "note", "created_at")
    conn = sqlite3.connect(db_path)
    try:
        entries = conn.execute(
            "SELECT action, undone FROM action_log WHERE annotator = ? ORDER BY seq", [annotator]
        ).fetchall()
        rows = conn.execute(
            f"SELECT {', '.join(columns)} FROM annotations WHERE annotator = ?", [annotator]
        ).fetchall()
    finally:
        conn.close()

    def by_label(rows_: list[dict]) -> list[dict]:
        return sorted(rows_, key=lambda r: r["label"])

    state: dict[tuple[str, str], list[dict]] = {}
    for number, (text, undone) in enumerate(entries, 1):
        action = json.loads(text)
        assert undone == 0 and action["kind"] == "annotations", (number, action)
        key = (action["passage_id"], action["dimension"])
        assert by_label(action["before"]) == state.get(key, []), (
            f"entry {number} starts from other rows"
        )
        state[key] = by_label(action["after"])
    table: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        row = dict(zip(columns, row))
        table.setdefault((row["passage_id"], row["dimension"]), []).append(row)
    assert {k: by_label(v) for k, v in table.items()} == {k: v for k, v in state.items() if v}
    return len(entries)


def test_sigkill_of_the_real_command_right_after_a_key_press_keeps_every_earlier_one(
    event_db, terminal
):
    db = open_db(event_db)
    first_event = list_events(db, "alice")[0].id
    passages = event_passages(db, first_event)
    db.close()
    first = passages[0]
    second = next(p for p in passages if p.column != first.column)  # where "l" goes
    command = nato_compare_command()

    app = terminal([*command, "tui", "--db", str(event_db), "--annotator", "alice"])
    # ready when the first event's first passage is painted: its mark, e.g. "¶10" (not "¶100")
    mark = re.escape(f"¶{first.seq + 1}".encode()) + rb"(?![0-9])"
    app.wait_until(lambda: app.shows(mark), "the first event on screen", STARTUP_TIMEOUT)

    reader = sqlite3.connect(event_db, timeout=10)  # a separate connection, only reading

    def logged() -> int:
        return reader.execute(
            "SELECT count(*) FROM action_log WHERE annotator = 'alice'"
        ).fetchone()[0]

    try:
        # Economic, Security and defense, FAVOR on the first passage; then the next outlet's
        # passage (l: a move, nothing written) gets AGAINST. Each key is waited for in the log.
        for count, keys in enumerate(["1", "8", "+", "l-"], 1):
            for key in keys:
                app.press(key)
            app.wait_until(
                lambda count=count: logged() >= count,
                f"action {count} ({keys!r}) in the database",
                WRITE_TIMEOUT,
            )
        assert logged() == 4
    finally:
        reader.close()  # before the kill: the database is left exactly as the dead app leaves it

    # the last key, "=", replaces AGAINST by NONE; killed the moment it is typed
    assert app.process.poll() is None, app.screen_text()
    app.press("=")
    os.kill(app.process.pid, signal.SIGKILL)
    assert app.process.wait(timeout=30) == -signal.SIGKILL

    conn = sqlite3.connect(event_db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    # every key pressed before the last one is there
    assert labels_of(event_db, first.id) == [
        ("frame", "Economic"),
        ("frame", "Security and defense"),
        ("stance", "FAVOR"),
    ]
    last = labels_of(event_db, second.id)
    assert last in (
        [("stance", "AGAINST")],
        [("stance", "NONE")],
    )  # the last key: written or not, never half
    # the action log holds one entry per key press written, and explains every row
    assert replay_action_log(event_db) == (4 if last == [("stance", "AGAINST")] else 5)

    # and the project opens the database as usual, progress included
    db = open_db(event_db)
    try:
        summary = list_events(db, "alice")[0]
        assert (summary.id, summary.done) == (first_event, 2)
        assert db.execute("SELECT value FROM settings WHERE key = 'annotator'").fetchone() == (
            "alice",
        )
    finally:
        db.close()
