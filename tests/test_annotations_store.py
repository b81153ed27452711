"""Annotation store: labels, notes, undo/redo across restarts, progress, filters, next unannotated."""

from __future__ import annotations

import pytest

from tests.events_fixture import CGTN, HERALD, MINISTERS, insert_seed_events
from nato_compare.errors import NatoCompareError
from nato_compare.store import open_db
import nato_compare.store.annotations as store
from nato_compare.store.worklist import (
    ANNOTATED,
    UNANNOTATED,
    EventFilter,
    event_passages,
    event_progress,
    list_events,
    next_unannotated_event,
)


@pytest.fixture
def db(seed_db):
    insert_seed_events(seed_db)
    database = open_db(seed_db)
    yield database
    database.close()


def pid(db, article, seq):
    return db.execute(
        "SELECT id FROM passages WHERE article_id=? AND seq=?", [article, seq]
    ).fetchone()[0]


def rows(db, annotator="alice"):
    return [
        tuple(r)
        for r in db.execute(
            "SELECT passage_id, dimension, label, note FROM annotations WHERE annotator=? "
            "ORDER BY passage_id, dimension, label",
            [annotator],
        )
    ]


def test_toggle_frame_adds_then_removes_and_keeps_several(db):
    p = pid(db, CGTN, 1)
    store.toggle_label(db, "alice", p, "frame", "Economic")
    store.toggle_label(db, "alice", p, "frame", "Political")
    assert rows(db) == [(p, "frame", "Economic", ""), (p, "frame", "Political", "")]
    store.toggle_label(db, "alice", p, "frame", "Economic")
    assert rows(db) == [(p, "frame", "Political", "")]
    row = db.execute("SELECT id, created_at FROM annotations").fetchone()
    assert len(row[0]) == 32 and row[1].endswith("+00:00")


def test_stance_is_single_label_and_replaces(db):
    p = pid(db, CGTN, 1)
    store.set_single_label(db, "alice", p, "stance", "FAVOR")
    store.set_single_label(db, "alice", p, "stance", "AGAINST")
    assert rows(db) == [(p, "stance", "AGAINST", "")]
    store.set_single_label(db, "alice", p, "stance", None)
    assert rows(db) == []


def test_notes_on_passages_and_events(db):
    p = pid(db, CGTN, 1)
    store.set_passage_note(db, "alice", p, "  quotes Stoltenberg only ")
    store.set_passage_note(db, "alice", p, "quotes Stoltenberg; no Russian view")
    assert rows(db) == [(p, "note", "", "quotes Stoltenberg; no Russian view")]
    assert (
        store.labels_for_passages(db, "alice", [p])[p].note == "quotes Stoltenberg; no Russian view"
    )
    assert (
        store.labels_for_passages(db, "alice", [p])[p].annotated is False
    )  # a note alone is not a label
    store.set_passage_note(db, "alice", p, "")
    assert rows(db) == []
    store.set_event_note(db, "alice", "e-0002", "same pledge, different figures")
    assert store.event_note(db, "alice", "e-0002") == "same pledge, different figures"
    assert store.event_note(db, "bob", "e-0002") == ""


def test_unknown_passage_or_event_is_refused_and_nothing_logged(db):
    with pytest.raises(NatoCompareError, match="no passage p-nope in the database"):
        store.toggle_label(db, "alice", "p-nope", "frame", "Economic")
    with pytest.raises(NatoCompareError, match="no event e-nope in the database"):
        store.set_event_note(db, "alice", "e-nope", "x")
    assert db.execute("SELECT count(*) FROM action_log").fetchone()[0] == 0


def test_undo_and_redo_restore_rows_with_their_ids(db):
    p = pid(db, CGTN, 1)
    store.toggle_label(db, "alice", p, "frame", "Economic")
    first_id = db.execute("SELECT id FROM annotations").fetchone()[0]
    store.set_single_label(db, "alice", p, "stance", "FAVOR")
    store.set_single_label(db, "alice", p, "stance", "AGAINST")

    assert store.undo(db, "alice")["description"] == "stance = AGAINST"
    assert rows(db) == [(p, "frame", "Economic", ""), (p, "stance", "FAVOR", "")]
    store.undo(db, "alice")
    store.undo(db, "alice")
    assert rows(db) == []
    assert store.undo(db, "alice") is None

    store.redo(db, "alice")
    assert rows(db) == [(p, "frame", "Economic", "")]
    assert db.execute("SELECT id FROM annotations").fetchone()[0] == first_id
    store.redo(db, "alice")
    assert rows(db) == [(p, "frame", "Economic", ""), (p, "stance", "FAVOR", "")]


def test_a_new_action_clears_the_redo_stack(db):
    p = pid(db, CGTN, 1)
    store.toggle_label(db, "alice", p, "frame", "Economic")
    store.undo(db, "alice")
    store.toggle_label(db, "alice", p, "frame", "Morality")
    assert store.redo(db, "alice") is None
    assert rows(db) == [(p, "frame", "Morality", "")]


def test_undo_survives_reopening_the_database(seed_db):
    insert_seed_events(seed_db)
    db = open_db(seed_db)
    p = pid(db, CGTN, 1)
    store.toggle_label(db, "alice", p, "frame", "Economic")
    store.set_event_note(db, "alice", "e-0001", "first")
    db.close()
    db = open_db(seed_db)
    assert store.undo(db, "alice")["kind"] == "event_note"
    assert store.event_note(db, "alice", "e-0001") == ""
    db.close()
    db = open_db(seed_db)
    store.undo(db, "alice")
    assert rows(db) == []
    store.redo(db, "alice")
    assert rows(db) == [(p, "frame", "Economic", "")]
    db.close()


def test_undo_is_per_annotator(db):
    p = pid(db, CGTN, 1)
    store.toggle_label(db, "alice", p, "frame", "Economic")
    store.toggle_label(db, "bob", p, "frame", "Political")
    store.undo(db, "alice")
    assert rows(db, "alice") == [] and rows(db, "bob") == [(p, "frame", "Political", "")]


def test_adjudication_view_lists_every_annotator(db):
    p = pid(db, CGTN, 1)
    store.toggle_label(db, "alice", p, "frame", "Economic")
    store.set_single_label(db, "bob", p, "stance", "AGAINST")
    store.set_passage_note(db, "bob", p, "hedged")
    view = store.all_annotators_labels(db, p)
    assert list(view) == ["alice", "bob"]
    assert view["alice"].labels == {"frame": ["Economic"]}
    assert view["bob"].labels == {"stance": ["AGAINST"]} and view["bob"].note == "hedged"


def test_event_list_progress_counts_labelled_passages_of_this_annotator(db):
    first = event_passages(db, "e-0001")
    store.toggle_label(db, "alice", first[0].id, "frame", "Economic")
    store.set_single_label(db, "alice", first[1].id, "stance", "NONE")
    store.set_passage_note(db, "alice", first[2].id, "note only")
    store.toggle_label(db, "bob", first[3].id, "frame", "Economic")
    events = list_events(db, "alice")
    assert [(e.id, e.done, e.total) for e in events] == [
        ("e-0001", 2, 4),
        ("e-0002", 0, 3),
        ("e-0003", 0, 3),
    ]
    assert event_progress(db, "alice", "e-0001") == (2, 4)
    assert event_progress(db, "bob", "e-0001") == (1, 4)


def test_complete_coding_needs_every_required_dimension(db):
    first = event_passages(db, "e-0001")
    required = ("frame", "stance")
    store.toggle_label(db, "alice", first[0].id, "frame", "Economic")  # partial: no stance
    store.toggle_label(db, "alice", first[1].id, "frame", "Economic")
    store.set_single_label(db, "alice", first[1].id, "stance", "NONE")  # complete
    store.set_passage_note(db, "alice", first[2].id, "a note is not coding")
    event = list_events(db, "alice", required=required)[0]
    assert (event.done, event.partial, event.total) == (1, 1, 4)
    assert event_progress(db, "alice", "e-0001", required) == (1, 4)
    labels = store.labels_for_passages(db, "alice", [first[0].id])[first[0].id]
    assert labels.missing(required) == ["stance"] and not labels.complete(required)
    # the status filter and "next unannotated" count complete coding only
    for p in first:
        store.set_single_label(db, "alice", p.id, "stance", "FAVOR")
    assert next_unannotated_event(db, "alice", 0, required=required) == "e-0001"
    assert [e.id for e in list_events(db, "alice", EventFilter(status=ANNOTATED), required)] == []
    for p in first:
        if p.id != first[1].id:
            store.toggle_label(db, "alice", p.id, "frame", "Political")
    assert next_unannotated_event(db, "alice", 0, required=required) == "e-0002"
    assert [e.id for e in list_events(db, "alice", EventFilter(status=ANNOTATED), required)] == [
        "e-0001"
    ]


def test_blind_coding_refuses_others_labels_until_coded_completely(db):
    p = pid(db, CGTN, 1)
    required = ("frame", "stance")
    store.set_single_label(db, "bob", p, "stance", "AGAINST")
    with pytest.raises(store.BlindCoding, match="still missing: frame, stance"):
        store.compare_labels(db, "alice", p, required)
    store.toggle_label(db, "alice", p, "frame", "Economic")
    with pytest.raises(store.BlindCoding, match="still missing: stance"):
        store.compare_labels(db, "alice", p, required)
    assert list(store.compare_labels(db, "carol", p, required, adjudicator=True)) == [
        "alice",
        "bob",
    ]
    store.set_single_label(db, "alice", p, "stance", "FAVOR")
    assert store.compare_labels(db, "alice", p, required)["bob"].labels == {"stance": ["AGAINST"]}


def test_event_passages_are_grouped_by_outlet_column(db):
    passages = event_passages(db, "e-0001")
    assert [p.outlet for p in passages] == [
        "CGTN",
        "ICARO Media Group",
        "The Eastern Herald",
        "unknown",
    ]
    assert passages[3].column == f"unknown:{MINISTERS}"


def test_filters(db):
    herald = pid(db, HERALD, 13)
    store.toggle_label(db, "alice", herald, "frame", "Economic")
    ids = lambda flt: [e.id for e in list_events(db, "alice", flt)]  # noqa: E731
    assert ids(EventFilter(outlet="ICARO Media Group")) == ["e-0001"]
    assert ids(EventFilter(outlet="The Eastern Herald")) == ["e-0001", "e-0003"]
    assert ids(EventFilter(label=("frame", "Economic"))) == ["e-0003"]
    assert ids(EventFilter(text="40 BILLION")) == ["e-0002"]
    assert ids(EventFilter(text="100%_")) == []  # LIKE wildcards are matched literally
    for p in event_passages(db, "e-0002"):
        store.set_single_label(db, "alice", p.id, "stance", "NONE")
    assert ids(EventFilter(status=ANNOTATED)) == ["e-0002"]
    assert ids(EventFilter(status=UNANNOTATED)) == ["e-0001", "e-0003"]
    assert ids(EventFilter(outlet="CGTN", status=UNANNOTATED, text="artillery")) == ["e-0003"]
    assert ids(EventFilter(text="ammunition")) == ["e-0001", "e-0003"]


def test_next_unannotated_event_skips_done_ones_and_wraps(db):
    for p in event_passages(db, "e-0002"):
        store.set_single_label(db, "alice", p.id, "stance", "NONE")
    assert next_unannotated_event(db, "alice", after_seq=1) == "e-0003"
    assert next_unannotated_event(db, "alice", after_seq=3) == "e-0001"
    assert (
        next_unannotated_event(
            db, "alice", after_seq=1, flt=EventFilter(outlet="ICARO Media Group")
        )
        == "e-0001"
    )
    for event in ("e-0001", "e-0003"):
        for p in event_passages(db, event):
            store.toggle_label(db, "alice", p.id, "frame", "Other")
    assert next_unannotated_event(db, "alice", after_seq=1) is None
    assert next_unannotated_event(db, "bob", after_seq=1) == "e-0002"


def test_only_the_latest_alignment_run_is_listed(db):
    with db.atomic():
        run = db["align_runs"].insert({"started_at": "x", "params": "{}"}).last_pk
        db["events"].insert(
            {"id": "e-new", "run_id": run, "seq": 1, "label": "new", "passages": 1, "outlets": 1}
        )
        db["event_passages"].insert(
            {"event_id": "e-new", "passage_id": pid(db, CGTN, 0), "score": 1.0}
        )
    assert [e.id for e in list_events(db, "alice")] == ["e-new"]
