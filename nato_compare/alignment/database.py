"""Align the passages of a database and store the run: the entry point of the CLI and the TUI.

:func:`align_db` reads the live passages, runs :func:`nato_compare.alignment.aligner.align`, optionally writes
the aligned pairs to a CSV or JSONL file, and stores the run. The file is written to a temporary
name beside its target first and only renamed into place once the database transaction has
committed, so a failure leaves neither a half-written file nor a changed database; an unwritable
output path is reported before anything is computed.

Passages ingested while an alignment runs are noticed: the run is stored only if the live
passages are still those it aligned (checked inside the write transaction); otherwise they are
read and aligned again (with a warning), up to :data:`ATTEMPTS` times. So are the analysts'
link judgements the run was steered by (an attach, detach or new event made in the interface
meanwhile would otherwise vanish from the events until the next run).
"""

from __future__ import annotations

import json
import sys
import warnings
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from .aligner import AlignParams, Progress, align, find_stories
from .stories import Story
from ..csv_safe import write_csv
from ..errors import NatoCompareError
from ..model import outlet_key
from ..output_files import PendingOutput, check_output
from ..store import open_db
from ..store.articles import current_passages, current_passages_signature, passages_signature
from ..store.failures import database_errors
from ..store.events import ALIGNMENT_COLUMNS, alignment_rows, save_run
from ..store.judgements import constraints, link_claims

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..model import AlignmentResult

FORMATS = ("csv", "jsonl")
#: Alignments tried when another program keeps changing the passages while one runs.
ATTEMPTS = 3


@dataclass(frozen=True)
class AlignSummary:
    run_id: int
    passages: int
    outlets: int
    candidates: int
    above_threshold: int
    pairs: int
    events: int
    seconds: float
    output: str | None
    must_link: int = 0  # analysts' accepted links the run kept together
    cannot_link: int = 0  # and rejected ones it kept apart


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_alignments(rows: list[dict[str, Any]], stream: IO[str], fmt: str) -> None:
    """Write alignment rows (:func:`nato_compare.store.events.alignment_rows`) as CSV or JSONL."""
    if fmt == "csv":
        write_csv(rows, stream, ALIGNMENT_COLUMNS)
    elif fmt == "jsonl":
        for row in rows:
            record = dict(row)
            record["evidence"] = json.loads(record["evidence"] or "{}")
            for key in ("shared_numbers", "shared_words", "shared_entities"):
                record[key] = record["evidence"].get(key, [])
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        raise NatoCompareError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _open_for_alignment(db_path: Path) -> Database:
    return open_db(db_path, create=False, migrate=True)


class _PassagesChanged(Exception):
    """The live passages differ from those aligned: storing the run would store stale events."""


class _JudgementsChanged(_PassagesChanged):
    """The link judgements differ from those that steered the run (an analyst's change made
    meanwhile): storing the run would drop that change from the events."""


def _link_judgements(db: Database) -> list[tuple[Any, ...]]:
    """Every link judgement as it steers an alignment (pair, verdict, how it was given)."""
    return db.execute(
        "SELECT passage_a, passage_b, annotator, verdict, via, created_at FROM judgements "
        "WHERE kind = 'link' ORDER BY passage_a, passage_b, annotator"
    ).fetchall()


def _live_passages(db: Database, db_path: Path) -> list[dict[str, Any]]:
    passages = current_passages(db)
    if not passages:
        raise NatoCompareError(
            f"no passages in {db_path}: run 'nato-compare ingest SOURCES --db {db_path}' first"
        )
    outlets = sorted({outlet_key(p["outlet"], p["article_id"]) for p in passages})
    if len(outlets) < 2:
        raise NatoCompareError(
            f"only one outlet in {db_path} ({outlets[0]}): aligning needs articles "
            "from at least two outlets"
        )
    return passages


def _store(
    db: Database,
    result: AlignmentResult,
    started: str,
    passages: list[dict[str, Any]],
    stream: IO[str] | None,
    output: Path | str | None,
    fmt: str,
    judgements: list[tuple[Any, ...]] | None = None,
) -> int:
    """Store the run and write the pairs, in one write transaction; raises
    :class:`_PassagesChanged` (nothing stored) if another program changed the passages since
    they were read."""
    # the file is written inside the transaction: if writing fails, nothing is stored;
    # it is put in place once the run is committed
    with db.atomic():
        if current_passages_signature(db) != passages_signature(passages):
            raise _PassagesChanged
        if judgements is not None and _link_judgements(db) != judgements:
            raise _JudgementsChanged
        run_id = save_run(db, result, started_at=started, finished_at=_now())
        rows = alignment_rows(db) if output is not None else []
        if stream is not None:
            with stream:
                write_alignments(rows, stream, fmt)
        elif output == "-":
            write_alignments(rows, sys.stdout, fmt)
    return run_id


def align_db(
    db_path: str | Path,
    params: AlignParams | None = None,
    *,
    progress: Progress | None = None,
    output: str | Path | None = None,
    fmt: str = "csv",
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    use_judgements: bool = True,
) -> AlignSummary:
    """Align the database's live passages, store the run, and write the pairs to ``output``.

    With ``use_judgements`` (the default) the analysts' stored link verdicts join ``must_link``
    (accepted: kept together) and ``cannot_link`` (rejected or detached: kept apart), so a
    correction survives re-alignment; the run's ``params`` record how many were used.

    ``output`` ``"-"`` writes to stdout; ``None`` writes no file. Raises
    :class:`NatoCompareError` (database unchanged) when the database has no passages, only one
    outlet, or the output cannot be written.
    """
    params = params or AlignParams()
    if fmt not in FORMATS:
        raise NatoCompareError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = Path(output) if output not in (None, "-") else None
    db_path = Path(db_path)
    if target is not None:
        check_output(target, databases=[db_path])
    report = progress or (lambda done, total, stage: None)
    db = _open_for_alignment(db_path)
    pending = PendingOutput(target) if target is not None else None
    stream = None
    try:
        with database_errors(db_path, os_errors=False):
            for attempt in range(1, ATTEMPTS + 1):
                report(0, 1, "read passages")
                passages = _live_passages(db, db_path)
                started = _now()
                must, cannot = list(must_link), list(cannot_link)
                judgements = _link_judgements(db) if use_judgements else None
                if use_judgements:
                    stored_must, stored_cannot = constraints(db)
                    must += stored_must
                    cannot += stored_cannot
                result = align(
                    passages,
                    params=params,
                    progress=progress,
                    must_link=must,
                    cannot_link=cannot,
                    must_link_claims=link_claims(db, must),
                )
                result.stats["judgements"] = {"must_link": len(must), "cannot_link": len(cannot)}
                if pending is not None and stream is None:
                    # opened before the database is locked: a named pipe waits here for its reader
                    stream = pending.open()
                try:
                    report(0, 1, "store")
                    run_id = _store(db, result, started, passages, stream, output, fmt, judgements)
                    report(1, 1, "store")
                    break
                except _PassagesChanged as changed:
                    what, who = (
                        ("judgements", "an analyst is reviewing")
                        if isinstance(changed, _JudgementsChanged)
                        else ("passages", "another program is ingesting")
                    )
                    if attempt == ATTEMPTS:
                        raise NatoCompareError(
                            f"the {what} of {db_path} changed during each of {ATTEMPTS} "
                            f"alignments ({who}): run align again when it has finished; "
                            "nothing was stored"
                        ) from None
                    warnings.warn(
                        f"the {what} of {db_path} changed while aligning ({who}): "
                        "aligning them again",
                        stacklevel=2,
                    )
        if pending is not None:
            pending.commit()
    except OSError as exc:
        raise NatoCompareError(
            f"cannot write {target or 'stdout'}: {exc.strerror or exc}"
        ) from None
    finally:
        if stream is not None and not stream.closed:
            try:
                stream.close()
            except OSError:
                pass  # the run failed already; its error is the one to report
        if pending is not None:
            pending.discard()
        db.close()
    stats = result.stats
    return AlignSummary(
        run_id=run_id,
        passages=stats["passages"],
        outlets=stats["outlets"],
        candidates=stats["candidates"],
        above_threshold=stats["above_threshold"],
        pairs=stats["pairs"],
        events=stats["events"],
        seconds=round(sum(stats["seconds"].values()), 2),
        output=str(target) if target is not None else ("-" if output == "-" else None),
        must_link=len(must),
        cannot_link=len(cannot),
    )


def stories_db(
    db_path: str | Path, params: AlignParams | None = None, *, include_lone: bool = False
) -> list[Story]:
    """The stories the aligner links the database's live articles into (nothing is stored)."""
    db = _open_for_alignment(Path(db_path))
    try:
        passages = current_passages(db)
    finally:
        db.close()
    if not passages:
        raise NatoCompareError(
            f"no passages in {db_path}: run 'nato-compare ingest SOURCES --db {db_path}' first"
        )
    return find_stories(passages, params=params, include_lone=include_lone)
