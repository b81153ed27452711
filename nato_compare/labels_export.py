"""The adjudicated labels and the event notes out: ``export --labels adjudicated`` and
``export --event-notes``.

CSV and JSONL follow the annotation export's rules (see :mod:`nato_compare.export`:
formula-like cells get one leading ``'``). These files are for analysis, not for ``import``:
decisions and event notes travel between databases with ``merge``.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from .adjudication import final_rows
from .errors import NatoCompareError
from .csv_safe import write_csv
from .export import check_format, export_table, open_output, write_jsonl
from .output_files import check_output
from .store import open_db
from .store import adjudication as sql
from .store import exchange

#: One row per final label of a unit (passage × dimension).
ADJUDICATED_COLUMNS = (
    "passage_id",
    "dimension",
    "label",
    "basis",
    "adjudicator",
    "reason",
    "decided_at",
    "coders",
    "passage_text",
    "article_id",
    "outlet",
    "title",
    "date",
    "event_id",
    "alignment_score",
)
#: One row per annotator's note on an event.
EVENT_NOTE_COLUMNS = ("event_id", "event_seq", "event_label", "annotator", "note", "updated_at")


def export_adjudicated(
    db_path: str | Path,
    output: Path | None = None,
    *,
    stream: IO[str] | None = None,
    fmt: str = "csv",
    outlet: str | None = None,
    excel: bool = False,
) -> tuple[int, int]:
    """Write the adjudicated labels (see :data:`ADJUDICATED_COLUMNS` and
    :mod:`nato_compare.adjudication`); return (rows written, undecided units left out)."""
    check_format(fmt, excel)
    if output is not None:
        check_output(output, databases=[Path(db_path)])
    db = open_db(db_path, create=False)
    try:
        if outlet is not None and outlet not in (known := exchange.outlets(db)):
            raise NatoCompareError(
                f"unknown outlet {outlet!r} (outlets in {db_path}: {', '.join(known)})"
            )
        rows, bases = final_rows(db)
        details = sql.passage_details(db, list(dict.fromkeys(r["passage_id"] for r in rows)))
        records = [
            {**{k: v for k, v in r.items() if k not in ("annotator", "outlet_key")},
             **details[r["passage_id"]]}
            for r in rows
        ]  # fmt: skip
        if outlet is not None:
            records = [r for r in records if r["outlet"] == outlet]
        with open_output(output, stream, excel, Path(db_path)) as out:
            if fmt == "csv":
                return write_csv(records, out, ADJUDICATED_COLUMNS, excel=excel), bases["open"]
            return write_jsonl(
                ({c: r.get(c) for c in ADJUDICATED_COLUMNS} for r in records), out
            ), bases["open"]
    finally:
        db.close()


def export_event_notes(
    db_path: str | Path,
    output: Path | None = None,
    *,
    stream: IO[str] | None = None,
    fmt: str = "csv",
    annotator: str | None = None,
    excel: bool = False,
) -> int:
    """Write every annotator's event notes (see :data:`EVENT_NOTE_COLUMNS`); return the count."""
    return export_table(
        db_path,
        output,
        stream,
        fmt,
        excel,
        EVENT_NOTE_COLUMNS,
        lambda db: sql.event_note_rows(db, annotator),
    )
