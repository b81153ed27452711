"""Events from kept claim pairs: greedy union-find, best pair first, under the analysts' constraints.

The nodes are claims (sentences), not passages: a paragraph that states two facts ("$40 billion a
year" and "Hungary will not block it") can stand in two events, each for one of its sentences,
instead of welding the two facts into one event. An event holds claims of at least two outlets.

Merging two partial events is refused when it would put passages of one article into the event
that are not consecutive paragraphs (at most ``most`` of them: an outlet often tells one fact over
a paragraph and the next; several sentences of one paragraph are fine), and when an analyst said
two of their passages report different events (``cannot``). Pairs an analyst accepted (``must``)
are merged first, whatever their score.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..model import Event, EventMember, event_id
from .claims import Sentences


@dataclass(frozen=True)
class EventInput:
    """What events are built from, per passage (index): its id, article, text and outlet code,
    the article (or outlet) code an event holds few passages of, and its paragraph number."""

    ids: list[str]
    articles: list[str]
    texts: list[str]
    outlet_codes: np.ndarray
    keys: np.ndarray
    positions: np.ndarray


@dataclass(frozen=True)
class Grouping:
    """Events as claims: ``groups`` lists each event's claim nodes (sorted, at least two
    passages); ``passage_score[(g, passage)]`` is the best kept score linking that passage's
    claims to another member of event g."""

    groups: list[list[int]]
    passage_score: dict[tuple[int, int], float]


def _may_merge(
    a: dict[int, frozenset[int]], b: dict[int, frozenset[int]], most: int, positions: np.ndarray
) -> bool:
    """Whether two events may merge: for every article (or outlet) in both, its passages in the
    merged event are one passage (claims of one paragraph), or consecutive paragraphs, at most
    ``most`` of them (positions unknown: never)."""
    for key in a.keys() & b.keys():
        passages = a[key] | b[key]
        if len(passages) == 1:
            continue
        places = sorted(int(positions[p]) for p in passages)
        if (
            len(places) > most
            or places[0] < 0
            or len(set(places)) != len(places)
            or places[-1] - places[0] != len(places) - 1
        ):
            return False
    return True


def group_events(
    pairs: np.ndarray,
    scores: np.ndarray,
    units: np.ndarray,
    keys: np.ndarray,
    positions: np.ndarray,
    *,
    most: int,
    must: Iterable[tuple[int, int]] = (),
    cannot: Iterable[tuple[int, int]] = (),
) -> Grouping:
    """Group claim nodes into events.

    ``pairs`` (n × 2 claim nodes) with ``scores`` are merged best first; ``units`` gives each
    node's passage, ``keys`` each passage's article (or outlet) code and ``positions`` its
    paragraph number (-1 unknown). ``must`` node pairs are merged before any other; ``cannot``
    passage pairs never end in one event.
    """
    parent: dict[int, int] = {}
    owners: dict[int, dict[int, frozenset[int]]] = {}  # root -> article -> its passages
    passages: dict[int, frozenset[int]] = {}  # root -> passages of its claims
    apart: dict[int, set[int]] = {}
    for i, j in cannot:
        apart.setdefault(i, set()).add(j)
        apart.setdefault(j, set()).add(i)

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        ui, uj = int(units[i]), int(units[j])
        oi = owners.get(ri, {int(keys[ui]): frozenset((ui,))})
        oj = owners.get(rj, {int(keys[uj]): frozenset((uj,))})
        if oi.keys() & oj.keys() and not _may_merge(oi, oj, most, positions):
            return
        pi, pj = passages.get(ri, frozenset((ui,))), passages.get(rj, frozenset((uj,)))
        if apart and any(apart.get(x, set()) & pj for x in pi):
            return
        if len(pi) < len(pj):
            ri, rj, oi, oj, pi, pj = rj, ri, oj, oi, pj, pi
        parent[rj] = ri
        merged = dict(oi)
        for key, places in oj.items():
            merged[key] = merged.get(key, frozenset()) | places
        owners[ri] = merged
        owners.pop(rj, None)
        passages[ri] = pi | pj
        passages.pop(rj, None)

    for i, j in sorted(must):
        union(i, j)
    order = np.lexsort((pairs[:, 1], pairs[:, 0], -scores)) if len(pairs) else np.zeros(0, int)
    for k in order:
        union(int(pairs[k, 0]), int(pairs[k, 1]))
    nodes: dict[int, set[int]] = {}
    for x in (
        {int(x) for x in parent}
        | {int(x) for x in parent.values()}
        | {int(x) for x in np.unique(pairs)}
    ):
        nodes.setdefault(find(x), set()).add(x)
    roots = [r for r, members in nodes.items() if len(passages.get(r, ())) >= 2]
    groups = [sorted(nodes[r]) for r in roots]
    group_of_root = {r: g for g, r in enumerate(roots)}
    passage_score: dict[tuple[int, int], float] = {}
    for k in range(len(pairs)):
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        root = find(i)
        if root == find(j) and root in group_of_root:
            g = group_of_root[root]
            for x in (i, j):
                key = (g, int(units[x]))
                passage_score[key] = max(passage_score.get(key, 0.0), float(scores[k]))
    return Grouping(groups, passage_score)


def _must_nodes(
    sentences: Sentences,
    candidates: np.ndarray,
    scores: np.ndarray,
    kept: np.ndarray,
    must: set[tuple[int, int]],
    hints: dict[tuple[int, int], tuple[int | None, int | None]],
) -> list[tuple[int, int]]:
    """An analyst's accepted passage pairs as claim node pairs: the best-scored sentence pair of
    the two passages, preferring on each side a sentence that a kept claim puts in an event (so
    that a passage attached to an event joins that event's claim, not another sentence of its
    anchor), but the two passages' own nodes when both are claims the aligner did not keep
    together (tying them would merge their two events); with no scored sentence pair, the best-scored sentence in a kept claim of the one
    passage that has such a sentence (an attached passage joins its anchor's fact, also when the
    run before, made without the judgements, did not hold it) and the other passage's own node
    after the sentences; both passages' own nodes when both or neither have one (never two
    claims of two events: that would merge the two facts). A pair
    with ``hints`` (the claim start each passage had in the event that held both, None: the
    passage itself) is tied by those nodes."""
    if not must:
        return []
    sentence_count = len(sentences.of)

    def node(passage: int, start: int | None) -> int:
        if start is not None:
            for x in range(int(sentences.first[passage]), int(sentences.first[passage + 1])):
                if int(sentences.start[x]) == start:
                    return x
        return sentence_count + passage

    in_claims = np.zeros(sentence_count, dtype=bool)
    in_claims[candidates[kept].ravel()] = True
    kept_pairs = {(int(x), int(y)) for x, y in candidates[kept].tolist()}
    claim_score = np.full(sentence_count, -1.0)  # each sentence's best kept claim score
    if len(kept):
        np.maximum.at(claim_score, candidates[kept, 0], scores[kept])
        np.maximum.at(claim_score, candidates[kept, 1], scores[kept])

    def claim_or_passage(passage: int) -> int:
        first, stop = int(sentences.first[passage]), int(sentences.first[passage + 1])
        if stop > first:
            x = first + int(np.argmax(claim_score[first:stop]))
            if claim_score[x] >= 0:
                return x
        return sentence_count + passage

    best: dict[tuple[int, int], tuple[tuple[int, float], int, int]] = {}
    if len(candidates):
        a, b = sentences.of[candidates[:, 0]], sentences.of[candidates[:, 1]]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        width = len(sentences.first) + 1
        wanted = np.isin(lo * width + hi, [i * width + j for i, j in must])
        for k in np.flatnonzero(wanted).tolist():
            key = (int(lo[k]), int(hi[k]))
            x, y = int(candidates[k, 0]), int(candidates[k, 1])
            rank = (int(in_claims[x]) + int(in_claims[y]), float(scores[k]))
            if key not in best or rank > best[key][0]:
                best[key] = (rank, x, y)
    nodes = []
    for i, j in sorted(must):
        if (i, j) in hints:
            nodes.append((node(i, hints[i, j][0]), node(j, hints[i, j][1])))
        elif (i, j) in best:
            (in_both, _), x, y = best[i, j]
            # both sentences state facts events hold, and the aligner did not keep them as one:
            # tying them would merge those two events on one accepted link
            nodes.append(
                (x, y)
                if in_both < 2 or (x, y) in kept_pairs
                else (
                    sentence_count + i,
                    sentence_count + j,
                )
            )
        else:
            ends = claim_or_passage(i), claim_or_passage(j)
            if ends[0] < sentence_count and ends[1] < sentence_count:
                # each states a fact an event holds: tying the two sentences would merge those
                # two events on a link that says only that the passages report one fact
                ends = sentence_count + i, sentence_count + j
            nodes.append(ends)
    return nodes


def build_events(
    data: EventInput,
    sentences: Sentences,
    candidates: np.ndarray,
    scores: np.ndarray,
    kept: np.ndarray,
    *,
    most: int,
    must: set[tuple[int, int]],
    cannot: set[tuple[int, int]],
    label: Callable[[str], str],
    must_claims: dict[tuple[int, int], tuple[int | None, int | None]] | None = None,
) -> tuple[list[Event], dict[int, str], dict[int, list[str]]]:
    """Events of the kept claims (``kept`` indexes the scored sentence pairs ``candidates``);
    also the event of each kept claim and the events of each passage. ``must`` and ``cannot``
    are passage index pairs (``must_claims``: the claim each ``must`` pair stands for, see
    :func:`_must_nodes`); ``label`` shortens a sentence into an event label."""
    sentence_count = len(sentences.of)
    # nodes: the sentences, then one node per passage for accepted links without a claim
    units = np.concatenate([sentences.of, np.arange(len(data.ids), dtype=np.int64)])
    grouping = group_events(
        candidates[kept],
        scores[kept],
        units,
        data.keys,
        data.positions,
        most=most,
        must=_must_nodes(sentences, candidates, scores, kept, must, must_claims or {}),
        cannot=cannot,
    )

    def first_passage(nodes: list[int]) -> tuple[str, str, int]:
        p = min(int(units[x]) for x in nodes)
        starts = [int(sentences.start[x]) for x in nodes if x < sentence_count and units[x] == p]
        return data.articles[p], data.ids[p], min(starts, default=-1)

    order = sorted(range(len(grouping.groups)), key=lambda g: first_passage(grouping.groups[g]))
    group_of_node = {x: g for g, nodes in enumerate(grouping.groups) for x in nodes}
    best_inside: dict[int, int] = {}  # group -> its best kept claim (index into candidates)
    for k in kept[np.lexsort((candidates[kept, 1], candidates[kept, 0], -scores[kept]))].tolist():
        g = group_of_node.get(int(candidates[k, 0]))
        if g is not None and g == group_of_node.get(int(candidates[k, 1])):
            best_inside.setdefault(g, k)
    events: list[Event] = []
    ids: dict[int, str] = {}
    taken: set[str] = set()  # a set: looking among ids.values() made this quadratic (18 s)
    events_of_passage: dict[int, list[str]] = {}
    for seq, g in enumerate(order, 1):
        nodes = grouping.groups[g]
        _, first_id, first_start = first_passage(nodes)
        first = min(int(units[x]) for x in nodes)
        if first_start < 0:  # the first passage is here by an analyst's link, without a claim
            ev = event_id(first_id, -1)
        elif first_start == int(sentences.start[sentences.first[first]]):
            ev = event_id(first_id)  # on the passage's first sentence: the plain id
        else:
            ev = event_id(first_id, first_start)
        if ev in taken:  # cannot happen (one sentence, one event); never two events, one id
            ev = event_id(f"{first_id}#{seq}")
        taken.add(ev)
        ids[g] = ev
        if g in best_inside:  # the fuller of its best pair's sentences names the event best
            claim = max(
                (int(x) for x in candidates[best_inside[g]]), key=lambda x: sentences.lengths[x]
            )
            start, end = int(sentences.start[claim]), int(sentences.end[claim])
            label_text = label(data.texts[int(sentences.of[claim])][start:end])
        else:
            label_text = label(data.texts[min(int(units[x]) for x in nodes)])
        claims: dict[int, list[tuple[int, int]]] = {}
        for x in nodes:
            spans = claims.setdefault(int(units[x]), [])
            if x < sentence_count:
                spans.append((int(sentences.start[x]), int(sentences.end[x])))
        for p in claims:
            events_of_passage.setdefault(p, []).append(ev)
        events.append(
            Event(
                id=ev,
                seq=seq,
                label=label_text,
                members=tuple(
                    EventMember(
                        data.ids[p],
                        round(grouping.passage_score.get((g, p), 100.0), 2),
                        tuple(sorted(spans)),
                    )
                    for p, spans in sorted(claims.items())
                ),
                outlets=len({int(data.outlet_codes[p]) for p in claims}),
            )
        )
    event_of_claim = {
        k: ids[g]
        for k in kept.tolist()
        if (g := group_of_node.get(int(candidates[k, 0]))) is not None
        and g == group_of_node.get(int(candidates[k, 1]))
    }
    return events, event_of_claim, events_of_passage
