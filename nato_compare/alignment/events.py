"""Events from aligned pairs: greedy union-find, best pair first, under the analysts' constraints.

An event holds passages of at least two outlets. Merging two partial events is refused when it
would put two passages of one article into the event, unless they are consecutive paragraphs
(at most ``most`` of them: an outlet often tells one fact over a paragraph and the next), and
when an analyst said two of their passages report different events (``cannot``). Pairs an
analyst accepted (``must``) are merged first, whatever their score.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np


def event_id(first_passage_id: str) -> str:
    """``ev-`` + 12 hex digits of SHA-1 over the smallest member id: stable from run to run."""
    return "ev-" + hashlib.sha1(first_passage_id.encode()).hexdigest()[:12]


def _may_merge(a: dict[int, frozenset[int]], b: dict[int, frozenset[int]], most: int) -> bool:
    """Whether two events may merge: for every article in both, its passages in the merged event
    are consecutive paragraphs, at most ``most`` of them (positions unknown: never)."""
    for key in a.keys() & b.keys():
        places = a[key] | b[key]
        if (
            len(places) != len(a[key]) + len(b[key])
            or len(places) > most
            or min(places) < 0
            or max(places) - min(places) != len(places) - 1
        ):
            return False
    return True


def group_events(
    pairs: np.ndarray,
    scores: np.ndarray,
    keys: np.ndarray,
    positions: np.ndarray,
    *,
    most: int,
    must: Iterable[tuple[int, int]] = (),
    cannot: Iterable[tuple[int, int]] = (),
) -> tuple[list[list[int]], dict[int, float]]:
    """Group passage indices into events.

    ``pairs`` (n × 2 passage indices) with ``scores`` are merged best first; ``keys`` gives each
    passage's article (or outlet) code, ``positions`` its paragraph number (-1 unknown).
    ``must`` pairs are merged before any other, ``cannot`` pairs never end in one event.
    Returns the events (sorted member indices, events of at least two passages) and each
    member's best score against another member of its event.
    """
    parent: dict[int, int] = {}
    owners: dict[int, dict[int, frozenset[int]]] = {}  # root -> article -> positions
    members: dict[int, set[int]] = {}  # root -> passages
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
        oi = owners.get(ri, {int(keys[i]): frozenset((int(positions[i]),))})
        oj = owners.get(rj, {int(keys[j]): frozenset((int(positions[j]),))})
        if oi.keys() & oj.keys() and not _may_merge(oi, oj, most):
            return
        mi, mj = members.get(ri, {ri}), members.get(rj, {rj})
        if apart and any(apart.get(x, set()) & mj for x in mi):
            return
        if len(mi) < len(mj):
            ri, rj, oi, oj, mi, mj = rj, ri, oj, oi, mj, mi
        parent[rj] = ri
        merged = dict(oi)
        for key, places in oj.items():
            merged[key] = merged.get(key, frozenset()) | places
        owners[ri] = merged
        owners.pop(rj, None)
        members[ri] = mi | mj
        members.pop(rj, None)

    for i, j in sorted(must):
        union(i, j)
    order = np.lexsort((pairs[:, 1], pairs[:, 0], -scores)) if len(pairs) else np.zeros(0, int)
    for k in order:
        union(int(pairs[k, 0]), int(pairs[k, 1]))
    groups = [sorted(m) for m in members.values() if len(m) >= 2]
    member_score: dict[int, float] = {}
    for k in range(len(pairs)):
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        if find(i) == find(j):
            for x in (i, j):
                member_score[x] = max(member_score.get(x, 0.0), float(scores[k]))
    return groups, member_score
