"""Reviewing the alignment in the app: every judgement key, undo/redo, restart, the evidence,
the suggestions list and attaching, and the notice when an event changed since last seen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.tui.helpers import db_rows, focused_passage, screen, settle, widget_text

from tests.events_fixture import CGTN, HERALD, ICARO, MINISTERS, RUTTE
from nato_compare.normalize import word_form
from nato_compare.store import open_db
from nato_compare.store.judgements import ordered
from nato_compare.tui.app import make_app
from nato_compare.tui.screens.review_dialogs import AttachScreen, EvidenceScreen, TitleScreen
from nato_compare.tui.widgets.event_list import EventList
from nato_compare.tui.widgets.evidence import EvidenceBar
from nato_compare.tui.widgets.outlet_column import OutletColumn

SIZE = (160, 45)


def pid(db_path: Path, article: str, seq: int) -> str:
    return db_rows(
        db_path, "SELECT id FROM passages WHERE article_id = ? AND seq = ?", (article, seq)
    )[0][0]


def first_sentence(text: str) -> dict:
    end = text.index(".") + 1
    return {"start": 0, "end": end, "text": text[:end]}


@pytest.fixture
def review_db(fixed_event_db: Path) -> Path:
    """The three fixed events, with a scored pair in e-0001 (CGTN 1 ↔ ICARO 0, 85%, whose
    matched sentences are each passage's first), and a suggestion: RUTTE 0 for ICARO 0."""
    db = open_db(fixed_event_db)
    cgtn, icaro, rutte = (
        pid(fixed_event_db, CGTN, 1),
        pid(fixed_event_db, ICARO, 0),
        pid(fixed_event_db, RUTTE, 0),
    )
    text = {r[0]: r[1] for r in db.execute("SELECT id, text FROM passages")}
    run = db.execute("SELECT max(id) FROM align_runs").fetchone()[0]
    a, b = ordered(cgtn, icaro)
    evidence = {
        "shared_entities": ["Stoltenberg"],
        "shared_numbers": ["40 billion"],
        "shared_words": ["support"],
        "claim_a": first_sentence(text[a]),
        "claim_b": first_sentence(text[b]),
    }
    with db.atomic():
        db["alignments"].insert(
            {
                "run_id": run,
                "passage_a": a,
                "passage_b": b,
                "score": 85.0,
                "event_id": "e-0001",
                "evidence": json.dumps(evidence),
            }
        )
        a, b = ordered(icaro, rutte)
        db["suggestions"].insert(
            {
                "run_id": run,
                "passage_a": a,
                "passage_b": b,
                "score": 47.0,
                "event_id": None,
                "evidence": json.dumps({"shared_entities": ["Rutte"]}),
            }
        )
    db.close()
    return fixed_event_db


def judgements(db_path: Path, annotator: str = "alice") -> list[tuple]:
    return db_rows(
        db_path,
        "SELECT kind, passage_a, passage_b, event_id, verdict, note, via FROM judgements "
        "WHERE annotator = ? ORDER BY kind, passage_a, passage_b",
        (annotator,),
    )


def members(db_path: Path, event_id: str) -> set[str]:
    return {
        r[0]
        for r in db_rows(
            db_path, "SELECT passage_id FROM event_passages WHERE event_id = ?", (event_id,)
        )
    }


def bar_text(app) -> str:
    return widget_text(screen(app).query_one(EvidenceBar))


@pytest.mark.parametrize(
    ("score", "shown", "colour"),
    [
        (49.5, "49%", "yellow"),
        (50.0, "50%", "green"),
        (32.0, "32%", "yellow"),
        (31.9, "31%", "red"),
    ],
)
async def test_a_score_reads_as_its_colour_says(
    review_db: Path, score: float, shown: str, colour: str
) -> None:
    # green from 50 (more likely the same fact than not), yellow from the default threshold of
    # 32, red below (docs/reviewing.md): the number shown never contradicts its colour
    db = open_db(review_db)
    with db.atomic():
        db.execute("UPDATE alignments SET score = ?", (score,))
    db.close()
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        content = screen(app).query_one(EvidenceBar).content
        line = content.renderables[0] if hasattr(content, "renderables") else content
        assert f"ICARO Media Group ¶1: {shown} same fact" in line.plain
        at = line.plain.index(f": {shown}") + 2
        styles = [str(span.style) for span in line.spans if span.start <= at < span.end]
        assert any(colour in style for style in styles), styles
        columns = {c.border_title.split(" · ")[0]: c for c in screen(app).query(OutletColumn)}
        assert columns["ICARO Media Group"].border_subtitle == shown


async def test_evidence_is_shown_compactly_and_in_full(review_db: Path) -> None:
    cgtn, icaro = pid(review_db, CGTN, 1), pid(review_db, ICARO, 0)
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert focused_passage(app).passage.id == cgtn
        text = bar_text(app)
        # the best scored partner first: ICARO, 85%, with the amounts, names and the sentence
        assert "¶2 ↔ ICARO Media Group ¶1: 85% same fact" in text
        assert "amounts: 40 billion · names: Stoltenberg · words: support" in text
        icaro_text = db_rows(review_db, "SELECT text FROM passages WHERE id = ?", (icaro,))[0][0]
        cgtn_text = db_rows(review_db, "SELECT text FROM passages WHERE id = ?", (cgtn,))[0][0]
        assert "matched: " + cgtn_text[: cgtn_text.index(".") + 1][:40] in text
        # the column headers: ICARO's score against the focused passage; unscored ones "–"
        columns = {  # the border: outlet · article title
            c.border_title.split(" · ")[0]: c for c in screen(app).query(OutletColumn) if c.display
        }
        assert columns["ICARO Media Group"].border_subtitle == "85%"
        assert columns["The Eastern Herald"].border_subtitle == "–"
        # the next partner: not scored directly
        await pilot.press("full_stop")
        assert "(joined through others)" in bar_text(app)
        await pilot.press("comma")
        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EvidenceScreen)
        body = dialog.query_one("#evidence-body").content
        assert "85%  ICARO Media Group ¶1" in body.plain
        # the matched sentence is marked inside each passage
        for passage_text in (cgtn_text, icaro_text):
            start = body.plain.index(passage_text)
            end = start + passage_text.index(".") + 1
            assert any(
                s.style == "reverse underline" and (s.start, s.end) == (start, end)
                for s in body.spans
            )
        await pilot.press("escape")
        assert not isinstance(app.screen, EvidenceScreen)


async def test_each_judgement_key_writes_and_undo_redo_restore(review_db: Path) -> None:
    cgtn, icaro = pid(review_db, CGTN, 1), pid(review_db, ICARO, 0)
    link = ordered(cgtn, icaro)
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert judgements(review_db) == [("link", *link, "", "same", "", "accept")]
        assert "✓ accepted" in bar_text(app)
        assert screen(app).query_one("#columns").query(OutletColumn)[1].border_subtitle == "85% ✓"
        await pilot.press("d")
        await settle(pilot)
        assert judgements(review_db) == [("link", *link, "", "different", "", "reject")]
        await pilot.press("u")
        await settle(pilot)
        assert judgements(review_db) == [("link", *link, "", "same", "", "accept")]
        await pilot.press("r")
        await settle(pilot)
        assert judgements(review_db)[0][4] == "different"

        for key, verdict, mark in (("F", "same_fact", "="), ("T", "same_theme", "≈")):
            await pilot.press(key)
            await settle(pilot)
            assert ("event", "", "", "e-0001", verdict, "", "") in judgements(review_db)
            assert f"◧4 {mark} " in screen(app).query_one(EventList).prompt_at(0)
        await pilot.press("U")
        await settle(pilot)
        assert ("event", "", "", "e-0001", "unrelated", "", "") in judgements(review_db)
        assert "event: unrelated" in bar_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert ("event", "", "", "e-0001", "same_theme", "", "") in judgements(review_db)

        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press(*"NATO hands aid coordination", "enter")
        await settle(pilot)
        assert ("title", "", "", "e-0001", "title", "NATO hands aid coordination", "") in (
            judgements(review_db)
        )
        assert "NATO hands aid coordination" in widget_text(screen(app).query_one("#event-header"))
        assert "NATO hands aid coordination" in screen(app).query_one(EventList).prompt_at(0)

        # detach the focused passage: out of the event, apart from each other member
        before = members(review_db, "e-0001")
        assert focused_passage(app).passage.id == cgtn  # kept through every reload
        await pilot.press("b")
        await settle(pilot)
        assert members(review_db, "e-0001") == before - {cgtn}
        apart = {(r[1], r[2]) for r in judgements(review_db) if r[6] == "detach"}
        assert apart == {ordered(cgtn, other) for other in before - {cgtn}}
        shown = {ref.passage.id for column in screen(app).grid for ref in column}
        assert shown == before - {cgtn}
        await pilot.press("u")
        await settle(pilot)
        assert members(review_db, "e-0001") == before
        assert {ref.passage.id for column in screen(app).grid for ref in column} == before
        # bob sees none of it (blind, per annotator)
        assert judgements(review_db, "bob") == []


async def test_judgements_survive_a_restart(review_db: Path) -> None:
    cgtn, icaro = pid(review_db, CGTN, 1), pid(review_db, ICARO, 0)
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d", "F")
        await settle(pilot)
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "◧4 = " in screen(app).query_one(EventList).prompt_at(0)
        assert "¶2 ↔ ICARO Media Group ¶1: 85% same fact ✗ rejected" in bar_text(app)
        assert "event: same fact" in bar_text(app)
        await pilot.press("u")  # the undo log survives too
        await settle(pilot)
        assert judgements(review_db) == [
            ("link", *ordered(cgtn, icaro), "", "different", "", "reject")
        ]


async def test_attach_from_the_suggestions_and_from_a_search(review_db: Path) -> None:
    icaro, rutte = pid(review_db, ICARO, 0), pid(review_db, RUTTE, 0)
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AttachScreen)
        first = dialog.candidates[0]
        assert (first.passage_id, first.anchor_id, first.score) == (rutte, icaro, 47.0)
        option = dialog.query_one("#candidates").get_option_at_index(0).prompt.plain
        assert option.startswith("47%  unknown ¶1: ")
        assert "with ICARO Media Group ¶1 · names: Rutte" in option
        await pilot.press("enter")
        await settle(pilot)
        assert rutte in members(review_db, "e-0001")
        assert rutte in {ref.passage.id for column in screen(app).grid for ref in column}
        assert ("link", *ordered(icaro, rutte), "", "same", "", "attach") in judgements(review_db)

        # a search: a passage of another event, by its words
        herald = pid(review_db, HERALD, 13)
        words = db_rows(review_db, "SELECT text FROM passages WHERE id = ?", (herald,))[0][0]
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*words[:30])
        await settle(pilot)
        found = [c.passage_id for c in app.screen.candidates]
        assert found[0] == herald
        await pilot.press("enter")
        await settle(pilot)
        assert herald in members(review_db, "e-0001")
        focused = focused_passage(app).passage.id
        assert ("link", *ordered(herald, focused), "", "same", "", "attach") in judgements(
            review_db
        ) or herald == focused
        await pilot.press("u", "u")
        await settle(pilot)
        assert not {herald, rutte} & members(review_db, "e-0001")


async def test_the_app_says_when_an_event_was_split_since_last_seen(review_db: Path) -> None:
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⚠" not in bar_text(app)
    # a new alignment takes MINISTERS 3 out of e-0001 into an event of its own
    db = open_db(review_db)
    moved = pid(review_db, MINISTERS, 3)
    with db.atomic():
        db.execute("DELETE FROM event_passages WHERE passage_id = ?", [moved])
    db.close()
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⚠ split: 1 passage(s) you saw with these are elsewhere now" in bar_text(app)
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⚠" not in bar_text(app)  # seen as it is now


def test_reviewing_page_documents_every_review_key() -> None:
    from nato_compare.tui.bindings import REVIEW_BINDINGS

    page = (Path(__file__).resolve().parents[2] / "docs" / "reviewing.md").read_text("utf-8")
    table = page.split("## Keys", 1)[1].split("## ", 1)[0]
    for binding in REVIEW_BINDINGS:
        assert f"`{binding.key_display or binding.key}`" in table, binding


async def test_titles_and_evidence_from_the_database_are_data_not_control(review_db: Path) -> None:
    from nato_compare.store.judgements import set_event_title

    db = open_db(review_db)
    set_event_title(db, "alice", "e-0001", "\x1b]0;pwned\x07 title")
    run = db.execute("SELECT max(id) FROM align_runs").fetchone()[0]
    with db.atomic():
        db.execute(
            "UPDATE alignments SET evidence = ? WHERE run_id = ?",
            [json.dumps({"shared_entities": ["\x1b[2JWipe"]}), run],
        )
    db.close()
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = widget_text(screen(app).query_one("#event-header"))
        assert "␛]0;pwned␇ title" in header and "\x1b" not in header
        assert "␛]0;pwned␇ title" in screen(app).query_one(EventList).prompt_at(0)
        assert "names: ␛[2JWipe" in bar_text(app) and "\x1b" not in bar_text(app)


async def test_the_shared_words_read_as_the_sentences_write_them(review_db: Path) -> None:
    # the evidence keeps the aligner's stems; the bar shows the words of the matched sentence
    db = open_db(review_db)
    try:
        (evidence,) = db.execute("SELECT evidence FROM alignments").fetchone()
        found = json.loads(evidence)
        word = next(
            w
            for w in re.findall(r"[A-Za-z]+", found["claim_a"]["text"])
            if word_form(w) not in (w, w.lower(), "") and len(w) > 4
        )
        found["shared_words"] = [word_form(word)]
        with db.atomic():
            db.execute("UPDATE alignments SET evidence = ?", [json.dumps(found)])
    finally:
        db.close()
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"words: {word}" in bar_text(app)


async def test_the_analysts_own_attach_detach_and_undo_raise_no_changed_notice(
    review_db: Path,
) -> None:
    """The "⚠ … since you last saw it" notice is about alignment runs; what the analyst just
    did on screen is what they saw."""
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⚠" not in bar_text(app)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")  # attach the first suggestion
        await settle(pilot)
        assert "⚠" not in bar_text(app)
        await pilot.press("b")  # detach the focused passage
        await settle(pilot)
        assert "⚠" not in bar_text(app)
        await pilot.press("u", "u")
        await settle(pilot)
        assert "⚠" not in bar_text(app)
    # and a restart shows no notice either: the event is as the analyst left it
    app = make_app(review_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⚠" not in bar_text(app)
