"""A hostile corpus: text that tries to command the terminal, the markup parser and the
spreadsheet. One fixture for every displayed field and every CSV the tool writes."""

from __future__ import annotations

import json
from pathlib import Path

from nato_compare.pipeline import ingest_sources
from nato_compare.store import open_db
from nato_compare.store.annotations import set_event_note, set_passage_note, toggle_label

TITLE_OSC = "\x1b]0;TITLE\x07"  # sets the window title
CURSOR_HOME = "\x1b[H"  # moves the cursor over the header
MARKUP = "[red]x[/red]"
PASSAGE = f"Troops {TITLE_OSC}moved {CURSOR_HOME}near {MARKUP} the border, officials said today."
NOTE = f"note {TITLE_OSC}and {CURSOR_HOME}and {MARKUP} end"
#: Cells a spreadsheet would run, and line breaks that split a badly quoted record.
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "@annot",
    "+31 555",
    "-2+3",
    "\tindented",
    "'quoted'",
]
BREAKS = ["bare\rCR", "line\nfeed", "crlf\r\nend", 'a "quote", and a comma']
OUTLET_A = '=HYPERLINK("http://evil.example","[red]Evil[/red]")'
OUTLET_B = "@Calm [bold]Post[/bold]"
TITLE = "-2+3+cmd|' /C calc'!A0"


def build_hostile_db(folder: Path) -> Path:
    """Two outlets reporting one event in hostile words, aligned, labelled by two annotators
    with hostile notes and event notes."""
    from nato_compare.alignment import align_db

    corpus = folder / "hostile.jsonl"
    rows = [
        {
            "id": "evil-1",
            "outlet": OUTLET_A,
            "title": TITLE,
            "date": "2024-06-01",
            "text": f"{PASSAGE}\n\nSecond paragraph about the border talks and the troops.",
        },
        {
            "id": "calm-1",
            "outlet": OUTLET_B,
            "title": "Calm",
            "date": "2024-06-01",
            "text": "Troops moved near the border, officials said today.\n\n"
            "Second paragraph about the border talks and the troops.",
        },
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    path = folder / "hostile.db"
    ingest_sources([corpus], path)
    align_db(path)
    db = open_db(path)
    try:
        passages = [r[0] for r in db.execute("SELECT passage_id FROM event_passages ORDER BY 1")]
        events = [r[0] for r in db.execute("SELECT id FROM events ORDER BY seq")]
        # every hostile text once: line breaks and formulas in passage notes, the rest in
        # event notes (" ·" keeps a trailing CR or tab from being stripped as white space)
        notes = iter([*BREAKS, NOTE, *FORMULAS])
        for annotator in ("alice", "=bob"):
            for passage in passages:
                toggle_label(db, annotator, passage, "frame", "Economic")
                set_passage_note(db, annotator, passage, next(notes) + " ·")
        for annotator in ("alice", "=bob"):
            for event in events:
                set_event_note(db, annotator, event, next(notes) + " ·")
    finally:
        db.close()
    return path
