"""Fault suite, terminal: text from sources and users is shown, never obeyed.

Before, an OSC sequence in a passage or note changed the window title, ESC[H drew over the
header, and markup in an outlet name was interpreted in the column border.
"""

from __future__ import annotations

from tests.tui.helpers import screen, settle, widget_text
from tests.tui.test_real_terminal import ANSI, nato_compare_command, terminal  # noqa: F401  (a fixture)
from textual.content import Content

from tests.hostile import MARKUP, OUTLET_A, OUTLET_B, build_hostile_db
from nato_compare.tui.app import make_app
from nato_compare.tui.widgets.outlet_column import OutletColumn

SHOWN_PASSAGE = f"Troops ␛]0;TITLE␇moved ␛[Hnear {MARKUP} the border"
SHOWN_NOTE = f"note ␛]0;TITLE␇and ␛[Hand {MARKUP} end"


def shown_passages(app) -> list[str]:
    return [widget_text(ref) for column in screen(app).grid for ref in column]


async def test_control_characters_and_markup_are_shown_as_text(tmp_path):
    db = build_hostile_db(tmp_path)
    app = make_app(db, "=bob")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket")  # it opens where bob stopped: the first event
        await settle(pilot)
        shown = shown_passages(app)
        await pilot.press("right_square_bracket")  # the second (and last) event
        await settle(pilot)
        shown += shown_passages(app)
        assert any(SHOWN_PASSAGE in text for text in shown)
        assert any(SHOWN_NOTE in text for text in shown)
        assert not any("\x1b" in text or "\x07" in text for text in shown)
        titles = {
            Content.from_markup(c.border_title).plain.split(" · ")[0]  # outlet · article title
            for c in app.screen.query(OutletColumn)
        }
        assert {OUTLET_A, OUTLET_B} <= titles  # the names as written, markup and all
        header = widget_text(screen(app).query_one("#event-header"))
        assert "\x1b" not in header
        await pilot.press("m")  # the note editor: its title names the outlet
        await settle(pilot)
        assert "\x1b" not in str(app.screen.query_one(".dialog-title").render())


def painted(app) -> str:
    """What the app drew, without its own escape sequences (styles, cursor moves)."""
    with app._lock:
        return ANSI.sub(b"", bytes(app.output)).decode("utf-8", "replace")


def test_the_real_terminal_gets_no_escape_sequence_from_the_data(tmp_path, terminal):  # noqa: F811
    db = build_hostile_db(tmp_path)
    app = terminal([*nato_compare_command(), "tui", "--db", str(db), "--annotator", "=bob"])
    # where bob stopped, with the event list read (its mark on the event shown)
    app.wait_until(lambda: "▸" in painted(app), "an event and the list", 60)
    app.press("[")  # the first event
    app.wait_until(lambda: "1/2 Second paragraph" in painted(app), "the first event", 30)
    app.press("]")  # the second event
    app.wait_until(lambda: "␛]0;TITLE␇" in painted(app), "the hostile passage", 30)
    assert not app.shows(rb"\x1b\]0;TITLE")  # the window title is left alone
    app.wait_until(lambda: "␛[Hand" in painted(app), "the hostile note", 10)
    assert not app.shows(rb"\x1b\[H(near|and)")  # the cursor is not sent home by the data
    assert "[red]x[/red]" in painted(app)  # markup in the text shown as written


def test_the_reviews_suggestions_and_search_results_are_shown_as_text(tmp_path):
    from nato_compare.store import open_db
    from nato_compare.tui import review_data

    db = open_db(build_hostile_db(tmp_path))
    try:
        calm = db.execute(
            "SELECT p.id FROM passages p JOIN articles a ON a.id = p.article_id "
            "WHERE a.outlet = ? ORDER BY p.seq LIMIT 1",
            [OUTLET_B],
        ).fetchone()[0]
        found = review_data.search(db, "no-event", [calm], calm, "officials")
    finally:
        db.close()
    hostile = [c for c in found if c.outlet == OUTLET_A]
    assert hostile and hostile[0].text.startswith("Troops ␛]0;TITLE␇moved ␛[Hnear [red]x[/red]")
