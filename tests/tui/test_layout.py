"""The TUI's Textual-widget-free helpers, without an app: read-ahead, scrolling, the counter,
column names."""

from __future__ import annotations

from dataclasses import dataclass

from nato_compare.store.worklist import EventPassage
from nato_compare.tui.layout.header import event_counter
from nato_compare.tui.layout.lines import column_name
from nato_compare.tui.layout.read_ahead import ReadAhead
from nato_compare.tui.layout.scrolling import scroll_to_show, scroll_within


@dataclass
class View:
    name: str
    generation: int = -1


def test_read_ahead_keeps_neighbours_and_drops_what_a_write_made_stale():
    cache: ReadAhead[View] = ReadAhead()
    ids = ["e1", "e2", "e3", "e4"]
    assert cache.to_read(ids, 1) == ["e3", "e1"]  # the next event first
    assert cache.store("e3", View("three"), cache.generation)
    assert cache.to_read(ids, 1) == ["e1"]
    reading_for = cache.generation
    cache.written()  # a label was written while e1 was being read
    assert cache.get("e3") is None
    assert not cache.store("e1", View("one, stale"), reading_for)
    assert cache.get("e1") is None
    # the event left is kept for moving back, unless read before a write
    fresh = View("two", cache.generation)
    cache.keep_for_return("e2", fresh)
    cache.keep_for_return("e4", View("four", reading_for))
    assert cache.get("e2") is fresh and cache.get("e4") is None
    assert cache.to_read(ids, 2) == ["e4"]  # e2 is read already; e3's neighbours only
    assert list(cache.views) == ["e2"]


def test_a_passage_taller_than_the_view_is_read_through_then_left():
    # a passage on lines 10..50 of its column, 20 lines in view
    assert scroll_within(10, 50, 10, 20, +1) == 28  # a view less two lines of overlap
    assert scroll_within(10, 50, 28, 20, +1) == 30  # to its last line, not past it
    assert scroll_within(10, 50, 30, 20, +1) is None  # then the focus moves on
    assert scroll_within(10, 50, 30, 20, -1) == 12
    assert scroll_within(10, 50, 10, 20, -1) is None


def test_showing_a_passage_never_undoes_reading_through_it():
    # taller than the view and partly in view: stays (the old flip back to its top)
    assert scroll_to_show(10, 50, 30, 20) == 30
    assert scroll_to_show(10, 50, 60, 20) == 10  # out of view: its top
    # fits: as little as needed
    assert scroll_to_show(30, 35, 0, 20) == 15
    assert scroll_to_show(5, 8, 10, 20) == 5
    assert scroll_to_show(12, 18, 10, 20) == 10


def test_the_counter_counts_the_listed_events():
    assert event_counter(1, 11, 2, False) == "2/11"
    # the sixth event, second of three found: never "6/3"
    assert event_counter(1, 3, 6, True) == "2/3 · event 6"
    assert event_counter(None, 3, 6, True) == "–/3 · event 6"


def passage(article: str, outlet: str = "unknown", title: str = "Title") -> EventPassage:
    return EventPassage("p", article, 0, "text", outlet, title, "2024-06", 1.0, False)


def test_two_unknown_columns_are_named_apart_by_their_articles():
    first = column_name([passage("unknown-a", title="NATO Defense Ministers Discuss Aid")])
    second = column_name([passage("unknown-b", title="Rutte pledges 40 billion")])
    assert first == "unknown · NATO Defense Ministers Discuss Aid"
    assert second == "unknown · Rutte pledges 40 billion"
    assert column_name([passage("cgtn-1", "CGTN", title="")]) == "CGTN · cgtn-1"


def test_highlighting_calls_shared_what_the_aligners_evidence_calls_shared() -> None:
    from nato_compare.alignment import evidence
    from nato_compare.tui.layout.highlight import shared_words

    a = "NATO is coordinating military aid to Kyiv"
    b = "Allies will coordinate the military aid for Kyiv"
    shared = shared_words({"a": [a], "b": [b]})
    assert shared["a"] == shared["b"] == set(evidence(a, b)["shared_words"])
    assert "coordin" in shared["a"]  # "coordinating" and "coordinate" are one word
