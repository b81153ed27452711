"""The annotation app: ``make_app(db_path, annotator, codebook_path)`` builds it for the CLI,
the tests and the benchmark alike."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from textual.app import App
from textual.worker import Worker, WorkerState

from ..codebook import Codebook, load_codebook
from ..errors import NatoCompareError
from ..safe_text import terminal_safe
from .data import (
    DatabaseThread,
    Opening,
    log_adjudicator,
    open_first_event,
    remember_annotator_if_free,
)
from .screens.event_screen import EventScreen


#: A write that takes longer than this (seconds) is waiting for another program: say so.
WAIT_NOTICE = 1.0
WAITING = (
    "Another program is writing to the database. Your changes are kept and will be saved "
    "in order as soon as it has finished."
)


class AnnotateApp(App):
    """Compare one event across outlets and label its passages from the keyboard."""

    TITLE = "nato-compare"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        db: DatabaseThread,
        annotator: str | None,
        codebook: Codebook,
        adjudicator: bool = False,
    ) -> None:
        super().__init__()
        self.db = db
        self.annotator = annotator
        self.codebook = codebook
        #: The adjudicator sees every annotator's labels at once (no blind coding); logged.
        self.adjudicator = adjudicator
        self._waiting_notice_until = 0.0  # monotonic time the "waiting" notice is shown until
        # Read while Textual starts the app: the first screen then waits for no query.
        self.opening: Future[Opening] = db.submit(open_first_event, annotator, codebook)
        if annotator is not None:
            db.submit(remember_annotator_if_free, annotator)  # after the reading, not before
            if adjudicator:
                db.submit_write(log_adjudicator, annotator)

    def get_default_screen(self) -> EventScreen:
        return EventScreen.for_codebook(self.codebook)

    async def saved(self, write: Future) -> Any:
        """The result of a write queued with ``db.submit_write``; while it waits longer than
        :data:`WAIT_NOTICE` for another program, the analyst is told (once for all the writes
        queued behind it)."""
        waiting = asyncio.wrap_future(write)
        while True:
            done, _ = await asyncio.wait({waiting}, timeout=WAIT_NOTICE)
            if done:
                return waiting.result()
            now = time.monotonic()
            if now >= self._waiting_notice_until:
                self._waiting_notice_until = now + 5 * WAIT_NOTICE
                self.notify(
                    WAITING,
                    title="Waiting for the database",
                    severity="warning",
                    timeout=5 * WAIT_NOTICE,
                    markup=False,
                )

    def report_worker_error(self, event: Worker.StateChanged) -> None:
        """A failed database worker becomes an error notification, never a crash.

        (``Worker.StateChanged`` does not bubble: screens forward it here.)"""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, NatoCompareError):
            message = str(error)
        else:
            message = f"unexpected error: {type(error).__name__}: {error}"
        self.log.error(message)
        self.notify(
            terminal_safe(message),
            title="Not saved" if event.worker.group == "write" else "Error",
            severity="error",
            timeout=10,
            markup=False,
        )

    async def on_unmount(self) -> None:
        self.db.close()


def make_app(
    db_path: str | Path,
    annotator: str | None = None,
    codebook_path: str | Path | None = None,
    *,
    adjudicator: bool = False,
) -> AnnotateApp:
    """The app on the database at ``db_path``; without ``annotator`` the remembered one is
    used, or the app asks. ``adjudicator`` turns blind coding off (and is logged). Raises
    :class:`NatoCompareError` for a bad codebook."""
    codebook = load_codebook(codebook_path)
    return AnnotateApp(
        DatabaseThread(db_path),
        annotator.strip() if annotator else None,
        codebook,
        adjudicator,
    )
