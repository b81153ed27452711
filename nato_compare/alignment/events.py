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

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


def event_id(first_passage_id: str, claim_start: int | None = None) -> str:
    """``ev-`` + 12 hex digits of SHA-1 over the smallest member id: stable from run to run.
    A second event whose smallest member is the same passage adds its claim's offset."""
    key = first_passage_id if claim_start is None else f"{first_passage_id}#{claim_start}"
    return "ev-" + hashlib.sha1(key.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Grouping:
    """Events as claims: ``groups`` lists each event's claim nodes (sorted, at least two
    passages); ``passage_score[(g, passage)]`` is the best kept score linking that passage's
    claims to another member of event g."""

    groups: list[list[int]]
    passage_score: dict[tuple[int, int], float]


def _may_merge(a: dict[int, frozenset[int]], b: dict[int, frozenset[int]], most: int) -> bool:
    """Whether two events may merge: for every article in both, its passages in the merged event
    are consecutive paragraphs, at most ``most`` of them (positions unknown: only the same one)."""
    for key in a.keys() & b.keys():
        places = a[key] | b[key]
        if len(places) == 1:
            continue  # claims of one paragraph (or of one passage of unknown position)
        if len(places) > most or min(places) < 0 or max(places) - min(places) != len(places) - 1:
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
    owners: dict[int, dict[int, frozenset[int]]] = {}  # root -> article -> positions
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
        oi = owners.get(ri, {int(keys[ui]): frozenset((int(positions[ui]),))})
        oj = owners.get(rj, {int(keys[uj]): frozenset((int(positions[uj]),))})
        if oi.keys() & oj.keys() and not _may_merge(oi, oj, most):
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
