"""Plain data classes shared by every layer (no I/O, no UI)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Protocol

UNKNOWN_OUTLET = "unknown"
LABEL_WORDS = 14  # words of the best claim (or the first passage) shown as an event's label


@dataclass(frozen=True)
class Passage:
    """A paragraph (or part of a long one) of an article's cleaned text.

    ``start``/``end`` are character offsets into the article's cleaned text, so
    ``article.cleaned_text[start:end] == text``.
    """

    id: str
    article_id: str
    seq: int
    start: int
    end: int
    text: str


@dataclass
class Article:
    """One article after cleaning; ``passages`` are filled by :mod:`segment`."""

    id: str
    source: str
    outlet: str
    title: str | None
    date: str | None
    url: str | None
    cleaned_text: str
    story: str | None = None  # declared by hand (corpus row or manifest): wins over linking
    raw_text: str = ""
    removed_lines: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    @property
    def outlet_key(self) -> str:
        """The key alignment uses to tell outlets apart.

        Two articles whose outlet is unknown are not assumed to come from the
        same outlet, so each gets a key of its own.
        """
        return outlet_key(self.outlet, self.id)


def outlet_key(outlet: str | None, article_id: str) -> str:
    if not outlet or outlet == UNKNOWN_OUTLET:
        return f"{UNKNOWN_OUTLET}:{article_id}"
    return outlet


def event_id(first_passage_id: str, claim_start: int | None = None) -> str:
    """``ev-`` + 12 hex digits of SHA-1 over the smallest member id, and the offset of that
    passage's first claim in the event unless it is the passage's first sentence (-1: the
    passage is there by an analyst's link only): stable from run to run, and an event's own
    (it does not depend on which other events exist). When a run renames an event, the
    annotators' notes and verdicts follow it (:func:`nato_compare.store.events.save_run`).
    Here, not in the aligner, because an analyst's new event is named the same way
    (:func:`nato_compare.store.new_events.new_event`)."""
    key = first_passage_id if claim_start is None else f"{first_passage_id}#{claim_start}"
    return "ev-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def event_label(words: str) -> str:
    """An event's label: the first :data:`LABEL_WORDS` words of its best claim (or passage)."""
    parts = words.split()
    return " ".join(parts[:LABEL_WORDS]) + (" …" if len(parts) > LABEL_WORDS else "")


class SupportsToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class AlignedPair:
    """Two passages of different outlets that report the same thing (``a`` < ``b`` by id)."""

    a: str
    b: str
    score: float
    event_id: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EventMember:
    passage_id: str
    score: float  # the best kept score linking this passage to another member
    # (start, end) offsets of the passage's sentences (claims) that put it in the event;
    # empty when an analyst's link did
    claims: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    seq: int
    label: str
    members: tuple[EventMember, ...]
    outlets: int

    @property
    def passage_ids(self) -> list[str]:
        return [m.passage_id for m in self.members]


@dataclass
class AlignmentResult:
    params: SupportsToDict  # the aligner's settings (nato_compare.alignment.AlignParams)
    pairs: list[AlignedPair]
    events: list[Event]
    stats: dict[str, Any]
    # every scored candidate pair (ids) and its score, only with ``align(..., return_scored=True)``
    scored: list[tuple[str, str]] = field(default_factory=list)
    scored_scores: list[float] = field(default_factory=list)
    # the best candidates the run left out, for an analyst to review (evidence may be empty)
    suggestions: list[AlignedPair] = field(default_factory=list)
