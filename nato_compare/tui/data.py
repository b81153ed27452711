"""The app's way to the database: one thread that owns the connection, and what it runs.

Every query and every write runs on a single database thread, so the UI thread
never waits on SQLite, and writes happen in the order the keys were pressed
(a FIFO executor; separate worker threads could reorder "label" then "undo").
The functions below are what the app submits: each does one user action
through the store (one transaction) and reads back what the screen needs.
"""

# Over 400 lines: every database call of the interface, on purpose (one thread owns the connection).

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

import sqlite_utils
from rich.text import Text
from textual.content import Content

import nato_compare.store.annotations as annotations_store

from ..codebook import Dimension
from ..safe_text import terminal_safe
from ..store import get_setting, open_db, set_setting
from ..store.failures import is_busy
from ..store.seen_events import mark_seen
from ..store.worklist import (
    EventFilter,
    EventPassage,
    EventSummary,
    event_count,
    event_of_action,
    events_of_passage,
    event_passages,
    first_event_id,
    get_event,
    in_latest_run,
    list_events,
    next_unannotated_event,
    outlets,  # noqa: F401  (the app calls it as data.outlets)
)
from .layout.highlight import CLAIM_STYLE, SEARCH_STYLE, highlight, shared_words
from .layout.lines import (
    ColumnLines,
    ColumnLook,
    column_titles,
    column_width,
    lay_out_column,
    passage_content,
    text_width,
)

ANNOTATOR_SETTING = "annotator"
#: Seconds between two tries of a write while another program holds the database's write lock.
RETRY_PAUSE = 0.05
#: Seconds remembering the annotator's name waits for another program's write.
REMEMBER_WAIT = 5.0


class DatabaseThread:
    """A single thread owning the SQLite connection; ``submit`` keeps call order."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nato-compare-db")
        self._db: sqlite_utils.Database | None = None

    def _connection(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = open_db(self.path)
        return self._db

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Queue ``fn(db, *args)``; call from the UI thread so the queue order is the key order."""
        return self._executor.submit(lambda: fn(self._connection(), *args))

    def submit_write(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Queue the write ``fn(db, *args)``, tried again while another program holds the
        write lock, so that a key press is never lost; later calls wait behind it, in order
        (closing the app waits for them too).

        A write that found the database busy changed nothing (its transaction began with
        ``BEGIN IMMEDIATE``, see :mod:`nato_compare.store`), so trying it again is safe."""

        def write() -> Any:
            while True:
                try:
                    return fn(self._connection(), *args)
                except sqlite3.OperationalError as error:
                    if not is_busy(error):
                        raise
                time.sleep(RETRY_PAUSE)

        return self._executor.submit(write)

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.wrap_future(self.submit(fn, *args))

    def close(self) -> None:
        def close_connection() -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        self._executor.submit(close_connection)
        self._executor.shutdown(wait=True)


@dataclass
class EventView:
    summary: EventSummary
    passages: list[EventPassage]
    labels: dict[str, annotations_store.PassageLabels]
    note: str
    #: The passages by outlet column, and each passage's highlighted text: prepared here, on
    #: the database thread, so the screen only has to show them.
    columns: list[tuple[str, list[EventPassage]]] = field(default_factory=list)
    bodies: dict[str, Content] = field(default_factory=dict)
    #: Each column's lines, wrapped and painted for the screen's width and colours at the
    #: time of reading (see ``ColumnLayout``): showing the event is then a matter of swapping.
    prepared: dict[str, ColumnLines] = field(default_factory=dict)
    #: The screen's count of writes when it asked for this reading (-1: not known): a view
    #: read before the latest write may be stale (see ``EventScreen._keep_for_return``).
    generation: int = -1


@dataclass(frozen=True)
class ColumnLayout:
    """What the screen's outlet columns look like: the width they share and their colours."""

    available: int
    look: ColumnLook


@dataclass
class Change:
    """What an action changed, for the screen: a passage's labels and its event's progress."""

    description: str
    event_id: str | None
    passage_id: str | None = None
    labels: annotations_store.PassageLabels | None = None
    summary: EventSummary | None = None
    event_note: str | None = None
    #: a judgement on the alignment (see ``review_data``): the event is read again
    review: bool = False
    #: the progress of the other events that hold the passage (it states several facts)
    others: list[EventSummary] = field(default_factory=list)
    #: the list of events changed (a new event made, or undone): it is read again
    events: bool = False


# --- text is data: what the screen shows of the database goes through terminal_safe ----------

#: Characters of a passage shown at most; a longer one (a page with no paragraph breaks) is cut
#: for display, with a note saying so: the database keeps it whole, exports give all of it.
DISPLAY_LIMIT = 20_000


def _shown_passage(passage: EventPassage) -> EventPassage:
    text = passage.text
    if len(text) > DISPLAY_LIMIT:
        text = (
            f"{text[:DISPLAY_LIMIT]} … [cut for display: {len(text) - DISPLAY_LIMIT:,} more "
            "characters; the database keeps the whole passage]"
        )
    return dataclasses.replace(
        passage,
        text=terminal_safe(text),
        outlet=terminal_safe(passage.outlet),
        title=terminal_safe(passage.title) if passage.title else passage.title,
        date=terminal_safe(passage.date) if passage.date else passage.date,
    )


def _shown(summary: EventSummary) -> EventSummary:
    return dataclasses.replace(
        summary,
        label=terminal_safe(summary.label),
        title=terminal_safe(summary.title) if summary.title else summary.title,
    )


def _shown_summary(summary: EventSummary | None) -> EventSummary | None:
    return None if summary is None else _shown(summary)


def _shown_labels(labels: annotations_store.PassageLabels) -> annotations_store.PassageLabels:
    return dataclasses.replace(
        labels,
        labels={
            terminal_safe(d): [terminal_safe(v) for v in values]
            for d, values in labels.labels.items()
        },
        note=terminal_safe(labels.note),
    )


def remembered_annotator(db) -> str | None:
    return get_setting(db, ANNOTATOR_SETTING)


def remember_annotator(db, name: str) -> None:
    set_setting(db, ANNOTATOR_SETTING, name)


@dataclass
class Opening:
    """What the first screen shows: the annotator (None: to be asked) and the first event."""

    annotator: str | None
    event_id: str | None = None
    view: EventView | None = None


def open_first_event(db, annotator: str | None, codebook=None) -> Opening:
    """Who annotates (the one given, or the remembered one) and the first event read for them,
    before the screen knows its width (see ``load_event``): queued as the app is made, so that
    it is ready when the screen is first painted."""
    if annotator is None:
        annotator = remembered_annotator(db)
        if annotator is None:
            return Opening(None)
    event_id = last_position(db, annotator) or first_event_id(db)
    view = load_event(db, annotator, event_id, None, codebook) if event_id is not None else None
    return Opening(annotator, event_id, view)


def _position_setting(annotator: str) -> str:
    return f"position:{annotator}"


def remember_position_if_free(db, annotator: str, event_id: str) -> None:
    """Remember the event on screen as the app closes (unless the write lock is held)."""
    value = json.dumps({"event_id": event_id, "at": annotations_store._now()})
    try:
        set_setting(db, _position_setting(annotator), value, timeout=REMEMBER_WAIT)
    except sqlite3.OperationalError:
        pass


def last_position(db, annotator: str) -> str | None:
    """Where the annotator stopped: the event on screen when the app last closed, or the event
    of their latest action when that is later (a killed app remembers nothing on closing);
    ``None`` when neither is an event of the latest run."""
    # (when, 1 for the closing's position: it wins a tie, being written last; event id)
    found: list[tuple[str, int, str]] = []
    remembered = get_setting(db, _position_setting(annotator))
    if remembered:
        try:
            position = json.loads(remembered)
            found.append((position["at"], 1, position["event_id"]))
        except (ValueError, KeyError, TypeError):
            pass
    latest = annotations_store.latest_action(db, annotator)
    if latest is not None:
        action, at = latest
        event_id = event_of_action(db, action)
        if event_id:
            found.append((at, 0, event_id))
    for _, _, event_id in sorted(found, reverse=True):
        if in_latest_run(db, event_id):
            return event_id
    return None


def remember_annotator_if_free(db, name: str) -> None:
    """Remember the annotator for next time, unless another program holds the write lock (an
    alignment being saved) for more than a few seconds: the name is a convenience, not worth
    holding up the reads queued behind it."""
    try:
        set_setting(db, ANNOTATOR_SETTING, name, timeout=REMEMBER_WAIT)
    except sqlite3.OperationalError:
        pass


def load_events(
    db, annotator: str, flt: EventFilter | None, required: tuple[str, ...] = ()
) -> tuple[list[EventSummary], int]:
    """The filtered events and the number of events with no filter."""
    events = [_shown(e) for e in list_events(db, annotator, flt, required)]
    if flt is None or not flt.active:
        return events, len(events)
    return events, event_count(db)


def load_event(
    db,
    annotator: str,
    event_id: str,
    layout: ColumnLayout | None = None,
    codebook=None,
    search: str | None = None,
) -> EventView | None:
    """An event read for the screen; ``search`` (the list's search words) is marked in the
    passages."""
    required = codebook.required if codebook is not None else ()
    summary = _shown_summary(get_event(db, annotator, event_id, required))
    if summary is None:
        return None
    passages = [_shown_passage(p) for p in event_passages(db, event_id)]
    labels = {
        pid: _shown_labels(found)
        for pid, found in annotations_store.labels_for_passages(
            db, annotator, [p.id for p in passages]
        ).items()
    }
    note = terminal_safe(annotations_store.event_note(db, annotator, event_id))
    view = EventView(summary, passages, labels, note)
    by_column: dict[str, list[EventPassage]] = {}
    for passage in passages:
        by_column.setdefault(passage.column, []).append(passage)
    view.columns = list(by_column.items())
    shared = shared_words({key: [p.text for p in ps] for key, ps in view.columns})
    compare = len(view.columns) > 1
    for key, column in view.columns:
        for passage in column:
            mark = f"¶{passage.seq + 1}" + (" (superseded)" if passage.superseded else "")
            text = highlight(passage.text, shared[key], compare=compare)
            for start, end in passage.claims:  # the sentences that put it in this event
                text.stylize(CLAIM_STYLE, start, min(end, DISPLAY_LIMIT, len(passage.text)))
            body = Text.assemble((mark, "dim"), " ", text)
            if search and search.strip():
                body.highlight_words([search.strip()], SEARCH_STYLE, case_sensitive=False)
            view.bodies[passage.id] = Content.from_rich_text(body)
    if layout is not None:
        width = text_width(column_width(layout.available, len(view.columns)))
        for key, column in view.columns:
            contents = [
                passage_content(view.bodies[p.id], labels.get(p.id), codebook) for p in column
            ]
            annotated = [bool(labels.get(p.id) and labels[p.id].complete(required)) for p in column]
            view.prepared[key] = lay_out_column(
                column_titles(column), contents, annotated, width, layout.look
            )
    return view


def _passage_change(
    db,
    annotator: str,
    description: str,
    passage_id: str,
    event_id: str | None,
    required: tuple[str, ...],
) -> Change:
    labels = annotations_store.labels_for_passages(db, annotator, [passage_id])[passage_id]
    summary = get_event(db, annotator, event_id, required) if event_id else None
    others = [
        _shown_summary(get_event(db, annotator, other, required))
        for other in events_of_passage(db, passage_id)
        if other != event_id
    ]
    return Change(
        terminal_safe(description),
        event_id,
        passage_id,
        _shown_labels(labels),
        _shown_summary(summary),
        others=[o for o in others if o is not None],
    )


def apply_label(
    db,
    annotator: str,
    dimension: Dimension,
    label: str,
    passage_id: str,
    event_id: str,
    required: tuple[str, ...] = (),
) -> Change:
    """The label's key was pressed: toggle it (multi-label) or set/clear it (single-label)."""
    if dimension.multi:
        action = annotations_store.toggle_label(
            db, annotator, passage_id, dimension.name, label, event_id
        )
    else:
        current = annotations_store.labels_for_passages(db, annotator, [passage_id])[passage_id]
        same = label in current.labels.get(dimension.name, [])
        action = annotations_store.set_single_label(
            db, annotator, passage_id, dimension.name, None if same else label, event_id
        )
    return _passage_change(db, annotator, action["description"], passage_id, event_id, required)


def apply_passage_note(
    db, annotator: str, passage_id: str, event_id: str, text: str, required: tuple[str, ...] = ()
) -> Change:
    action = annotations_store.set_passage_note(db, annotator, passage_id, text, event_id)
    return _passage_change(db, annotator, action["description"], passage_id, event_id, required)


def apply_event_note(db, annotator: str, event_id: str, text: str) -> Change:
    action = annotations_store.set_event_note(db, annotator, event_id, text)
    return Change(
        action["description"],
        event_id,
        event_note=terminal_safe(annotations_store.event_note(db, annotator, event_id)),
    )


def apply_undo(
    db, annotator: str, redo: bool = False, required: tuple[str, ...] = ()
) -> Change | None:
    """Undo (or redo) the annotator's last action; the change says where it happened."""
    action = (annotations_store.redo if redo else annotations_store.undo)(db, annotator)
    if action is None:
        return None
    if action["kind"] == "event_note":
        event_id = action["event_id"]
        return Change(
            action["description"],
            event_id,
            event_note=terminal_safe(annotations_store.event_note(db, annotator, event_id)),
        )
    if action["kind"] == "judgements":
        # the event it was done in; a new event undone is gone: where its passage is
        event_id = event_of_action(db, action)
        changed = action.get("memberships") or [m for m in [action.get("membership")] if m]
        if event_id and event_id in {m["event_id"] for m in changed}:
            # undoing one's own attach is no news either; the event a new event's passage is
            # shown in after its undo was not changed by it: what changed there is still news
            mark_seen(db, annotator, event_id)
        summary = _shown_summary(get_event(db, annotator, event_id, required)) if event_id else None
        return Change(
            terminal_safe(action["description"]),
            event_id,
            action["passage_id"] or None,
            summary=summary,
            review=True,
            events="created_event" in action or bool(action.get("dropped_events")),
        )
    passage_id = action["passage_id"]
    return _passage_change(
        db, annotator, action["description"], passage_id, event_of_action(db, action), required
    )


def find_next_unannotated(
    db, annotator: str, after_seq: int, flt: EventFilter | None, required: tuple[str, ...] = ()
) -> str | None:
    return next_unannotated_event(db, annotator, after_seq, flt, required)


@dataclass
class Comparison:
    """Every annotator's labels on a passage, or why this annotator may not see them yet."""

    passage_id: str
    by_annotator: dict[str, annotations_store.PassageLabels] | None
    refused: str = ""


def compare_labels(
    db, annotator: str, passage_id: str, required: tuple[str, ...], adjudicator: bool
) -> Comparison:
    try:
        labels = annotations_store.compare_labels(
            db, annotator, passage_id, required, adjudicator=adjudicator
        )
    except annotations_store.BlindCoding as refusal:
        return Comparison(passage_id, None, terminal_safe(str(refusal)))
    return Comparison(
        passage_id, {terminal_safe(name): _shown_labels(found) for name, found in labels.items()}
    )


def log_adjudicator(db, annotator: str) -> None:
    annotations_store.log_role(db, annotator, "adjudicator", "tui")
