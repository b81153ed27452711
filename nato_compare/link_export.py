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
import json
from datetime import datetime
from pathlib import Path
from typing import Any, IO

from .errors import NatoCompareError
from .csv_safe import restore, write_csv
from .export import _check_format, _open_output, write_jsonl
from .output_files import check_output
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
    _check_format(fmt, excel)
    if output is not None:
        check_output(output, databases=[Path(db_path)])
    db = open_db(db_path, create=False)
    try:
        if annotator is not None:
            known = sorted({r["annotator"] for r in link_rows(db)})
            if annotator not in known:
                names = ", ".join(terminal_safe(name) for name in known) or "none"
                raise NatoCompareError(
                    f"no link judgements by {terminal_safe(repr(annotator))} in {db_path} "
                    f"(annotators with some: {names})"
                )
        rows = link_rows(db, annotator)
        with _open_output(output, stream, excel, Path(db_path)) as out:
            if fmt == "csv":
                return write_csv(rows, out, LINK_COLUMNS, excel=excel)
            return write_jsonl(rows, out)
    finally:
        db.close()


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
    if not path.is_file():
        raise NatoCompareError(f"file not found: {path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NatoCompareError(
            f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    if not text.strip():
        raise NatoCompareError(f"{path} is empty")
    if text.lstrip().startswith("{"):
        records = []
        for number, line in enumerate(text.split("\n"), 1):
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise NatoCompareError(f"{path} line {number}: not JSON ({exc.msg})") from None
                if not isinstance(record, dict):
                    raise NatoCompareError(f"{path} line {number}: expected a JSON object")
                records.append((number, record))
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
    try:
        datetime.fromisoformat(record["created_at"])
    except ValueError:
        raise NatoCompareError(
            f"{where}: created_at {record['created_at']!r} is not an ISO date-time"
        ) from None
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
