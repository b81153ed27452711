"""Make the pictures of the event view (README, docs/annotating.md) from the shipped sources,
as they are now.

    python tools/capture_event_view.py

Builds a database from ``sources/`` in a temp folder (ingest, align at the defaults), opens the
event of the first passage that gives "€40 billion" (the pledge four outlets report; else the
event most outlets report), labels its first passage by keys (frames 1 and 8, stance +),
and writes ``docs/tui-event-view.svg`` (Textual's ``save_screenshot``, 120x36) and, when tmux
is installed, the text of the real command's screen at 80x24 and 200x50
(``docs/tui-event-view-80x24.txt``, ``docs/tui-event-view-200x50.txt``).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
LABEL_KEYS = ["1", "8", "plus"]  # Economic, Security and defense, FAVOR


def build_database(folder: Path) -> Path:
    from nato_compare.alignment.database import align_db
    from nato_compare.pipeline import ingest_sources

    path = folder / "annotations.db"
    ingest_sources([REPO / "sources"], path)
    align_db(path)
    return path


def shown_event_seq(path: Path, phrase: str = "€40 billion") -> int:
    """The number of the event of the first passage giving ``phrase``, else of the event
    most outlets report."""
    from nato_compare.store import open_db

    db = open_db(path)
    try:
        row = db.execute(
            "SELECT e.seq FROM events e JOIN event_passages ep ON ep.event_id = e.id "
            "JOIN passages p ON p.id = ep.passage_id WHERE instr(p.text, ?) > 0 "
            "ORDER BY e.seq LIMIT 1",
            [phrase],
        ).fetchone()
        if row is None:
            row = db.execute(
                "SELECT seq FROM events ORDER BY outlets DESC, passages DESC, seq LIMIT 1"
            ).fetchone()
        return int(row[0])
    finally:
        db.close()


async def save_svg(path: Path, seq: int, target: Path) -> None:
    from nato_compare.tui.app import make_app

    app = make_app(path, "alice")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        for _ in range(seq - 1):
            await pilot.press("right_square_bracket")
            await pilot.pause(0.1)
        for key in LABEL_KEYS:
            await pilot.press(key)
            await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.save_screenshot(filename=target.name, path=str(target.parent))


def capture_terminal(path: Path, seq: int, size: tuple[int, int], target: Path) -> None:
    """The real command in tmux; the labels were set by the SVG run (same database)."""
    command = Path(sys.executable).parent / "nato-compare"
    tmux = ["tmux", "-L", f"nato-capture-{size[0]}x{size[1]}"]
    subprocess.run(
        [
            *tmux,
            "new-session",
            "-d",
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            "bash --norc --noprofile",
        ],
        check=True,
    )
    try:
        time.sleep(0.3)
        subprocess.run(
            [*tmux, "send-keys", f"exec {command} tui --db {path} --annotator alice", "Enter"],
            check=True,
        )
        time.sleep(2.0)
        for _ in range(seq - 1):
            subprocess.run([*tmux, "send-keys", "]"], check=True)
            time.sleep(0.2)
        time.sleep(1.0)
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=True
        ).stdout
        target.write_text(screen.rstrip("\n") + "\n", encoding="utf-8")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = build_database(Path(tmp))
        seq = shown_event_seq(path)
        svg = DOCS / "tui-event-view.svg"
        asyncio.run(save_svg(path, seq, svg))
        print(f"wrote {svg.relative_to(REPO)} (event {seq})")
        if shutil.which("tmux") is None:
            print("tmux not found: the text captures are not made", file=sys.stderr)
            return
        for size in ((80, 24), (200, 50)):
            target = DOCS / f"tui-event-view-{size[0]}x{size[1]}.txt"
            capture_terminal(path, seq, size, target)
            print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
