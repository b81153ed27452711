"""What the review of an event needs from the database, and the judgements it writes.

Run on the app's database thread (see :mod:`.data`), like the annotation functions: each
write is one store call (one transaction, logged for undo), and each returns a
:class:`~.data.Change` with ``review=True`` so the screen reads the event again.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field

from ..model import outlet_key
from ..normalize import word_form
from ..safe_text import terminal_safe
from ..store import judgements as store
from ..store import new_events as new_events_store
from ..store.seen_events import event_changes, mark_seen
from ..store.worklist import EventSummary, get_event
from .data import Change, _shown_summary
from .layout.highlight import WORD


@dataclass(frozen=True)
class PairInfo:
    """A scored pair of the latest run (kept, or suggested): its score (0-100) and evidence."""

    score: float
    evidence: dict
    kept: bool


@dataclass
class ReviewView:
    """The review side of an event on screen: scores and evidence among its passages, the
    annotator's judgements, and how the event changed since they last saw it."""

    event_id: str
    pairs: dict[tuple[str, str], PairInfo] = field(default_factory=dict)
    judged: store.EventJudgements | None = None
    notice: str | None = None

    def pair(self, a: str, b: str) -> PairInfo | None:
        return self.pairs.get(store.ordered(a, b))

    def link(self, a: str, b: str) -> str | None:
        return self.judged.links.get(store.ordered(a, b)) if self.judged else None


def _as_written(stems: list, evidence: dict) -> list:
    """The shared words as the matched sentences write them ("coordinating", not "coordin"):
    the evidence keeps the aligner's normalised forms, a reader wants words."""
    written: dict[str, str] = {}
    for key in ("claim_a", "claim_b"):
        claim = evidence.get(key)
        if isinstance(claim, dict) and isinstance(claim.get("text"), str):
            for word in WORD.findall(claim["text"]):
                bare = re.sub(r"['’]s$", "", word)  # "Ukraine’s": the stem of "Ukraine"
                written.setdefault(word_form(word), word)
                written.setdefault(word_form(bare), bare)
    return [written.get(str(stem), stem) for stem in stems]


def _shown_evidence(evidence: dict) -> dict:
    """Evidence with its words and sentences made safe for the terminal (text is data), the
    shared words as written."""
    shown = dict(evidence)
    if isinstance(shown.get("shared_words"), list):
        shown["shared_words"] = _as_written(shown["shared_words"], evidence)
    for key in ("shared_numbers", "shared_words", "shared_entities"):
        if isinstance(shown.get(key), list):
            shown[key] = [terminal_safe(str(v)) for v in shown[key]]
    for key in ("claim_a", "claim_b"):
        if isinstance(shown.get(key), dict) and isinstance(shown[key].get("text"), str):
            shown[key] = {**shown[key], "text": terminal_safe(shown[key]["text"])}
    return shown


def _pairs(db, where: str, params: list) -> dict[tuple[str, str], PairInfo]:
    # the tables hold the latest run only; naming it lets SQLite use their primary key
    # (run_id, passage_a, passage_b) instead of reading every row
    run = db.execute("SELECT max(id) FROM align_runs").fetchone()[0]
    found: dict[tuple[str, str], PairInfo] = {}
    for table, kept in (("suggestions", False), ("alignments", True)):  # a kept pair wins
        for a, b, score, evidence in db.execute(
            f"SELECT passage_a, passage_b, score, evidence FROM {table} "
            f"WHERE run_id = ? AND ({where})",
            [run, *params],
        ):
            found[(a, b)] = PairInfo(score, _shown_evidence(json.loads(evidence or "{}")), kept)
    return found


def load_review(db, annotator: str, event_id: str, passage_ids: list[str]) -> ReviewView:
    """Read the event's pair scores and the annotator's judgements, and note (and record)
    whether it was split or merged since they last saw its passages."""
    marks = ",".join("?" * len(passage_ids))
    pairs = (
        _pairs(db, f"passage_a IN ({marks}) AND passage_b IN ({marks})", passage_ids * 2)
        if passage_ids
        else {}
    )
    return ReviewView(
        event_id,
        pairs,
        store.event_judgements(db, annotator, event_id, passage_ids),
        _shown_notice(event_changes(db, annotator, event_id, passage_ids)),
    )


def _shown_notice(notice: str | None) -> str | None:
    return terminal_safe(notice) if notice else notice


@dataclass(frozen=True)
class Candidate:
    """A passage that could join the event: suggested for ``anchor`` (an event member), or
    found by a search (``score`` None when the pair was never scored)."""

    passage_id: str
    anchor_id: str
    outlet: str
    seq: int
    text: str
    score: float | None
    evidence: dict
    anchor: str = ""  # the member it joins, as the screen names it ("ICARO Media Group ¶2")


def _describe(db, ids: list[str]) -> dict[str, tuple[str, int, str]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {  # shown on screen: text is data (see nato_compare.safe_text)
        pid: (terminal_safe(outlet), seq, terminal_safe(text))
        for pid, outlet, seq, text in db.execute(
            f"SELECT p.id, a.outlet, p.seq, p.text FROM passages p "
            f"JOIN articles a ON a.id = p.article_id WHERE p.id IN ({marks})",
            ids,
        )
    }


def candidates(db, event_id: str, members: list[str], limit: int = 30) -> list[Candidate]:
    """The best passages outside the event that the aligner scored against one of its members
    (suggestions it left out, and pairs it kept that ended elsewhere), from outlets other than
    that member's, best first, one per passage."""
    return _scored(db, members, set(members), limit)


def _scored(db, anchors: list[str], outside: set[str], limit: int) -> list[Candidate]:
    """The best passages not in ``outside`` that the aligner scored against one of
    ``anchors``, from outlets other than that anchor's, best first, one per passage."""
    if not anchors:
        return []
    inside = set(anchors)
    marks = ",".join("?" * len(anchors))
    pairs = _pairs(db, f"passage_a IN ({marks}) OR passage_b IN ({marks})", anchors * 2)
    best: dict[str, tuple[float, str, dict]] = {}
    for (a, b), info in pairs.items():
        if (a in inside) == (b in inside):
            continue
        other, anchor = (b, a) if a in inside else (a, b)
        if other in outside:
            continue
        if other not in best or info.score > best[other][0]:
            best[other] = (info.score, anchor, info.evidence)
    described = _describe(db, [*best, *anchors])
    found = []
    for pid, (score, anchor, evidence) in best.items():
        if pid in described and described[pid][0] != described[anchor][0]:
            outlet, seq, text = described[pid]
            anchor_outlet, anchor_seq, _ = described[anchor]
            found.append(
                Candidate(
                    pid,
                    anchor,
                    outlet,
                    seq,
                    text,
                    score,
                    evidence,
                    f"{anchor_outlet} ¶{anchor_seq + 1}",
                )
            )
    found.sort(key=lambda c: (-(c.score or 0), c.passage_id))
    return found[:limit]


def search(
    db, event_id: str, members: list[str], anchor_id: str, words: str, limit: int = 30
) -> list[Candidate]:
    """Live passages outside the event that contain ``words`` (case-insensitive), with their
    score against ``anchor_id`` when the aligner scored the pair."""
    return _search(db, set(members), anchor_id, words, limit)


def _search(
    db, outside: set[str], anchor_id: str, words: str, limit: int, other_outlets: bool = False
) -> list[Candidate]:
    """Live passages not in ``outside`` that contain ``words`` (with ``other_outlets``: only
    those of outlets other than the anchor's), scored against ``anchor_id`` where the aligner
    scored the pair."""
    words = words.strip()
    if not words:
        return []
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.execute(
        "SELECT p.id, a.outlet, p.seq, p.text, a.id FROM passages p JOIN articles a "
        "ON a.id = p.article_id WHERE p.superseded_at IS NULL AND p.text LIKE ? ESCAPE '\\' "
        "ORDER BY p.article_id, p.seq",
        [f"%{escaped}%"],
    ).fetchall()
    # the rows' own outlet keys: looking up every match (a one-letter search matches most
    # passages) doubled the time the database thread is busy with a search
    own_outlet = (
        store.passage_outlet_keys(db, [anchor_id]).get(anchor_id) if other_outlets else None
    )
    found = []
    for pid, outlet, seq, text, article in rows:
        if pid in outside or (own_outlet is not None and outlet_key(outlet, article) == own_outlet):
            continue
        pair = _pairs(db, "passage_a = ? AND passage_b = ?", list(store.ordered(pid, anchor_id)))
        info = next(iter(pair.values()), None)
        found.append(
            Candidate(
                pid,
                anchor_id,
                terminal_safe(outlet),
                seq,
                terminal_safe(text),
                info.score if info else None,
                info.evidence if info else {},
            )
        )
        if len(found) >= limit:
            break
    return found


def _together_with(db, passage_id: str) -> set[str]:
    """The passage and every passage an event of the latest run holds with it."""
    return {passage_id} | {
        r[0]
        for r in db.execute(
            "SELECT DISTINCT y.passage_id FROM event_passages x JOIN event_passages y "
            "ON y.event_id = x.event_id WHERE x.passage_id = ?",
            [passage_id],
        )
    }


def new_event_candidates(db, passage_id: str, limit: int = 30) -> list[Candidate]:
    """For a new event with ``passage_id``: the passages of other outlets the aligner scored
    best against it that no event holds with it, best first."""
    found = _scored(db, [passage_id], _together_with(db, passage_id), limit)
    # each is scored against the focused passage: "with …" would say nothing
    return [dataclasses.replace(c, anchor="") for c in found]


def new_event_search(db, passage_id: str, words: str, limit: int = 30) -> list[Candidate]:
    """For a new event with ``passage_id``: live passages of other outlets that contain
    ``words`` and that no event holds with it."""
    return _search(db, _together_with(db, passage_id), passage_id, words, limit, True)


def passage_as_candidate(db, passage_id: str) -> list[Candidate]:
    """The passage itself, as the one a new event starts from unless another is chosen."""
    return [
        Candidate(passage_id, passage_id, outlet, seq, text, None, {})
        for outlet, seq, text in _describe(db, [passage_id]).values()
    ]


def any_passage_search(db, passage_id: str, words: str, limit: int = 30) -> list[Candidate]:
    """Live passages of any outlet, in an event or not, that contain ``words``: where a new
    event may start (``passage_id``: the focused one, which scores are read against)."""
    return _search(db, set(), passage_id, words, limit)


# --- judgements ---------------------------------------------------------------------------


def _review_change(db, annotator: str, action: dict, required=()) -> Change:
    event_id = action.get("event_id") or None
    if event_id and ("memberships" in action or "membership" in action):
        mark_seen(db, annotator, event_id)  # the analyst's own change is what they saw
    summary: EventSummary | None = (
        get_event(db, annotator, event_id, required) if event_id else None
    )
    return Change(
        terminal_safe(action["description"]),
        event_id,
        passage_id=action.get("passage_id") or None,
        summary=_shown_summary(summary),
        review=True,
    )


def judge_link(
    db, annotator: str, event_id: str, focused: str, partner: str, verdict: str, required=()
) -> Change:
    action = store.judge_link(db, annotator, focused, partner, verdict, event_id=event_id)
    return _review_change(db, annotator, action, required)


def detach(db, annotator: str, event_id: str, passage_id: str, required=()) -> Change:
    action = store.detach(db, annotator, event_id, passage_id)
    return _review_change(db, annotator, action, required)


def attach(
    db, annotator: str, event_id: str, passage_id: str, anchor_id: str, required=()
) -> Change:
    action = store.attach(db, annotator, event_id, passage_id, anchor_id)
    return _review_change(db, annotator, action, required)


def new_event(db, annotator: str, passage_id: str, other_id: str, required=()) -> Change:
    """A new event of the two passages; the change names it and says the list changed."""
    action = new_events_store.new_event(db, annotator, passage_id, other_id)
    return dataclasses.replace(_review_change(db, annotator, action, required), events=True)


def judge_event(db, annotator: str, event_id: str, verdict: str, required=()) -> Change:
    action = store.judge_event(db, annotator, event_id, verdict)
    return _review_change(db, annotator, action, required)


def set_title(db, annotator: str, event_id: str, title: str, required=()) -> Change:
    action = store.set_event_title(db, annotator, event_id, title)
    return _review_change(db, annotator, action, required)
