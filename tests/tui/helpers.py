"""Helpers for the Pilot tests: wait for the database workers, read what the widgets show."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from rich.console import Console, Group

from nato_compare.tui.screens.event_screen import EventScreen
from nato_compare.tui.widgets.outlet_column import OutletColumn, PassageRef


async def settle(pilot, rounds: int = 30) -> None:
    """Wait until every database worker has finished and its messages are handled."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        if not any(w.is_running or w.state.name == "PENDING" for w in app.workers):
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return
        await app.workers.wait_for_complete()
    raise AssertionError("the app did not settle")


def screen(app) -> EventScreen:
    return next(s for s in reversed(app.screen_stack) if isinstance(s, EventScreen))


def focused_passage(app) -> PassageRef:
    """The passage with the focus: its column has the app's focus, its row is the column's cursor."""
    widget = app.focused
    assert isinstance(widget, OutletColumn), f"focus is on {widget!r}, not a passage column"
    passage = screen(app).focused_passage
    assert passage is not None and passage.column is widget and passage.row == widget.cursor
    return passage


def widget_text(widget) -> str:
    """The plain text a Static widget (or a passage in its column) shows."""
    if isinstance(widget, PassageRef):
        return widget.shown_text()
    content = widget.content
    if isinstance(content, Group):
        return "\n".join(getattr(r, "plain", str(r)) for r in content.renderables)
    if hasattr(content, "plain"):
        return content.plain
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def painted_text(column: OutletColumn) -> str:
    """The words an outlet column paints on screen (what is scrolled into view), one space apart."""
    lines = [column.render_line(y).text for y in range(column.scrollable_content_region.height)]
    # without each line's passage mark (left) and scroll indicator (right)
    return " ".join(" ".join(line.strip(" ▌█┃") for line in lines).split())


def db_rows(db_path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def labels_of(db_path: Path, passage_id: str, annotator: str = "alice") -> list[tuple[str, str]]:
    return db_rows(
        db_path,
        "SELECT dimension, label FROM annotations WHERE annotator = ? AND "
        "passage_id = ? AND dimension != 'note' ORDER BY dimension, label",
        (annotator, passage_id),
    )
