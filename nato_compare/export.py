"""Annotations out and in: CSV/JSONL export, import, merge, events × outlets coverage.

Shared by the command line and the annotation interface's export screen.

**CSV** is written by :mod:`nato_compare.csv_safe`, the one CSV writer of the tool: RFC 4180
with every CR and LF quoted, UTF-8, ``\n`` between records (``excel=True``: a byte-order mark
and ``\r\n``), and the formula guard: **a CSV cell that begins with ``'`` had one ``'``
added; import removes exactly one.** JSONL is not read by spreadsheets and holds the exact
values.

Import and merge rules (ids, natural keys, conflicts, unknown passages) are in
:mod:`nato_compare.store.exchange`.
"""

# Over 400 lines: export, import and merge share the row checks and the two file formats.

from __future__ import annotations

import csv
import io
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .csv_safe import neutralise, restore, write_csv  # noqa: F401  (neutralise: re-exported)
from .errors import NatoCompareError
from .output_files import atomic_output, check_output
from .store import exchange as sql
from .store import open_db
from .store.annotations import NOTE
from .store.failures import database_errors
from .store.judgement_exchange import JudgementsResult, all_judgements, insert_judgements

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .codebook import Codebook
from .store.judgements import reviewed_events

#: Export columns, in order (docs/exporting.md documents each one).
COLUMNS = (
    "annotation_id",
    "annotator",
    "created_at",
    "dimension",
    "label",
    "note",
    "passage_id",
    "passage_text",
    "article_id",
    "outlet",
    "title",
    "date",
    "event_id",
    "alignment_score",
    "adjudicated",  # the unit's final labels ("; " between them), empty until decided
)
#: Columns ``import`` needs; the others describe the passage and are looked up again.
REQUIRED_COLUMNS = (
    "annotation_id",
    "annotator",
    "created_at",
    "dimension",
    "label",
    "note",
    "passage_id",
)
FORMATS = ("csv", "jsonl")


def single_label_dimensions(codebook: Codebook | None = None) -> frozenset[str]:
    """Dimensions where an annotator gives one label per passage (from ``codebook``, a
    :class:`~nato_compare.codebook.Codebook`; default: the default codebook)."""
    from .codebook import load_codebook

    return frozenset(d.name for d in (codebook or load_codebook()).dimensions if not d.multi)


# ---------------------------------------------------------------- writing


@contextmanager
def open_output(
    output: Path | None, stream: IO[str] | None, excel: bool, database: Path
) -> Iterator[IO[str]]:
    if output is None:
        out = stream or sys.stdout
        if excel:
            out.write("\ufeff")
        yield out
    else:
        with atomic_output(output, excel=excel, databases=[database]) as out:
            yield out


def write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def check_format(fmt: str, excel: bool) -> None:
    if fmt not in FORMATS:
        raise NatoCompareError(f"unknown format {fmt!r} (use {' or '.join(FORMATS)})")
    if excel and fmt != "csv":
        raise NatoCompareError("--excel applies to CSV only")


def export_table(
    db_path: str | Path,
    output: Path | None,
    stream: IO[str] | None,
    fmt: str,
    excel: bool,
    columns: Sequence[str],
    read: Callable[[Database], Iterable[dict[str, Any]]],
) -> int:
    """The path every table export takes: check the format and the output, open the database,
    and write the rows ``read(db)`` gives as CSV (``columns``) or JSONL; return the count."""
    check_format(fmt, excel)
    if output is not None:
        check_output(output, databases=[Path(db_path)])
    db = open_db(db_path, create=False)
    try:
        rows = read(db)
        with open_output(output, stream, excel, Path(db_path)) as out:
            if fmt == "csv":
                return write_csv(rows, out, columns, excel=excel)
            return write_jsonl(rows, out)
    finally:
        db.close()


def export_annotations(
    db_path: str | Path,
    output: Path | None = None,
    *,
    stream: IO[str] | None = None,
    fmt: str = "csv",
    annotator: str | None = None,
    outlet: str | None = None,
    excel: bool = False,
) -> int:
    """Write one row per annotation (see :data:`COLUMNS`) to ``output`` or ``stream``; return the count."""

    def read(db: Database) -> Iterable[dict[str, Any]]:
        if annotator is not None and annotator not in (known := sql.annotators(db)):
            raise NatoCompareError(
                f"unknown annotator {annotator!r} (annotators in {db_path}: {', '.join(known) or 'none'})"
            )
        if outlet is not None and outlet not in (known := sql.outlets(db)):
            raise NatoCompareError(
                f"unknown outlet {outlet!r} (outlets in {db_path}: {', '.join(known)})"
            )
        return sql.export_rows(db, annotator=annotator, outlet=outlet)

    return export_table(db_path, output, stream, fmt, excel, COLUMNS, read)


def export_coverage(
    db_path: str | Path,
    output: Path | None = None,
    *,
    stream: IO[str] | None = None,
    fmt: str = "csv",
    excel: bool = False,
) -> int:
    """Events × outlets: one row per event, one column per outlet = its passages in the event.

    A 0 is an omission: the outlet has articles in the database but none of
    its passages is in this event. ``reviewed`` says whether an analyst judged the
    event (see docs/reviewing.md): its omissions are listed in ``not_reported``
    (reviewed: not reported), any other event's in ``not_aligned`` (the aligner
    found nothing; nobody checked). Outlets recorded as ``unknown`` count per
    article (``unknown:<article id>``), as in alignment.
    """
    check_format(fmt, excel)
    if output is not None:
        check_output(output, databases=[Path(db_path)])
    db = open_db(db_path, create=False)
    try:
        keys, events = sql.event_coverage(db)
        reviewed = reviewed_events(db)
        for event in events:
            # a 0 of a reviewed event is an analyst's finding; of any other, only the aligner's
            zeros = [k for k, n in event["counts"].items() if not n]
            event["reviewed"] = "yes" if event["event_id"] in reviewed else "no"
            event["not_reported"] = zeros if event["reviewed"] == "yes" else []
            event["not_aligned"] = zeros if event["reviewed"] == "no" else []
        if not events:
            hint = (
                "the latest alignment found none"
                if sql.has_align_runs(db)
                else "run 'nato-compare align' first"
            )
            raise NatoCompareError(f"no events in {db_path} ({hint})")
        with open_output(output, stream, excel, Path(db_path)) as out:
            if fmt == "jsonl":
                return write_jsonl(({**e, "coverage": e.pop("counts")} for e in events), out)
            flat = (
                {
                    **{k: "; ".join(v) if isinstance(v, list) else v for k, v in e.items()},
                    **e["counts"],
                }
                for e in events
            )
            return write_csv(
                flat,
                out,
                ["event_id", "label", "passages", "outlets", *keys]
                + ["reviewed", "not_reported", "not_aligned"],
                excel=excel,
            )
    finally:
        db.close()


# ---------------------------------------------------------------- reading


def read_exchange_text(path: Path) -> str:
    """The text of a file to import (UTF-8, a byte-order mark dropped); one line on a missing,
    undecodable or empty file."""
    if not path.is_file():
        raise NatoCompareError(f"file not found: {path}")
    try:
        # bytes, not read_text(): universal newlines would turn a \r\n inside a cell into \n
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NatoCompareError(
            f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    if not text.strip():
        raise NatoCompareError(f"{path} is empty")
    return text


def json_objects(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of every non-blank line of a JSONL text; one line on the first
    line that is not a JSON object."""
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): see _csv_records
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NatoCompareError(f"{path} line {number}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise NatoCompareError(f"{path} line {number}: expected a JSON object")
        yield number, record


def read_annotation_file(path: Path) -> list[dict[str, Any]]:
    """Read and check an export (CSV or JSONL); rows use the ``annotations`` column names.

    Raises :class:`NatoCompareError` naming the line of the first bad row.
    """
    text = read_exchange_text(path)
    is_jsonl = path.suffix.lower() in (".jsonl", ".json", ".ndjson") or (
        path.suffix.lower() != ".csv" and text.lstrip().startswith("{")
    )
    records = _jsonl_records(path, text) if is_jsonl else _csv_records(path, text)
    return [_checked(path, line, record) for line, record in records]


def _csv_records(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    # StringIO(newline="") splits lines at \n, \r and \r\n only, as the csv module
    # expects (str.splitlines would also split at U+2028, U+0085 ... inside a cell)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [restore(c) for c in next(reader)]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise NatoCompareError(f"{path} is missing column(s): {', '.join(missing)}")
        for cells in reader:
            if not cells:
                continue
            if len(cells) != len(header):
                raise NatoCompareError(
                    f"{path} line {reader.line_num}: {len(cells)} fields, the header has {len(header)}"
                )
            yield reader.line_num, {h: restore(c) for h, c in zip(header, cells)}
    except csv.Error as exc:
        raise NatoCompareError(f"{path} line {reader.line_num}: malformed CSV ({exc})") from None


def _jsonl_records(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, record in json_objects(path, text):
        missing = [c for c in REQUIRED_COLUMNS if c not in record]
        if missing:
            raise NatoCompareError(f"{path} line {number}: missing field(s): {', '.join(missing)}")
        yield number, record


def check_created_at(where: str, record: dict[str, Any]) -> None:
    """One line naming ``where`` when the record's ``created_at`` is not an ISO date-time."""
    try:
        datetime.fromisoformat(record["created_at"])
    except ValueError:
        raise NatoCompareError(
            f"{where}: created_at {record['created_at']!r} is not an ISO date-time"
        ) from None


def _checked(path: Path, line: int, record: dict[str, Any]) -> dict[str, Any]:
    where = f"{path} line {line}"
    for column in REQUIRED_COLUMNS:
        if not isinstance(record[column], str):
            raise NatoCompareError(f"{where}: {column} must be text, not {record[column]!r}")
    for column in ("annotation_id", "annotator", "dimension", "passage_id", "created_at"):
        if not record[column].strip():
            raise NatoCompareError(f"{where}: {column} is empty")
    check_created_at(where, record)
    score = record.get("alignment_score")
    if score not in (None, ""):
        try:
            float(score)
        except (TypeError, ValueError):
            raise NatoCompareError(f"{where}: alignment_score {score!r} is not a number") from None
    row = {k: record[k] for k in REQUIRED_COLUMNS if k != "annotation_id"}
    return {"id": record["annotation_id"], **row}


# ---------------------------------------------------------------- import and merge


def import_annotations(
    path: Path,
    db_path: str | Path,
    *,
    strict: bool = False,
    codebook: Codebook | None = None,
    accept_unknown_labels: bool = False,
) -> sql.InsertResult:
    """Insert the annotations of an export into ``db_path`` in one transaction.

    The file is read and checked completely before the database is opened.
    With ``strict``, a row whose passage the database lacks refuses the whole
    import; otherwise such rows are returned in ``result.unknown``. ``codebook``
    (default: the default one) says which dimensions hold one label per passage, and which
    dimensions and labels there are: a row with another one refuses the import, unless
    ``accept_unknown_labels`` (then a warning says how many were imported).
    """
    rows = read_annotation_file(Path(path))
    _check_labels(Path(path), rows, codebook, accept_unknown_labels)
    db = _open_existing(db_path)
    try:
        with database_errors(db_path), db.atomic():
            result = sql.insert_annotations(db, rows, single_label_dimensions(codebook))
            if strict and result.unknown:
                raise NatoCompareError(
                    f"{len(result.unknown)} row(s) match no passage in {db_path} "
                    f"(first: {result.unknown[0]['passage_id']}); nothing imported"
                )
        return result
    finally:
        db.close()


def _check_labels(
    path: Path, rows: list[dict[str, Any]], codebook: Codebook | None, accept: bool
) -> None:
    from .codebook import load_codebook

    book = codebook or load_codebook()
    known = {(d.name, label.name) for d in book.dimensions for label in d.labels}
    strange = [
        r
        for r in rows
        if (r["dimension"], r["label"]) not in known
        and not (r["dimension"] == NOTE and r["label"] == "")
    ]
    if not strange:
        return
    kinds = sorted({(r["dimension"], r["label"]) for r in strange})
    shown = ", ".join(f"{d}/{label}" for d, label in kinds[:5]) + (
        ", ..." if len(kinds) > 5 else ""
    )
    if accept:
        warnings.warn(
            f"{len(strange)} row(s) of {path} with labels not in the codebook imported: {shown}",
            stacklevel=3,
        )
        return
    raise NatoCompareError(
        f"{path}: {len(strange)} row(s) with labels not in the codebook ({shown}); nothing "
        "imported: give the codebook they were made with (--codebook), or accept them "
        "(--accept-unknown-labels)"
    )


@dataclass
class MergeResult:
    per_database: dict[str, sql.InsertResult] = field(default_factory=dict)
    #: article id (in the other database) → its annotations on passages this database lacks
    missing_articles: dict[str | None, int] = field(default_factory=dict)
    #: what happened to each other database's judgements (alignment verdicts, event titles)
    judgements: dict[str, JudgementsResult] = field(default_factory=dict)


def merge_databases(others: list[Path], db_path: str | Path) -> MergeResult:
    """Copy annotations, event notes and judgements of ``others`` into ``db_path``, in one
    transaction.

    Every other database is checked (exists, is a nato-compare database of this
    schema version, is not the target) and read before the target is written.
    Annotations on passages the target lacks are reported, not copied: the
    target's passages come only from its own sources, so ingest the same
    sources and merge again (merging is idempotent).
    """
    target = Path(db_path)
    open_db(target, create=False, migrate=True).close()  # refused before the others are read
    loaded = []
    for other in dict.fromkeys(Path(o) for o in others):  # a database named twice is merged once
        if not other.is_file():
            raise NatoCompareError(f"database not found: {other}")
        if os.path.samefile(other, target):
            raise NatoCompareError(f"cannot merge {other} into itself")
        source = open_db(other, create=False)
        try:
            with database_errors(other):
                annotations = sql.all_annotations(source)
                articles = sql.passage_article(source, (a["passage_id"] for a in annotations))
                judgements = all_judgements(source)
                loaded.append(
                    (other, annotations, sql.all_event_notes(source), articles, judgements)
                )
        finally:
            source.close()
    db = _open_existing(target)
    merged = MergeResult()
    single = single_label_dimensions()
    try:
        with database_errors(target), db.atomic():
            for other, annotations, notes, articles, judgements in loaded:
                result = sql.insert_annotations(db, annotations, single)
                sql.insert_event_notes(db, notes, result)
                merged.per_database[str(other)] = result
                merged.judgements[str(other)] = insert_judgements(db, judgements)
                for row in result.unknown:
                    article = articles.get(row["passage_id"])
                    merged.missing_articles[article] = merged.missing_articles.get(article, 0) + 1
        return merged
    finally:
        db.close()


def _open_existing(db_path: str | Path) -> Database:
    return open_db(db_path, create=False, migrate=True)
