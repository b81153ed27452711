"""SVG snapshots of the main screens at 80x24 and 200x50 (pytest-textual-snapshot): a change
to the look fails here until the new pictures are reviewed and accepted with
``python -m pytest tests/tui/test_snapshots.py --snapshot-update`` (see CONTRIBUTING.md)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from nato_compare.tui.app import make_app
from tests.tui.helpers import settle

SIZES = {"80x24": (80, 24), "200x50": (200, 50)}

#: Each screen, and the keys that lead to it from the first event.
SCREENS = {
    # the event list, the first event's outlets side by side, the label bar, the footer
    "event": (),
    # a frame and a stance given to the focused passage of the next event
    "labelled": ("right_square_bracket", "1", "plus"),
    "help": ("question_mark",),
    "filter": ("f",),
}


def pressing(keys: tuple[str, ...]) -> Callable[[Any], Awaitable[None]]:
    """Wait for the database thread, then press ``keys``, waiting after each."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare: Any, event_db: Path, screen: str, size: str) -> None:
    # a fixed annotator: the picture does not depend on what a previous run remembered
    app = make_app(event_db, "alice")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=pressing(SCREENS[screen]))
