"""Link judgements out and in: ``export --links`` and ``import`` of such a file.

One row per annotator's verdict on a pair of passages: :data:`LINK_COLUMNS`. ``verdict`` is
``same`` or ``different``; ``score`` the pair's score when it was judged, empty when the pair
was never scored. CSV and JSONL follow the annotation export's rules (see
:mod:`nato_compare.export`: formula-like cells get one leading ``'``, which import removes). A
gold standard made elsewhere enters the same way: passage ids are content-derived, so a file
written from one database imports into any database ingested from the same sources.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, IO

from sqlite_utils import Database

from .errors import NatoCompareError
from .csv_safe import restore
from .export import check_created_at, export_table, json_objects, read_exchange_text
from .safe_text import terminal_safe
from .store import open_db
from .store.judgement_exchange import JudgementsResult, insert_judgements, link_rows
from .store.judgements import LINK, LINK_VERDICTS, ordered

LINK_COLUMNS = ("passage_a", "passage_b", "verdict", "annotator", "created_at", "score")


def export_links(
    db_path: str | Path,
    output: Path | None = None,
    *,
    stream: IO[str] | None = None,
    fmt: str = "csv",
    annotator: str | None = None,
    excel: bool = False,
) -> int:
    """Write every link judgement (see :data:`LINK_COLUMNS`); return the number of rows."""

    def read(db: Database) -> list[dict[str, Any]]:
        if annotator is not None:
            known = sorted({r["annotator"] for r in link_rows(db)})
            if annotator not in known:
                names = ", ".join(terminal_safe(name) for name in known) or "none"
                raise NatoCompareError(
                    f"no link judgements by {terminal_safe(repr(annotator))} in {db_path} "
                    f"(annotators with some: {names})"
                )
        return link_rows(db, annotator)

    return export_table(db_path, output, stream, fmt, excel, LINK_COLUMNS, read)


def looks_like_links(path: Path) -> bool:
    """Whether a file to import holds link judgements (its header or first record has
    ``passage_a`` and ``verdict``) rather than annotations."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return "passage_a" in first and "verdict" in first


def read_link_file(path: Path) -> list[dict[str, Any]]:
    """Read and check a links file (CSV or JSONL); raises naming the first bad line."""
    text = read_exchange_text(path)
    if text.lstrip().startswith("{"):
        records = list(json_objects(path, text))
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [restore(c) for c in next(reader)]
            records = [
                (reader.line_num, {h: restore(c) for h, c in zip(header, cells)})
                for cells in reader
                if cells
            ]
        except csv.Error as exc:
            raise NatoCompareError(f"{path}: malformed CSV ({exc})") from None
    return [_checked(path, line, record) for line, record in records]


def _checked(path: Path, line: int, record: dict[str, Any]) -> dict[str, Any]:
    where = f"{path} line {line}"
    missing = [c for c in LINK_COLUMNS if c not in record and c != "score"]
    if missing:
        raise NatoCompareError(f"{where}: missing field(s): {', '.join(missing)}")
    for column in ("passage_a", "passage_b", "annotator", "created_at"):
        if not isinstance(record[column], str) or not record[column].strip():
            raise NatoCompareError(f"{where}: {column} is empty")
    if record["verdict"] not in LINK_VERDICTS:
        raise NatoCompareError(
            f"{where}: verdict {record['verdict']!r} is not {' or '.join(LINK_VERDICTS)}"
        )
    if record["passage_a"] == record["passage_b"]:
        raise NatoCompareError(f"{where}: a link joins two different passages")
    check_created_at(where, record)
    score = record.get("score")
    if score in (None, ""):
        score = None
    else:
        try:
            score = float(score)
        except (TypeError, ValueError):
            raise NatoCompareError(f"{where}: score {score!r} is not a number") from None
    a, b = ordered(record["passage_a"], record["passage_b"])
    return {
        "annotator": record["annotator"],
        "kind": LINK,
        "passage_a": a,
        "passage_b": b,
        "verdict": record["verdict"],
        "score": score,
        "via": "import",
        "created_at": record["created_at"],
    }


def import_links(path: Path, db_path: str | Path, *, strict: bool = False) -> JudgementsResult:
    """Read a links file into the database in one transaction (the file is checked first).
    With ``strict``, a row on a passage the database lacks refuses the whole file."""
    rows = read_link_file(Path(path))
    db = open_db(db_path, create=False, migrate=True)
    try:
        with db.atomic():
            result = insert_judgements(db, rows)
            if strict and result.unknown:
                raise NatoCompareError(
                    f"{result.unknown} row(s) name a passage not in {db_path}; nothing imported"
                )
            return result
    finally:
        db.close()
