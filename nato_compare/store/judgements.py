"""Judgements: an annotator's verdicts on the alignment, written and undone like labels.

One table, ``judgements``, one row per decision, keyed by
``(annotator, kind, passage_a, passage_b, event_id)`` (unused key columns hold ``''``):

- ``kind='link'``: ``passage_a`` < ``passage_b`` (content-derived passage ids, so a verdict
  survives re-ingest and re-alignment) and ``verdict`` ``same`` or ``different``. ``via`` says
  how it was given: ``accept``/``reject`` (a link judged on its own), ``detach`` (the passage
  was taken out of an event: ``different`` from each other member), ``attach`` (added to an
  event: ``same`` as the member it was suggested for), ``new_event`` (the two made a new
  event: :mod:`.new_events`), ``import``. ``score`` is the pair's score when judged (None if it
  was never scored). These rows steer the next alignment (must-link / cannot-link) and are what
  ``export --links`` writes.
- ``kind='event'``: ``event_id`` and ``verdict`` ``same_fact``, ``same_theme`` or ``unrelated``.
- ``kind='title'``: ``event_id``, ``verdict='title'`` and the annotator's title in ``note``.

Detaching, attaching and a new event also change the current run's ``event_passages`` (and
``events``) at once, so the event on screen shows the correction before the next ``align``. Every call is one transaction
with an ``action_log`` entry holding the rows and memberships before and after, so undo/redo
(:func:`nato_compare.store.annotations.undo`) restores them, across restarts. Judgements are per
annotator and read per annotator (blind, like labels).
"""

# Over 400 lines: every judgement is written, undone and read here, as labels are in annotations.

from __future__ import annotations


import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..errors import NatoCompareError
from ..model import outlet_key
from .annotations import _log, _now
from .events import drop_event_if_empty, put_event
from .worklist import claim_spans

LINK, EVENT, TITLE = "link", "event", "title"
SAME, DIFFERENT = "same", "different"
NEW_EVENT = "new_event"  # the ``via`` of a link that made a new event (see .new_events)
LINK_VERDICTS = (SAME, DIFFERENT)
EVENT_VERDICTS = ("same_fact", "same_theme", "unrelated")
EVENT_VERDICT_NAMES = {
    "same_fact": "same fact",
    "same_theme": "same theme only",
    "unrelated": "unrelated",
}
FIELDS = (
    "id",
    "annotator",
    "kind",
    "passage_a",
    "passage_b",
    "event_id",
    "verdict",
    "note",
    "score",
    "via",
    "created_at",
)
_KEY = ("annotator", "kind", "passage_a", "passage_b", "event_id")
_INSERT = f"INSERT INTO judgements ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})"


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def new_row(annotator: str, kind: str, verdict: str, **values: Any) -> dict[str, Any]:
    row = {
        "id": uuid.uuid4().hex,
        "annotator": annotator,
        "kind": kind,
        "passage_a": "",
        "passage_b": "",
        "event_id": "",
        "verdict": verdict,
        "note": "",
        "score": None,
        "via": "",
        "created_at": _now(),
    }
    row.update(values)
    return row


# --- the rows an action changes, and putting them back --------------------------------


def _key_of(row: dict[str, Any]) -> list[Any]:
    return [row[k] for k in _KEY]


def _get(db: sqlite_utils.Database, key: list[Any]) -> dict[str, Any] | None:
    row = db.execute(
        f"SELECT {', '.join(FIELDS)} FROM judgements WHERE "
        + " AND ".join(f"{k} = ?" for k in _KEY),
        key,
    ).fetchone()
    return dict(zip(FIELDS, row)) if row else None


def _put(db: sqlite_utils.Database, keys: list[list[Any]], rows: list[dict[str, Any]]) -> None:
    for key in keys:
        db.execute("DELETE FROM judgements WHERE " + " AND ".join(f"{k} = ?" for k in _KEY), key)
    for row in rows:
        db.execute(_INSERT, [row[k] for k in FIELDS])


def _membership(db: sqlite_utils.Database, event_id: str, passage_id: str) -> float | None:
    row = db.execute(
        "SELECT score FROM event_passages WHERE event_id = ? AND passage_id = ?",
        [event_id, passage_id],
    ).fetchone()
    return row[0] if row else None


def _membership_claims(db: sqlite_utils.Database, event_id: str, passage_id: str) -> str:
    row = db.execute(
        "SELECT claims FROM event_passages WHERE event_id = ? AND passage_id = ?",
        [event_id, passage_id],
    ).fetchone()
    return row[0] if row else "[]"


def _put_membership(
    db: sqlite_utils.Database,
    event_id: str,
    passage_id: str,
    score: float | None,
    claims: str = "[]",
) -> None:
    db.execute(
        "DELETE FROM event_passages WHERE event_id = ? AND passage_id = ?", [event_id, passage_id]
    )
    if score is not None:
        db.execute(
            "INSERT INTO event_passages (event_id, passage_id, score, claims) VALUES (?, ?, ?, ?)",
            [event_id, passage_id, score, claims],
        )
    # the event's counts follow its members (outlets counted as alignment does: per outlet key)
    db.execute(
        """UPDATE events SET passages = (SELECT count(*) FROM event_passages WHERE event_id = :e),
           outlets = (SELECT count(DISTINCT CASE WHEN a.outlet IN ('', 'unknown')
                                           THEN 'unknown:' || a.id ELSE a.outlet END)
                      FROM event_passages ep JOIN passages p ON p.id = ep.passage_id
                      JOIN articles a ON a.id = p.article_id WHERE ep.event_id = :e)
           WHERE id = :e""",
        {"e": event_id},
    )


def _change(
    db: sqlite_utils.Database,
    annotator: str,
    description: str,
    after_rows: list[dict[str, Any]],
    *,
    removed: Iterable[list[Any]] = (),
    event_id: str = "",
    passage_id: str = "",
    memberships: Iterable[tuple[str, str, float | None]] = (),
    created_event: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``after_rows`` (replacing rows of the same keys) and remove the ``removed`` keys,
    create ``created_event`` (an ``events`` row: id, label) and set ``memberships`` (event,
    passage, score; None: out), in one logged transaction (caller holds it)."""
    keys = [_key_of(r) for r in after_rows] + [list(k) for k in removed]
    before = [row for key in keys if (row := _get(db, key)) is not None]
    _put(db, keys, after_rows)
    action: dict[str, Any] = {
        "kind": "judgements",
        "description": description,
        "event_id": event_id,
        "passage_id": passage_id,
        "keys": keys,
        "before": before,
        "after": after_rows,
    }
    if created_event is not None:
        action["created_event"] = created_event
        put_event(db, created_event)  # before its members (they reference it)
    changed = []
    for m_event, m_passage, score in memberships:
        changed.append(
            {
                "event_id": m_event,
                "passage_id": m_passage,
                "before": _membership(db, m_event, m_passage),
                "after": score,
                # the sentences that put it there, underlined again when a detach is undone
                "before_claims": _membership_claims(db, m_event, m_passage),
            }
        )
        _put_membership(db, m_event, m_passage, score)
    if changed:
        action["memberships"] = changed
    _log(db, annotator, action)
    return action


def restore(db: sqlite_utils.Database, action: dict[str, Any], state: str) -> None:
    """Put an action's ``state`` ("before" or "after") back (undo/redo; caller holds the
    transaction). An event the action created is made again before its members, and removed
    after them once it has none left."""
    _put(db, action["keys"], action[state])
    created = action.get("created_event")
    if created is not None and state == "after":
        put_event(db, created)
    # "membership": one, as actions logged before new events were possible wrote it
    memberships = action.get("memberships") or [m for m in [action.get("membership")] if m]
    dropped: list[str] = []
    for membership in memberships:
        event = membership["event_id"]
        exists = db.execute("SELECT 1 FROM events WHERE id = ?", [event]).fetchone() is not None
        if membership[state] is None:  # taken out: also of where an align since put the link
            dropped += _leave_linked_events(db, action, membership["passage_id"], event, exists)
        if not exists:
            # an align since renamed or dropped the event: the judgement put back above places
            # the passage at the next align (a row here would name no event)
            continue
        _put_membership(
            db,
            membership["event_id"],
            membership["passage_id"],
            membership[state],
            membership.get(f"{state}_claims", "[]"),
        )
    if created is not None and state == "before":
        drop_event_if_empty(db, created["id"])
    if dropped:  # for the caller: the list of events changed
        action["dropped_events"] = dropped


def _leave_linked_events(
    db: sqlite_utils.Database, action: dict[str, Any], passage: str, event: str, exists: bool
) -> list[str]:
    """Take ``passage`` out of the events of the latest run, other than ``event``, where an
    align since put it by one of the action's links: an event that holds it and its partner
    there both without a claim (made of the link alone), or, when ``event`` is gone (renamed),
    one that holds it without a claim beside its partner; not beside a partner an accepted link
    still ties it to. Returns the events that, left with fewer than two passages, were
    removed."""
    partners = {
        row["passage_b"] if row["passage_a"] == passage else row["passage_a"]
        for row in (*action["before"], *action["after"])
        if row["kind"] == LINK and passage in (row["passage_a"], row["passage_b"])
    }
    # a pair an accepted link still ties (another annotator's, or the new event the undone
    # action had replaced) stays where it is
    partners = {
        partner
        for partner in partners
        if not db.execute(
            "SELECT 1 FROM judgements WHERE kind = ? AND verdict = ? AND passage_a = ? "
            "AND passage_b = ?",
            [LINK, SAME, *ordered(passage, partner)],
        ).fetchone()
    }
    linked = db.execute(
        "SELECT DISTINCT x.event_id FROM event_passages x JOIN event_passages y "
        "ON y.event_id = x.event_id WHERE x.passage_id = ? AND x.event_id != ? "
        f"AND x.claims = '[]' AND y.passage_id IN ({','.join('?' * len(partners))}) "
        "AND (? OR y.claims = '[]')",
        [passage, event, *partners, not exists],
    ).fetchall()
    dropped = []
    for (other,) in linked:
        _put_membership(db, other, passage, None)
        drop_event_if_empty(db, other)
        if not db.execute("SELECT 1 FROM events WHERE id = ?", [other]).fetchone():
            dropped.append(other)
    return dropped


def _check_passages(db: sqlite_utils.Database, *ids: str) -> None:
    for passage_id in ids:
        if not db.execute("SELECT 1 FROM passages WHERE id = ?", [passage_id]).fetchone():
            raise NatoCompareError(f"no passage {passage_id} in the database")


def _check_event(db: sqlite_utils.Database, event_id: str) -> None:
    if not db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone():
        raise NatoCompareError(f"no event {event_id} in the database")


def pair_score(db: sqlite_utils.Database, a: str, b: str) -> float | None:
    """The pair's score in the latest run (an aligned pair or a suggestion), or None."""
    a, b = ordered(a, b)
    row = db.execute(
        "SELECT score FROM alignments WHERE passage_a = ? AND passage_b = ? "
        "UNION ALL SELECT score FROM suggestions WHERE passage_a = ? AND passage_b = ? LIMIT 1",
        [a, b, a, b],
    ).fetchone()
    return row[0] if row else None


# --- judging ----------------------------------------------------------------------------


def judge_link(
    db: sqlite_utils.Database,
    annotator: str,
    a: str,
    b: str,
    verdict: str,
    *,
    event_id: str = "",
) -> dict[str, Any]:
    """Accept (``same``) or reject (``different``) the link between two passages; giving the
    stored verdict again clears it (a toggle, like a label key). Returns the logged action."""
    if verdict not in LINK_VERDICTS:
        raise NatoCompareError(f"a link verdict is one of {', '.join(LINK_VERDICTS)}")
    if a == b:
        raise NatoCompareError("a link joins two different passages")
    focus = a  # the passage the annotator judged from: undo shows it again
    a, b = ordered(a, b)
    with db.atomic():
        _check_passages(db, a, b)
        key = [annotator, LINK, a, b, ""]
        stored = _get(db, key)
        if stored is not None and stored["verdict"] == verdict:
            return _change(
                db,
                annotator,
                f"link {verdict} cleared",
                [],
                removed=[key],
                event_id=event_id,
                passage_id=focus,
            )
        row = new_row(
            annotator,
            LINK,
            verdict,
            passage_a=a,
            passage_b=b,
            score=pair_score(db, a, b),
            via="accept" if verdict == SAME else "reject",
        )
        word = "accepted" if verdict == SAME else "rejected"
        return _change(db, annotator, f"link {word}", [row], event_id=event_id, passage_id=focus)


def detach(
    db: sqlite_utils.Database, annotator: str, event_id: str, passage_id: str
) -> dict[str, Any]:
    """Take a passage out of an event: ``different`` from each other member, and out of the
    event's members now (the next alignment keeps it apart from them)."""
    with db.atomic():
        _check_event(db, event_id)
        if _membership(db, event_id, passage_id) is None:
            raise NatoCompareError(f"passage {passage_id} is not in event {event_id}")
        others = [
            r[0]
            for r in db.execute(
                "SELECT passage_id FROM event_passages WHERE event_id = ? AND passage_id != ?",
                [event_id, passage_id],
            )
        ]
        rows = []
        for other in others:
            a, b = ordered(passage_id, other)
            rows.append(
                new_row(
                    annotator,
                    LINK,
                    DIFFERENT,
                    passage_a=a,
                    passage_b=b,
                    score=pair_score(db, a, b),
                    via="detach",
                )
            )
        return _change(
            db,
            annotator,
            "passage detached",
            rows,
            event_id=event_id,
            passage_id=passage_id,
            memberships=[(event_id, passage_id, None)],
        )


def attach(
    db: sqlite_utils.Database, annotator: str, event_id: str, passage_id: str, anchor_id: str
) -> dict[str, Any]:
    """Add a passage to an event as the ``same`` as ``anchor_id`` (the member it was suggested
    for, or the focused one): it joins the event's members now, and the next alignment keeps
    the two together."""
    with db.atomic():
        _check_event(db, event_id)
        _check_passages(db, passage_id)
        if _membership(db, event_id, anchor_id) is None:
            raise NatoCompareError(f"passage {anchor_id} is not in event {event_id}")
        if _membership(db, event_id, passage_id) is not None:
            raise NatoCompareError("that passage is already in this event")
        a, b = ordered(passage_id, anchor_id)
        score = pair_score(db, a, b)
        row = new_row(annotator, LINK, SAME, passage_a=a, passage_b=b, score=score, via="attach")
        return _change(
            db,
            annotator,
            "passage attached",
            [row],
            event_id=event_id,
            passage_id=passage_id,
            memberships=[(event_id, passage_id, score if score is not None else 0.0)],
        )


def judge_event(
    db: sqlite_utils.Database, annotator: str, event_id: str, verdict: str
) -> dict[str, Any]:
    """Mark the whole event ``same_fact``, ``same_theme`` or ``unrelated``; the same verdict
    again clears it."""
    if verdict not in EVENT_VERDICTS:
        raise NatoCompareError(f"an event verdict is one of {', '.join(EVENT_VERDICTS)}")
    with db.atomic():
        _check_event(db, event_id)
        key = [annotator, EVENT, "", "", event_id]
        stored = _get(db, key)
        name = EVENT_VERDICT_NAMES[verdict]
        if stored is not None and stored["verdict"] == verdict:
            return _change(
                db, annotator, f"event: {name} cleared", [], removed=[key], event_id=event_id
            )
        row = new_row(annotator, EVENT, verdict, event_id=event_id)
        return _change(db, annotator, f"event: {name}", [row], event_id=event_id)


def set_event_title(
    db: sqlite_utils.Database, annotator: str, event_id: str, title: str
) -> dict[str, Any]:
    """The annotator's title for an event; an empty title goes back to the aligner's."""
    title = " ".join(title.split())
    with db.atomic():
        _check_event(db, event_id)
        key = [annotator, TITLE, "", "", event_id]
        if not title:
            return _change(db, annotator, "title cleared", [], removed=[key], event_id=event_id)
        row = new_row(annotator, TITLE, TITLE, event_id=event_id, note=title)
        return _change(db, annotator, "title edited", [row], event_id=event_id)


# --- reading ----------------------------------------------------------------------------


def link_verdicts(
    db: sqlite_utils.Database, annotator: str | None = None
) -> dict[tuple[str, str], str]:
    """Link verdicts by pair. With several annotators, a pair anyone judged ``different`` is
    ``different`` (a rejection is not outvoted), otherwise ``same``."""
    sql = "SELECT passage_a, passage_b, verdict FROM judgements WHERE kind = 'link'"
    params: list[Any] = []
    if annotator is not None:
        sql, params = sql + " AND annotator = ?", [annotator]
    verdicts: dict[tuple[str, str], str] = {}
    for a, b, verdict in db.execute(sql, params):
        if verdicts.get((a, b)) != DIFFERENT:
            verdicts[(a, b)] = verdict
    return verdicts


def constraints(db: sqlite_utils.Database) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(must_link, cannot_link) pairs for the aligner, from every annotator's link verdicts."""
    verdicts = link_verdicts(db)
    must = sorted(pair for pair, v in verdicts.items() if v == SAME)
    cannot = sorted(pair for pair, v in verdicts.items() if v == DIFFERENT)
    return must, cannot


def together_pairs(
    db: sqlite_utils.Database, pairs: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Those of ``pairs`` (ordered passage id pairs) that one event of the latest run holds."""
    events: dict[str, set[str]] = {}
    for passage_id, event_id in db.execute("SELECT passage_id, event_id FROM event_passages"):
        events.setdefault(passage_id, set()).add(event_id)
    return {(a, b) for a, b in pairs if events.get(a, set()) & events.get(b, set())}


def link_claims(
    db: sqlite_utils.Database, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int | None, int | None]]:
    """For each of ``pairs`` that one event of the latest run holds: the start offset of each
    passage's first claim there (None: the passage is there without a claim, as an attached
    one is). An accepted link then keeps the passage with the fact it was attached to.

    A pair whose latest link verdict made a new event (``via="new_event"``) is (None, None):
    the two passages themselves are tied, apart from the events either is in through a
    sentence, so they form that event again (:mod:`nato_compare.store.new_events`). So is a
    pair that such an event holds without a claim of either, whatever was said about it later:
    another annotator's accept there agrees, and a passage attached there stays there."""
    wanted = {(a, b) for a, b in pairs}
    if not wanted:
        return {}
    latest_via: dict[tuple[str, str], str] = {}
    made: set[tuple[str, str]] = set()  # pairs someone made a new event of
    for a, b, via in db.execute(
        "SELECT passage_a, passage_b, via FROM judgements WHERE kind = 'link' "
        "ORDER BY created_at, rowid"
    ):
        latest_via[(a, b)] = via
        if via == NEW_EVENT:
            made.add((a, b))
    claims: dict[str, dict[str, int | None]] = {}  # passage -> event -> first claim start
    for passage_id, event_id, found in db.execute(
        "SELECT passage_id, event_id, claims FROM event_passages"
    ):
        starts = [start for start, _ in claim_spans(found)]
        claims.setdefault(passage_id, {})[event_id] = min(starts) if starts else None

    # events that hold a pair someone made a new event of, both without a claim: new events
    made_events = {
        e
        for a, b in made
        for e in claims.get(a, {}).keys() & claims.get(b, {}).keys()
        if claims[a][e] is None and claims[b][e] is None
    }

    def in_made_event(a: str, b: str) -> bool:
        # a new event holds both without a claim: a later accept there (another annotator's
        # y) agrees with it, and a passage attached there stays there, rather than being tied
        # by its anchor's sentence to the event of that sentence
        return any(
            claims[a][e] is None and claims[b][e] is None
            for e in claims.get(a, {}).keys() & claims.get(b, {}).keys() & made_events
        )

    own = {pair for pair in wanted if latest_via.get(pair) == NEW_EVENT or in_made_event(*pair)}
    hints: dict[tuple[str, str], tuple[int | None, int | None]] = {}
    for a, b in sorted(wanted - own):
        # an event where at least one of the two has a claim (both without: a database from
        # before claims, or two attached passages: no hint, the aligner picks the sentences)
        shared = sorted(
            (claims[a][e] is None and claims[b][e] is None, e)
            for e in claims.get(a, {}).keys() & claims.get(b, {}).keys()
        )
        if shared and not shared[0][0]:
            event = shared[0][1]
            hints[(a, b)] = (claims[a][event], claims[b][event])
    hints.update(dict.fromkeys(own, (None, None)))
    return hints


def passage_outlet_keys(db: sqlite_utils.Database, passage_ids: Iterable[str]) -> dict[str, str]:
    """Each passage's outlet key (unknown outlets count per article, as alignment does)."""
    ids = sorted(set(passage_ids))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for pid, outlet, article in db.execute(
            f"SELECT p.id, a.outlet, a.id FROM passages p JOIN articles a ON a.id = p.article_id "
            f"WHERE p.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            found[pid] = outlet_key(outlet, article)
    return found


@dataclass(frozen=True)
class EventJudgements:
    """One annotator's judgements touching one event: the verdict on the whole, the title,
    and link verdicts among its passages (by ordered pair)."""

    verdict: str | None
    title: str | None
    links: dict[tuple[str, str], str]


def event_judgements(
    db: sqlite_utils.Database, annotator: str, event_id: str, passage_ids: list[str]
) -> EventJudgements:
    verdict = title = None
    for kind, value, note in db.execute(
        "SELECT kind, verdict, note FROM judgements WHERE annotator = ? AND event_id = ? "
        "AND kind IN ('event', 'title')",
        [annotator, event_id],
    ):
        if kind == EVENT:
            verdict = value
        else:
            title = note
    links: dict[tuple[str, str], str] = {}
    if passage_ids:
        marks = ",".join("?" * len(passage_ids))
        for a, b, value in db.execute(
            f"SELECT passage_a, passage_b, verdict FROM judgements WHERE annotator = ? "
            f"AND kind = 'link' AND (passage_a IN ({marks}) OR passage_b IN ({marks}))",
            [annotator, *passage_ids, *passage_ids],
        ):
            links[(a, b)] = value
    return EventJudgements(verdict, title, links)


def reviewed_events(db: sqlite_utils.Database, annotator: str | None = None) -> set[str]:
    """Events with a verdict on the whole (by ``annotator``, or by anyone)."""
    sql = "SELECT DISTINCT event_id FROM judgements WHERE kind = 'event'"
    params = []
    if annotator is not None:
        sql, params = sql + " AND annotator = ?", [annotator]
    return {r[0] for r in db.execute(sql, params)}


def event_titles(db: sqlite_utils.Database, annotator: str) -> dict[str, str]:
    return {
        r[0]: r[1]
        for r in db.execute(
            "SELECT event_id, note FROM judgements WHERE kind = 'title' AND annotator = ?",
            [annotator],
        )
    }
