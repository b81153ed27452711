"""What the event view shows and how it answers the mouse: outlets and titles on top,
highlighting, the keys in the footer and label bar, clicks and the wheel, and a screen that
keeps answering while the database is busy."""

from __future__ import annotations

import json
import threading

from tests.tui.helpers import focused_passage, labels_of, painted_text, screen, settle, widget_text
from rich.color import Color
from rich.style import Style
from textual.widgets._footer import FooterKey

from nato_compare.store import open_db
from nato_compare.store.worklist import event_passages, list_events
from nato_compare.tui import data
from nato_compare.tui.app import make_app
from nato_compare.tui.layout.highlight import AMOUNT_STYLE, OWN_STYLE, SHARED_STYLE
from nato_compare.tui.screens.help_screen import HelpScreen
from nato_compare.tui.widgets.event_list import EventList
from nato_compare.tui.widgets.label_bar import LabelBar
from nato_compare.tui.widgets.outlet_column import OutletColumn


def first_event(db_path):
    db = open_db(db_path)
    try:
        event = list_events(db, "alice")[0]
        return event, event_passages(db, event.id)
    finally:
        db.close()


def shown_columns(app) -> list[OutletColumn]:
    return [c for c in screen(app).query(OutletColumn) if c.display]


def painted_colours(column: OutletColumn) -> set[str]:
    """The foreground colours (as #rrggbb) of every cell the column paints."""
    colours = set()
    for y in range(column.scrollable_content_region.height):
        for segment in column.render_line(y):
            if segment.text.strip() and segment.style and segment.style.color:
                colours.add(segment.style.color.get_truecolor().hex)
    return colours


def hex_colour(style: str) -> str:
    colour = next(w for w in style.split() if w.startswith("#"))
    return Color.parse(colour).get_truecolor().hex


async def test_each_column_has_its_outlet_on_the_border_and_the_article_title_on_top(
    fixed_event_db,
):
    event, passages = first_event(fixed_event_db)
    app = make_app(fixed_event_db, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        columns = shown_columns(app)
        by_column = {}
        for passage in passages:
            by_column.setdefault(passage.column, passage)
        assert [c.key for c in columns] == list(by_column)
        for column in columns:
            passage = by_column[column.key]
            # outlet and article title on the border: two "unknown" columns are told apart
            # whatever is scrolled into view
            assert column.border_title == f"{passage.outlet} · {passage.title}"
            assert painted_text(column).startswith(
                " ".join((passage.title or passage.article_id).split())
            )


async def test_shared_words_own_words_and_amounts_are_painted_apart(fixed_event_db):
    # the fixed events are each reported by three or four outlets, with amounts in them
    app = make_app(fixed_event_db, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        colours = set().union(*(painted_colours(c) for c in shown_columns(app)))
        for style in (SHARED_STYLE, OWN_STYLE, AMOUNT_STYLE):
            assert hex_colour(style) in colours, style
        header = " ".join(str(screen(app).query_one("#event-header").content).split())
        assert "shared with other outlets only this outlet 40 billion" in header


async def test_the_footer_and_label_bar_show_the_keys(event_db):
    app = make_app(event_db, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        footer = {(k.key_display, k.description) for k in app.screen.query(FooterKey)}
        for shown in (
            ("n", "Next to code"),
            ("u", "Undo"),
            ("r", "Redo"),
            ("?", "Help"),
            ("]", "Next event"),
            ("a", "All annotators"),
        ):
            assert shown in footer
        bar = str(screen(app).query_one(LabelBar).content)
        for label in (
            app.codebook.dimension("frame").labels + app.codebook.dimension("stance").labels
        ):
            assert f"{label.key} {label.name.split()[0].rstrip(',')}" in bar


async def test_clicking_a_passage_focuses_it_and_its_keys_label_it(long_column_db):
    app = make_app(long_column_db, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        view = screen(app)
        # the last passage of a column with several: focusing the column alone would not reach it
        ref = next(column[-1] for column in view.grid if len(column) > 1)
        column = ref.column
        top, _ = ref.span
        column.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()
        # one cell in from the left border, on the passage's first line
        assert await pilot.click(column, offset=(3, 1 + top - int(column.scroll_y)))
        await settle(pilot)
        assert focused_passage(app) is ref
        await pilot.press("5")
        await settle(pilot)
        assert labels_of(long_column_db, ref.passage.id) == [
            ("frame", "Legality, constitutionality and jurisprudence")
        ]
        # a click on the column's titles (no passage there) leaves the focus where it was
        column.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        await pilot.click(column, offset=(3, 1))
        await settle(pilot)
        assert focused_passage(app) is ref


async def test_the_screen_answers_keys_while_the_database_is_busy(event_db, monkeypatch):
    """Opening a large database keeps the interface responsive: queries run on the database
    thread, so the first event is shown and the help screen opens while the event list (every
    event's progress, the slow query) is still being read."""
    release = threading.Event()
    started = threading.Event()
    real_load_events = data.load_events

    def slow_load_events(*args):
        started.set()
        release.wait(20)
        return real_load_events(*args)

    monkeypatch.setattr(data, "load_events", slow_load_events)
    app = make_app(event_db, "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            for _ in range(200):
                await pilot.pause(0.01)
                if started.is_set():
                    break
            assert started.is_set()
            assert screen(app).query_one(EventList).events == []
            # the first event is read first and on screen already: the list comes after it
            assert screen(app).view is not None and focused_passage(app) is not None
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)
        finally:
            release.set()
        await settle(pilot)
        assert len(screen(app).query_one(EventList).events) >= 2


async def test_the_focused_passage_is_shaded_not_painted_white(event_db):
    # the theme's $boost is translucent: painted as it is, it turned the focused passage white
    # and its grey words unreadable
    app = make_app(event_db, "alice")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        column = focused_passage(app).column
        backgrounds = {
            segment.style.bgcolor.get_truecolor().hex
            for y in range(column.scrollable_content_region.height)
            for segment in column.render_line(y)
            if segment.text.strip() and segment.style and segment.style.bgcolor
        }
        column_background = column.background_colors[1].hex.lower()
        backgrounds -= {Style.parse(AMOUNT_STYLE).bgcolor.get_truecolor().hex}  # amounts marked
        assert "#ffffff" not in backgrounds
        assert len(backgrounds - {column_background}) == 1  # the focused passage: a shade
        shade = (backgrounds - {column_background}).pop()
        assert (
            sum(
                abs(int(shade[i : i + 2], 16) - int(column_background[i : i + 2], 16))
                for i in (1, 3, 5)
            )
            < 60
        )  # close to the column's own background


async def test_at_80x24_two_outlet_columns_the_list_collapsed_and_the_most_used_keys(
    fixed_event_db,
):
    app = make_app(fixed_event_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = screen(app)
        events_list = view.query_one(EventList)
        assert not events_list.display  # collapsed: the columns take the width
        columns = shown_columns(app)
        assert len(columns) >= 3  # the first fixed event has more outlets than fit
        in_view = [c for c in columns if c.region.width and c.region.right <= 80]
        assert len(in_view) == 2 and all(c.region.width >= 38 for c in in_view)
        header = widget_text(view.query_one("#event-header"))
        assert f"outlets 1–2 of {len(columns)} (< > more)" in header
        footer = [(k.key_display, k.description) for k in app.screen.query(FooterKey)]
        assert footer == [
            ("]", "Next event"),
            ("n", "Next to code"),
            ("u", "Undo"),
            ("m", "Note"),
            ("/", "Search"),
            ("v", "Events"),
            ("?", "Help"),
            ("q", "Quit"),
        ]
        assert all(k.region.right <= 80 and k.region.width for k in app.screen.query(FooterKey))
        # > pages to the next two outlets, the focus along; < back
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert focused_passage(app).column is columns[2]
        assert f"outlets 3–{min(4, len(columns))} of {len(columns)}" in widget_text(
            view.query_one("#event-header")
        )
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert focused_passage(app).column is columns[0]
        # v (or Tab) shows the list; Tab goes back to the passage and collapses it again
        await pilot.press("tab")
        await settle(pilot)
        assert events_list.display and app.focused is events_list
        await pilot.press("tab")
        await settle(pilot)
        assert not events_list.display and focused_passage(app).column is columns[0]
        await pilot.press("v")
        await settle(pilot)
        assert events_list.display and app.focused is events_list
        await pilot.press("v")
        await settle(pilot)
        assert not events_list.display and focused_passage(app).column is columns[0]


async def test_the_stance_target_and_the_focused_labels_definition_are_shown(event_db):
    app = make_app(event_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = screen(app).query_one("#definition")
        assert "Stance → NATO military support to Ukraine" in widget_text(line)
        await pilot.press("8")
        await settle(pilot)
        assert "8 Security and defense: Threats to the welfare" in widget_text(line)
        await pilot.press("minus")
        await settle(pilot)
        assert "- AGAINST: Opposes or presents unfavourably" in widget_text(line)
        await pilot.press("right_square_bracket")  # a passage without labels
        await settle(pilot)
        assert "? shows every label's definition" in widget_text(line)


async def test_the_note_dialog_leaves_the_noted_passage_in_view(long_column_db):
    app = make_app(long_column_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "m")
        await settle(pilot)
        dialog = app.screen.query_one("#note-dialog")
        passage = screen(app).focused_passage
        column = passage.column
        top, _ = passage.span
        first_line = column.content_region.y + top - int(column.scroll_y)
        assert column.content_region.y <= first_line < dialog.region.y - 2
        assert dialog.region.bottom == 24


async def test_the_sentences_that_put_a_passage_in_the_event_are_underlined(event_db):
    # the seeds' first event: the yearly aid level, which the June article's ¶8 states in its
    # second sentence ("He calculates … $40 billion") and not in its first
    app = make_app(event_db, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        underlined, painted = [], []
        for column in shown_columns(app):
            for y in range(column.scrollable_content_region.height):
                for segment in column.render_line(y):
                    painted.append(segment.text)
                    if segment.style is not None and segment.style.underline:
                        underlined.append(segment.text)
        # lines wrap anywhere: compared without spaces
        underlined_text, painted_text_ = (
            "".join("".join(x).split()) for x in (underlined, painted)
        )
        assert "AccordingtoMr.Stoltenberg" in painted_text_
        assert "Hecalculatesthattheannualequipmentvalueisapproximately" in underlined_text
        assert "AccordingtoMr.Stoltenberg" not in underlined_text
        header = " ".join(str(screen(app).query_one("#event-header").content).split())
        assert "the claim aligned" in header


def two_fact_db(fixed_event_db):
    """The fixed events, with the Ministers article's ¶9 standing in two more of them: in e-0002
    (the 40 billion pledge) by its second sentence, in e-0003 by its last one (Hungary's
    guarantees), as when a paragraph states two facts. Returns the database and its id."""
    from tests.events_fixture import MINISTERS

    db = open_db(fixed_event_db)
    try:
        passage, text = db.execute(
            "SELECT id, text FROM passages WHERE article_id = ? AND seq = 8", [MINISTERS]
        ).fetchone()
        second = text.index("He calculates")
        last = text.index("Hungary has received")
        with db.atomic():
            db.execute(
                "INSERT INTO event_passages (event_id, passage_id, score, claims) "
                "VALUES ('e-0002', ?, 0.9, ?)",
                [passage, json.dumps([[second, text.index("$40 billion.") + 12]])],
            )
            db.execute(
                "INSERT INTO event_passages (event_id, passage_id, score, claims) "
                "VALUES ('e-0003', ?, 0.9, ?)",
                [passage, json.dumps([[last, len(text)]])],
            )
    finally:
        db.close()
    return fixed_event_db, passage


async def test_a_column_scrolls_to_its_claim_when_it_lies_below_the_view(fixed_event_db):
    # at 80x24 a column shows about nine lines; ¶8's claim in e-0003 is its last sentence
    db_path, _ = two_fact_db(fixed_event_db)
    app = make_app(db_path, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(2):
            await pilot.press("right_square_bracket")
            await settle(pilot)
        assert screen(app).view.summary.id == "e-0003"
        for _ in range(4):  # the Ministers column is among the later outlets
            if any("Hungary has received" in painted_text(c) for c in shown_columns(app)):
                break
            await pilot.press("greater_than_sign")
            await settle(pilot)
        texts = [painted_text(c) for c in shown_columns(app)]
        assert any("Hungary has received the guarantees" in t for t in texts), texts
        assert any(c.scroll_y > 0 for c in shown_columns(app))


async def test_coding_a_passage_of_two_events_counts_in_both_and_undo_stays_here(
    fixed_event_db,
):
    db_path, two_facts = two_fact_db(fixed_event_db)
    app = make_app(db_path, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        for _ in range(2):
            await pilot.press("right_square_bracket")
            await settle(pilot)
        events = screen(app).query_one(EventList)
        assert screen(app).view.summary.id == "e-0003"
        for _ in range(8):
            focused = focused_passage(app)
            if focused.passage.id == two_facts:
                break
            column_ids = [ref.passage.id for ref in focused.column.refs]
            await pilot.press("down" if two_facts in column_ids else "right")
            await settle(pilot)
        assert focused_passage(app).passage.id == two_facts
        await pilot.press("1")
        await settle(pilot)
        assert labels_of(db_path, two_facts) == [("frame", "Economic")]
        # partly coded (a frame, no stance yet) in both events that hold it
        assert "◐1" in events.prompt_at(1) and "◐1" in events.prompt_at(2)
        await pilot.press("u")
        await settle(pilot)
        assert labels_of(db_path, two_facts) == []
        assert screen(app).view.summary.id == "e-0003"  # not the passage's first event
        await pilot.press("r")  # redo; a restart then opens where the annotator worked
        await settle(pilot)
    app = make_app(db_path, "alice")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        assert screen(app).view.summary.id == "e-0003"


async def test_at_80_columns_the_whole_legend_shows_in_short_words(event_db):
    app = make_app(event_db, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = screen(app).query_one("#event-header")
        second = str(header.content).splitlines()[1]
        assert second.rstrip().endswith("shared  own  40bn  claim"), second
        assert len(second) <= header.size.width
