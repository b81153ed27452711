"""Messages the database workers post back to the event screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..store.worklist import EventSummary
from .data import Change, Comparison, EventView


@dataclass
class EventsLoaded(Message):
    events: list[EventSummary]
    total: int
    outlets: list[str]


@dataclass
class EventLoaded(Message):
    view: EventView | None
    event_id: str
    focus_passage: str | None


@dataclass
class Changed(Message):
    """An action (label, note, undo, redo) was written; ``change`` is None if there was nothing to do."""

    change: Change | None
    verb: str


@dataclass
class NextUnannotatedFound(Message):
    event_id: str | None


@dataclass
class AdjudicationLoaded(Message):
    comparison: Comparison
