"""Fault suite, TUI: another program writing to the database never costs a key press.

Before, with another process holding the write lock 0.3 s at a time, 9 of 10 label keys were
not saved ("Not saved - database is locked").
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time

from tests.tui.helpers import db_rows, screen, settle

from nato_compare.store import open_db
from nato_compare.store.worklist import event_passages, list_events
from nato_compare.tui.app import WAITING, make_app

FRAME_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]


class Writer:
    """Another program taking the write lock for ``hold`` seconds, ``gap`` seconds apart."""

    def __init__(self, path, hold: float, gap: float = 0.02) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.hold, self.gap = hold, gap
        self.stop = threading.Event()
        self.locked = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.locked.wait()

    def _run(self) -> None:
        while not self.stop.is_set():
            self.conn.execute("BEGIN IMMEDIATE")
            self.locked.set()
            self.stop.wait(self.hold)
            self.conn.execute("COMMIT")
            time.sleep(self.gap)

    def release(self) -> None:
        self.stop.set()
        self.thread.join()
        self.conn.close()


def first_passage(db_path):
    db = open_db(db_path)
    try:
        event = list_events(db, "alice")[0]
        return event_passages(db, event.id)[0].id
    finally:
        db.close()


async def wait_for_view(pilot) -> None:
    for _ in range(500):
        await pilot.pause(0.01)
        if screen(pilot.app).view is not None:
            return
    raise AssertionError("no event shown")


async def test_every_label_key_is_saved_while_another_program_keeps_taking_the_lock(event_db):
    passage = first_passage(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await wait_for_view(pilot)
        writer = Writer(event_db, hold=0.3)
        try:
            for key in FRAME_KEYS:
                await pilot.press(key)
                await pilot.pause(0.05)
            for _ in range(600):  # the writes wait their turn
                await pilot.pause(0.02)
                if not any(w.is_running for w in app.workers if w.group == "write"):
                    break
        finally:
            writer.release()
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
    assert errors == []
    rows = db_rows(
        event_db,
        "SELECT count(*) FROM annotations WHERE annotator = 'alice' AND passage_id = ?",
        (passage,),
    )
    assert rows == [(len(FRAME_KEYS),)]  # ten different frames: every key is a label
    assert db_rows(event_db, "SELECT count(*) FROM action_log") == [(len(FRAME_KEYS),)]


async def test_a_long_wait_is_told_and_the_keys_are_saved_in_order_when_it_ends(event_db):
    passage = first_passage(event_db)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await wait_for_view(pilot)
        writer = Writer(event_db, hold=30)
        try:
            await pilot.press("1", "1", "2")  # Economic on, off again, then Capacity
            for _ in range(200):
                await pilot.pause(0.02)
                if any(n.message == WAITING for n in app._notifications):
                    break
            told = [n.message for n in app._notifications]
            assert db_rows(event_db, "SELECT count(*) FROM annotations") == [(0,)]
        finally:
            writer.release()
        await settle(pilot)
    assert WAITING in told
    assert db_rows(event_db, "SELECT label FROM annotations WHERE passage_id = ?", (passage,)) == [
        ("Capacity and resources",)
    ]
    actions = db_rows(event_db, "SELECT action FROM action_log ORDER BY seq")
    assert [json.loads(a)["description"] for (a,) in actions] == [
        "frame +Economic",
        "frame -Economic",
        "frame +Capacity and resources",
    ]
