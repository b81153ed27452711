"""The event header's counter: where the event is in the list the annotator sees."""

from __future__ import annotations


def event_counter(position: int | None, listed: int, seq: int, filtered: bool) -> str:
    """ "2/3" for the second of three listed events; with a filter or search, the event's own
    number too ("2/3 · event 6"), never the event number over the filtered count ("6/3").
    ``position`` is 0-based, ``None`` when the event is not in the list (or it is not read)."""
    shown = f"{position + 1}" if position is not None else "–"
    counter = f"{shown}/{listed or '?'}"
    return f"{counter} · event {seq}" if filtered else counter
