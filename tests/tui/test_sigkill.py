"""Killing the app with SIGKILL right after a key press loses at most that key press."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.helpers import db_rows, labels_of, settle

from nato_compare.store import open_db
from nato_compare.store.worklist import event_passages, list_events
from nato_compare.tui.app import make_app

DRIVER = Path(__file__).with_name("headless_driver.py")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
async def test_sigkill_right_after_a_key_press_keeps_every_earlier_one(event_db):
    db = open_db(event_db)
    first_event = list_events(db, "alice")[0].id
    passages = event_passages(db, first_event)
    db.close()
    # Economic, Security and defense, FAVOR on the first passage; a note key in the second
    # column would open a dialog, so the last key is a plain label on the next passage.
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(event_db), "1 8 plus l", "minus"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if line.strip() == "pressed":
                os.kill(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert lines[-2:] == ["settled", "pressed"], process.stderr.read()
    assert process.returncode == -signal.SIGKILL

    conn = sqlite3.connect(event_db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    # every key pressed before the last one is there
    assert labels_of(event_db, passages[0].id) == [
        ("frame", "Economic"),
        ("frame", "Security and defense"),
        ("stance", "FAVOR"),
    ]
    second = next(p for p in passages if p.column != passages[0].column)
    last = labels_of(event_db, second.id)
    assert last in ([], [("stance", "AGAINST")])  # the last key press: written or not, never half
    logged = db_rows(event_db, "SELECT count(*) FROM action_log WHERE annotator = 'alice'")[0][0]
    assert logged == 3 + len(last)

    # and the next session carries on: the last action can be undone
    app = make_app(event_db, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
    if last:
        assert labels_of(event_db, second.id) == []
    else:
        assert labels_of(event_db, passages[0].id) == [
            ("frame", "Economic"),
            ("frame", "Security and defense"),
        ]
