"""The annotator's work list: events with progress, filters, an event's passages, next unannotated.

Read-only queries over ``events``/``event_passages`` (written by alignment) and
``annotations``. Only the latest alignment run's events are listed.

Progress counts a passage as **complete** for an annotator when it has one of their labels
in every *required* dimension (the codebook's ``required``: stance and a frame by default),
and **partial** when it has some label but not all the required ones. The functions take
the required dimensions as ``required``; with none, any label (not a note) completes a
passage.
"""

from __future__ import annotations

import json

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..model import outlet_key

ANNOTATED = "annotated"
UNANNOTATED = "unannotated"

_HAS_LABEL = (
    "EXISTS (SELECT 1 FROM annotations a WHERE a.annotator = :annotator "
    "AND a.passage_id = {ep}.passage_id AND a.dimension != 'note')"
)


def _complete_sql(required: Sequence[str], params: dict[str, Any], ep: str = "ep") -> str:
    """SQL true when the annotator coded passage ``{ep}.passage_id`` completely; adds the
    required dimensions to ``params`` (as :req0, :req1 ...)."""
    if not required:
        return _HAS_LABEL.format(ep=ep)
    names = []
    for i, dimension in enumerate(dict.fromkeys(required)):
        params[f"req{i}"] = dimension
        names.append(f":req{i}")
    return (
        "(SELECT count(DISTINCT a.dimension) FROM annotations a WHERE a.annotator = :annotator "
        f"AND a.passage_id = {ep}.passage_id AND a.dimension IN ({', '.join(names)})) "
        f"= {len(names)}"
    )


@dataclass(frozen=True)
class EventFilter:
    """Which events to list; every field left ``None`` means no restriction."""

    outlet: str | None = None  # an outlet name (articles.outlet)
    label: tuple[str, str] | None = None  # (dimension, label) this annotator gave a passage
    status: str | None = None  # ANNOTATED (all passages) or UNANNOTATED (some left)
    text: str | None = None  # words that a passage contains (case-insensitive)

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in (self.outlet, self.label, self.status, self.text))

    def describe(self) -> str:
        parts = []
        if self.outlet:
            parts.append(f"outlet={self.outlet}")
        if self.label:
            parts.append(f"{self.label[0]}={self.label[1]}")
        if self.status:
            parts.append(self.status)
        if self.text:
            parts.append(f'"{self.text}"')
        return ", ".join(parts)


@dataclass(frozen=True)
class EventSummary:
    id: str
    seq: int
    label: str
    outlets: int
    total: int  # passages in the event
    done: int  # of which this annotator has coded completely
    partial: int = 0  # of which this annotator has given some labels, not all required ones
    verdict: str | None = None  # this annotator's verdict on the whole (see .judgements)
    title: str | None = None  # this annotator's title for it

    @property
    def shown_label(self) -> str:
        """The annotator's title if they gave one, else the aligner's label."""
        return self.title or self.label


@dataclass(frozen=True)
class EventPassage:
    id: str
    article_id: str
    seq: int
    text: str
    outlet: str
    title: str | None
    date: str | None
    score: float
    superseded: bool
    #: (start, end) offsets of the sentences that put the passage in this event
    claims: tuple[tuple[int, int], ...] = ()

    @property
    def column(self) -> str:
        """The outlet column this passage belongs in (unknown outlets: one per article)."""
        return outlet_key(self.outlet, self.article_id)


def _filter_sql(flt: EventFilter | None, params: dict[str, Any]) -> str:
    if flt is None:
        return ""
    clauses = []
    if flt.outlet:
        params["outlet"] = flt.outlet
        clauses.append(
            "EXISTS (SELECT 1 FROM event_passages fo JOIN passages po ON po.id = fo.passage_id "
            "JOIN articles ao ON ao.id = po.article_id "
            "WHERE fo.event_id = e.id AND ao.outlet = :outlet)"
        )
    if flt.label:
        params["dimension"], params["label"] = flt.label
        clauses.append(
            "EXISTS (SELECT 1 FROM event_passages fl JOIN annotations al "
            "ON al.passage_id = fl.passage_id AND al.annotator = :annotator "
            "AND al.dimension = :dimension AND al.label = :label WHERE fl.event_id = e.id)"
        )
    if flt.text and flt.text.strip():
        escaped = flt.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["pattern"] = f"%{escaped}%"
        clauses.append(
            "EXISTS (SELECT 1 FROM event_passages ft JOIN passages pt ON pt.id = ft.passage_id "
            "WHERE ft.event_id = e.id AND pt.text LIKE :pattern ESCAPE '\\')"
        )
    if flt.status == ANNOTATED:
        clauses.append("prog.done = prog.total")
    elif flt.status == UNANNOTATED:
        clauses.append("prog.done < prog.total")
    return "".join(f" AND {c}" for c in clauses)


def _latest_run(db: Database) -> int | None:
    row = db.execute("SELECT max(run_id) FROM events").fetchone()
    return row[0] if row else None


# The annotator's verdict on an event and their title for it (see .judgements).
_JUDGED = """
    (SELECT j.verdict FROM judgements j WHERE j.kind = 'event' AND j.annotator = :annotator
     AND j.event_id = e.id),
    (SELECT j.note FROM judgements j WHERE j.kind = 'title' AND j.annotator = :annotator
     AND j.event_id = e.id)
"""


def list_events(
    db: Database, annotator: str, flt: EventFilter | None = None, required: Sequence[str] = ()
) -> list[EventSummary]:
    """The latest run's events in order, with the annotator's progress, restricted by ``flt``."""
    run = _latest_run(db)
    if run is None:
        return []
    params: dict[str, Any] = {"annotator": annotator, "run": run}
    where = _filter_sql(flt, params)
    complete = _complete_sql(required, params)
    sql = f"""
        WITH prog AS (
            SELECT ep.event_id, count(*) AS total, sum({complete}) AS done,
                   sum({_HAS_LABEL.format(ep="ep")}) AS labelled
            FROM events e JOIN event_passages ep ON ep.event_id = e.id
            WHERE e.run_id = :run GROUP BY ep.event_id
        )
        SELECT e.id, e.seq, e.label, e.outlets, coalesce(prog.total, 0), coalesce(prog.done, 0),
               coalesce(prog.labelled, 0) - coalesce(prog.done, 0), {_JUDGED}
        FROM events e LEFT JOIN prog ON prog.event_id = e.id
        WHERE e.run_id = :run {where}
        ORDER BY e.seq
    """
    return [EventSummary(*row) for row in db.execute(sql, params)]


def event_progress(
    db: Database, annotator: str, event_id: str, required: Sequence[str] = ()
) -> tuple[int, int]:
    """(completely coded passages, all passages) of one event for this annotator."""
    done, _, total = _progress(db, annotator, event_id, required)
    return done, total


def _progress(
    db: Database, annotator: str, event_id: str, required: Sequence[str]
) -> tuple[int, int, int]:
    """(complete, partial, all) passages of one event for this annotator."""
    params = {"annotator": annotator, "event": event_id}
    complete = _complete_sql(required, params)
    row = db.execute(
        f"SELECT count(*), coalesce(sum({complete}), 0), "
        f"coalesce(sum({_HAS_LABEL.format(ep='ep')}), 0) "
        "FROM event_passages ep WHERE ep.event_id = :event",
        params,
    ).fetchone()
    return row[1], row[2] - row[1], row[0]


def claim_spans(claims: str | None) -> tuple[tuple[int, int], ...]:
    """The (start, end) offsets of ``event_passages.claims`` (JSON); anything malformed (a
    hand-edited database) is no claim, and the well-formed ones beside it are kept."""
    try:
        found = json.loads(claims or "[]")
    except ValueError:
        return ()
    if not isinstance(found, list):
        return ()
    return tuple(
        (item[0], item[1])
        for item in found
        if isinstance(item, list)
        and len(item) == 2
        and all(type(value) is int for value in item)
        and 0 <= item[0] < item[1]
    )


def event_passages(db: Database, event_id: str) -> list[EventPassage]:
    """An event's passages, grouped by outlet column, in reading order within each article."""
    rows = db.execute(
        """
        SELECT p.id, p.article_id, p.seq, p.text, a.outlet, a.title, a.date, ep.score,
               p.superseded_at IS NOT NULL, ep.claims
        FROM event_passages ep
        JOIN passages p ON p.id = ep.passage_id
        JOIN articles a ON a.id = p.article_id
        WHERE ep.event_id = ?
        """,
        [event_id],
    ).fetchall()
    passages = [
        EventPassage(
            passage_id,
            article_id,
            seq,
            text,
            outlet,
            title,
            date,
            score,
            bool(old),
            claim_spans(claims),
        )
        for passage_id, article_id, seq, text, outlet, title, date, score, old, claims in rows
    ]
    passages.sort(key=lambda p: (p.column.casefold(), p.article_id, p.seq))
    return passages


def next_unannotated_event(
    db: Database,
    annotator: str,
    after_seq: int,
    flt: EventFilter | None = None,
    required: Sequence[str] = (),
) -> str | None:
    """The first event after ``after_seq`` (wrapping round) with a passage the annotator has
    not coded completely, among the events ``flt`` lets through; ``None`` when all are done."""
    run = _latest_run(db)
    if run is None:
        return None
    params: dict[str, Any] = {"annotator": annotator, "run": run, "after": after_seq}
    # The status filter is moot here: the event found has unannotated passages by definition.
    status_free = EventFilter(flt.outlet, flt.label, None, flt.text) if flt else None
    where = _filter_sql(status_free, params)
    unannotated = (
        "EXISTS (SELECT 1 FROM event_passages ep WHERE ep.event_id = e.id AND NOT "
        + _complete_sql(required, params)
        + ")"
    )
    for condition in ("e.seq > :after", "e.seq <= :after"):
        row = db.execute(
            f"SELECT e.id FROM events e WHERE e.run_id = :run AND {condition} "
            f"AND {unannotated} {where} ORDER BY e.seq LIMIT 1",
            params,
        ).fetchone()
        if row:
            return str(row[0])
    return None


def outlets(db: Database) -> list[str]:
    """Every outlet name in the database, for the outlet filter."""
    return [r[0] for r in db.execute("SELECT DISTINCT outlet FROM articles ORDER BY outlet")]


def event_count(db: Database) -> int:
    run = _latest_run(db)
    if run is None:
        return 0
    return int(db.execute("SELECT count(*) FROM events WHERE run_id = ?", [run]).fetchone()[0])


def get_event(
    db: Database, annotator: str, event_id: str, required: Sequence[str] = ()
) -> EventSummary | None:
    """One event with the annotator's progress; ``None`` if there is no such event."""
    row = db.execute(
        f"SELECT e.id, e.seq, e.label, e.outlets, {_JUDGED} FROM events e WHERE e.id = :event",
        {"event": event_id, "annotator": annotator},
    ).fetchone()
    if row is None:
        return None
    done, partial, total = _progress(db, annotator, event_id, required)
    event_id_, seq, label, outlets, verdict, title = row
    return EventSummary(
        event_id_,
        seq,
        label,
        outlets,
        total=total,
        done=done,
        partial=partial,
        verdict=verdict,
        title=title,
    )


def events_of_passage(db: Database, passage_id: str) -> list[str]:
    """Every event of the latest run that holds this passage (one per fact it states)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT e.id FROM event_passages ep JOIN events e ON e.id = ep.event_id "
            "WHERE ep.passage_id = ? AND e.run_id = (SELECT max(run_id) FROM events) "
            "ORDER BY e.seq",
            [passage_id],
        )
    ]


def event_of_action(db: Database, action: dict[str, Any]) -> str | None:
    """The event a logged action was done in, while the latest run still has it; otherwise the
    first event of the latest run that holds the action's passage (a passage may be in several).
    """
    event_id = action.get("event_id")
    if event_id and in_latest_run(db, event_id):
        return str(event_id)
    holding = events_of_passage(db, action["passage_id"]) if action.get("passage_id") else []
    return holding[0] if holding else None


def first_event_id(db: Database) -> str | None:
    """The latest run's first event (cheap: for showing something before the list is ready)."""
    row = db.execute(
        "SELECT id FROM events WHERE run_id = (SELECT max(run_id) FROM events) ORDER BY seq LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def in_latest_run(db: Database, event_id: str) -> bool:
    """Whether the event is one of the latest run's (the ones listed)."""
    row = db.execute(
        "SELECT 1 FROM events WHERE id = ? AND run_id = (SELECT max(run_id) FROM events)",
        [event_id],
    ).fetchone()
    return row is not None
