"""Find the passages that report the same thing in different outlets, and group them into events.

Pure library: no database, no UI. :func:`align` takes passages (dicts or objects with ``id``,
``article_id``, ``outlet`` or ``outlet_key``, and ``text``) and returns an
:class:`AlignmentResult`: scored cross-outlet pairs with the evidence behind each score, and
events (clusters of passages across outlets).

How it works, stage by stage (each stage reports ``progress(done, total, stage)``):

1. **index** — candidate generation without comparing every pair
   (:mod:`nato_compare.alignment.candidates`): each passage is filed under its ``index_tokens`` rarest
   tokens, and two passages of different outlets are scored only when they share at least
   ``min_shared`` of them. Rare tokens are what paraphrases keep (names, places, numbers,
   amounts), so true counterparts share several while unrelated passages rarely do; the cost
   grows with the number of candidates, not with the square of the corpus. Index keys filed by
   more than ``max_postings`` passages are dropped as too common. Inputs with at most
   ``exhaustive_pairs`` cross-outlet pairs are scored in full instead.
2. **normalise** — every passage that is part of a candidate pair is normalised once by
   :func:`nato_compare.alignment.similarity.normalize` (case, punctuation, currency and number forms, stems).
3. **score** — candidates are scored by :func:`nato_compare.alignment.similarity.similarity_many`
   (rapidfuzz ``cpdist`` on all cores), in chunks.
4. **select** — for each passage and each *other* outlet, the ``top`` best counterparts scoring
   at least ``threshold`` are kept; a pair is kept when either of its passages keeps it, and
   when its two articles are linked by at least ``min_links`` such pairs (reports of one event
   share several passages; a lone match is most often a stock phrase).
5. **events** — kept pairs are merged greedily, best score first, into events (union-find).
   A merge that would put two passages of the same article into one event
   (``one_per="article"``; or of the same outlet, ``one_per="outlet"``) is refused, unless they
   are consecutive paragraphs (``per_article``: an outlet often tells one event over a
   paragraph and the next), so events cannot chain into giant clusters. Each member's score
   is the best kept score linking it to another member. Event ids are ``ev-`` + 12 hex digits of SHA-1 over the smallest member
   passage id: the same input gives the same events and ids, run after run.
6. **evidence** — for every kept pair, :func:`nato_compare.alignment.evidence.evidence_many` (shared
   content words, numbers/amounts, entities, the scorers' contributions), in one batch.

Every parameter is a field of :class:`AlignParams`.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

import numpy as np

from .arrays import sorted_unique
from .candidates import TokenTable, candidate_pairs, local_token_table, merge_token_tables
from ..errors import NatoCompareError
from .events import event_id as _event_id, group_events
from .evidence import evidence_many
from ..model import AlignedPair, AlignmentResult, Event, EventMember, outlet_key
from .normalize import STOP_WORDS, normalize
from .parallel import Pool, flatten, process_pool
from .similarity import similarity_many_normalized, token_statistics


Progress = Callable[[int, int, str], None]
STAGES = ("index", "normalise", "score", "select", "events", "evidence")
SCORE_CHUNK = 500_000
COMMON_MIN_PASSAGES = 10  # a word in at most this many passages is never set aside as common


@dataclass(frozen=True)
class AlignParams:
    """Every knob of :func:`align`, with its default.

    - ``threshold`` — minimum similarity (0–100) for a pair to be kept.
    - ``top`` — how many best counterparts each passage keeps in every other outlet.
    - ``min_links`` — a pair is kept only when its two articles are linked by at least this
      many kept pairs: an isolated match between two articles is most often a stock phrase
      (a title and name, a standard formula) shared by reports of different events.
    - ``index_tokens`` — how many of a passage's rarest content tokens enter the index.
    - ``min_shared`` — how many indexed tokens two passages must share to be scored.
    - ``max_postings`` — index keys filed by more passages than this are ignored (too common:
      on the 200,000-passage benchmark, 500 instead of 1,000 scores 2.4 million candidates
      instead of 3.4 million, keeps the same pairs and finds the same share of the exhaustive
      ones, 0.989).
    - ``exhaustive_pairs`` — when the input has at most this many cross-outlet pairs, all of
      them are scored and the index is not used (small corpora cost nothing to score in full).
    - ``one_per`` — ``"article"``: an event holds at most ``per_article`` passages of one
      article; ``"outlet"``: at most one per outlet.
    - ``per_article`` — with ``one_per="article"``, how many passages of one article an event
      may hold, and only consecutive paragraphs (1 = one passage per article).
    - ``with_evidence`` — compute the evidence of every kept pair.
    - ``workers`` — threads for rapidfuzz and for the index's large sorts (-1 = all cores).
    - ``processes`` — worker processes for the per-passage stages (tokenising, normalising,
      evidence) of inputs of at least :data:`nato_compare.alignment.parallel.PARALLEL_MIN_ITEMS`
      passages (-1 = all cores; 1 = none). The results are the same with any number. The
      library's default is 1, because worker processes re-import the calling script: a script
      that asks for more must guard its entry point with ``if __name__ == "__main__":``. The
      CLI uses every core.
    - ``common_share`` — words (normalised tokens) found in more than this share of the
      passages to be scored (and in more than :data:`COMMON_MIN_PASSAGES` of them) are set
      aside before scoring: they name the corpus's topic, not an event (1 = keep every word).
    """

    threshold: float = 10.0
    top: int = 1
    min_links: int = 5
    index_tokens: int = 16
    min_shared: int = 3
    max_postings: int = 500
    exhaustive_pairs: int = 200_000
    one_per: str = "article"
    per_article: int = 2
    with_evidence: bool = True
    workers: int = -1
    processes: int = 1
    common_share: float = 0.2

    def __post_init__(self) -> None:
        if not 0 <= self.threshold <= 100:
            raise NatoCompareError(f"threshold must be between 0 and 100, not {self.threshold}")
        if self.top < 1:
            raise NatoCompareError(f"top must be at least 1, not {self.top}")
        if self.min_links < 1:
            raise NatoCompareError(f"min_links must be at least 1, not {self.min_links}")
        if self.index_tokens < 2 or self.max_postings < 2:
            raise NatoCompareError("index_tokens and max_postings must be at least 2")
        if not 1 <= self.min_shared <= self.index_tokens:
            raise NatoCompareError(
                f"min_shared must be between 1 and index_tokens ({self.index_tokens}), "
                f"not {self.min_shared}"
            )
        if not 0 < self.common_share <= 1:
            raise NatoCompareError(
                f"common_share must be above 0 and at most 1, not {self.common_share}"
            )
        if self.one_per not in ("article", "outlet"):
            raise NatoCompareError(f"one_per must be 'article' or 'outlet', not {self.one_per!r}")
        if self.per_article < 1:
            raise NatoCompareError(f"per_article must be at least 1, not {self.per_article}")
        if self.processes == 0 or self.processes < -1:
            raise NatoCompareError(
                f"processes must be -1 (every core) or at least 1, not {self.processes}"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Input:
    """The passages as parallel arrays, sorted by id so that runs are reproducible."""

    ids: list[str]
    articles: list[str]
    texts: list[str]
    outlet_codes: np.ndarray  # int32, one code per outlet key
    article_codes: np.ndarray  # int32
    positions: np.ndarray  # int64, the passage's place in its article (seq); -1 when not given


def _field(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _prepare(passages: Iterable[Any]) -> _Input:
    rows = []
    for item in passages:
        pid, article = str(_field(item, "id")), str(_field(item, "article_id"))
        key = _field(item, "outlet_key") or outlet_key(_field(item, "outlet"), article)
        seq = _field(item, "seq")
        rows.append(
            (pid, article, key, str(_field(item, "text") or ""), -1 if seq is None else int(seq))
        )
    rows.sort()
    if len({r[0] for r in rows}) != len(rows):
        raise NatoCompareError("two passages have the same id")
    outlet_names = {k: i for i, k in enumerate(sorted({r[2] for r in rows}))}
    article_names = {k: i for i, k in enumerate(sorted({r[1] for r in rows}))}
    return _Input(
        ids=[r[0] for r in rows],
        articles=[r[1] for r in rows],
        texts=[r[3] for r in rows],
        outlet_codes=np.array([outlet_names[r[2]] for r in rows], dtype=np.int32),
        article_codes=np.array([article_names[r[1]] for r in rows], dtype=np.int32),
        positions=np.array([r[4] for r in rows], dtype=np.int64),
    )


def _common_words(document_frequency: Counter, passages: int, share: float) -> list[str]:
    """The tokens found in more than ``share`` of ``passages`` (and in more than
    :data:`COMMON_MIN_PASSAGES`), sorted: the aligner sets them aside before scoring.

    Words that many passages of a corpus use name its topic ("nato", "ukrain", "militari" in
    the seed articles), not an event: two reports of different events on that topic share them
    all the same, and they lift every such pair's score. The frequent function words go too
    ("the", "of"): kept, they make up most of two passages' common characters. Measured on the
    seeds, setting aside content words only helped half as much.
    """
    if share >= 1 or not passages:
        return []
    limit = max(share * passages, COMMON_MIN_PASSAGES)
    return sorted(token for token, count in document_frequency.items() if count > limit)


def _normalize_chunk(texts: Sequence[str]) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """The normalised texts, their distinct content tokens (what the similarity's shortness
    gate measures: whole passages, before common words are set aside) and the number of
    texts each normalised token occurs in."""
    normalized = [normalize(text) for text in texts]
    return (normalized, *token_statistics(normalized))


def _drop_words(words: frozenset[str], texts: Sequence[str]) -> list[str]:
    """``texts`` without the tokens in ``words``."""
    dropped = []
    for text in texts:
        tokens = text.split()
        dropped.append(
            text if words.isdisjoint(tokens) else " ".join(t for t in tokens if t not in words)
        )
    return dropped


def _score(
    normalized: list[str],
    pairs: np.ndarray,
    params: AlignParams,
    report: Callable[[int, int], None],
    lengths: np.ndarray | None = None,
) -> np.ndarray:
    """Similarity of every pair; ``lengths``: content tokens of the whole passages (before
    topic words were set aside), for the similarity's shortness gate."""
    scores = np.zeros(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), SCORE_CHUNK):
        chunk = pairs[start : start + SCORE_CHUNK]
        a = [normalized[i] for i in chunk[:, 0]]
        b = [normalized[j] for j in chunk[:, 1]]
        whole = (
            {}
            if lengths is None
            else {"lengths_a": lengths[chunk[:, 0]], "lengths_b": lengths[chunk[:, 1]]}
        )
        scores[start : start + len(chunk)] = similarity_many_normalized(
            a, b, workers=params.workers, **whole
        )
        report(start + len(chunk), len(pairs))
    return scores


def _select(pairs: np.ndarray, scores: np.ndarray, outlets: np.ndarray, top: int) -> np.ndarray:
    """Indices of the pairs kept: the ``top`` best per passage and other outlet."""
    n_pairs = len(pairs)
    if not n_pairs:
        return np.zeros(0, dtype=np.int64)
    # each pair seen from both sides: (passage, counterpart's outlet, -score, counterpart)
    me = np.concatenate([pairs[:, 0], pairs[:, 1]])
    other = np.concatenate([pairs[:, 1], pairs[:, 0]])
    pair_index = np.concatenate([np.arange(n_pairs), np.arange(n_pairs)])
    s = np.concatenate([scores, scores])
    order = np.lexsort((other, -s, outlets[other], me))
    me, other, pair_index = me[order], other[order], pair_index[order]
    group = me.astype(np.int64) * (int(outlets.max()) + 1) + outlets[other]
    rank = np.arange(len(group)) - np.searchsorted(group, group, side="left")
    return sorted_unique(pair_index[rank < top])


SUGGESTION_FLOOR = 20.0  # a left-out candidate below this score is not worth an analyst's look


def _suggestions(
    candidates: np.ndarray, scores: np.ndarray, kept: np.ndarray, outlets: np.ndarray
) -> np.ndarray:
    """Indices into ``candidates`` of the pairs to suggest: for each passage and other outlet,
    the best-scored candidate at or above :data:`SUGGESTION_FLOOR` that was not kept."""
    if not len(candidates):
        return np.zeros(0, dtype=np.int64)
    width = len(outlets) + 1
    taken = np.isin(candidates[:, 0] * width + candidates[:, 1], kept[:, 0] * width + kept[:, 1])
    open_ = np.flatnonzero(~taken & (scores >= SUGGESTION_FLOOR))
    best = _select(candidates[open_], scores[open_], outlets, 1)
    return open_[best]


def _linked(pairs: np.ndarray, articles: np.ndarray, min_links: int) -> np.ndarray:
    """Mask of the pairs whose two articles are linked by at least ``min_links`` pairs."""
    if min_links <= 1 or not len(pairs):
        return np.ones(len(pairs), dtype=bool)
    a, b = articles[pairs[:, 0]], articles[pairs[:, 1]]
    n = int(articles.max()) + 1
    _, inverse, counts = np.unique(
        np.minimum(a, b) * n + np.maximum(a, b), return_inverse=True, return_counts=True
    )
    return counts[inverse] >= min_links


LABEL_WORDS = 6  # words in an event label at most
_LABEL_WORD = re.compile(r"\w+")


def _event_labels(
    groups: list[list[int]],
    table: TokenTable,
    texts: list[str],
    member_score: dict[int, float],
    common_share: float,
    words: int = LABEL_WORDS,
) -> list[str]:
    """Per event, a label a reader understands: the words its members share, as written.

    The candidates are the index's tokens (lower-case words and numbers) found in at least two
    members, without stop words and without the corpus's topic words (in more than
    ``common_share`` of all passages, when anything else is shared): first those most members
    share, among equals the rarer in the corpus, then the word itself. The chosen words are
    written as in the event's best passage (the member with the highest score; ties by id),
    in the order they occur there ("Jens Stoltenberg troops ground"), so names read as names;
    words it lacks follow, as written in the next members. With no shared word the label is
    the opening of the best passage. Deterministic: the same members give the same label.
    """
    doc, tok, vocabulary, df = table
    if not groups:
        return []
    n_docs = max(int(doc.max()) + 1 if len(doc) else 0, 1)
    usable = np.fromiter(
        ((len(w) > 2 or w.isdigit()) and w not in STOP_WORDS for w in vocabulary),
        dtype=bool,
        count=len(vocabulary),
    )
    topical = df > max(common_share * n_docs, COMMON_MIN_PASSAGES)
    members = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
    event = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    first = np.searchsorted(doc, members, side="left")
    sizes = np.searchsorted(doc, members, side="right") - first
    entry = np.repeat(first, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    tokens, owner = tok[entry], np.repeat(event, sizes)
    keep = usable[tokens]
    tokens, owner = tokens[keep], owner[keep]
    width = max(len(vocabulary), 1)
    keys, counts = np.unique(owner * width + tokens, return_counts=True)
    shared = counts >= 2
    owner, tokens, counts = keys[shared] // width, keys[shared] % width, counts[shared]
    # topic words go last: they are used only when an event shares nothing else
    order = np.lexsort((tokens, df[tokens], -counts, topical[tokens], owner))
    owner, tokens = owner[order], tokens[order]
    rank = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")
    chosen: list[set[str]] = [set() for _ in groups]
    for e, t in zip(owner[rank < words].tolist(), tokens[rank < words].tolist()):
        chosen[e].add(vocabulary[t])
    labels = []
    for wanted, group in zip(chosen, groups):
        by_score = sorted(group, key=lambda i: (-member_score.get(i, 0.0), i))
        written: list[tuple[int, int, str]] = []
        for rank_of_member, i in enumerate(by_score):
            if not wanted:
                break
            for match in _LABEL_WORD.finditer(texts[i]):
                word = match.group(0)
                if word.lower() in wanted:
                    wanted.discard(word.lower())
                    written.append((rank_of_member, match.start(), word))
        if written:
            labels.append(" ".join(word for _, _, word in sorted(written)))
        else:
            opening = " ".join(texts[by_score[0]].split()[:8])
            labels.append(opening)
    return labels


def align(
    passages: Iterable[Any],
    *,
    params: AlignParams | None = None,
    progress: Progress | None = None,
    return_scored: bool = False,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    **overrides: Any,
) -> AlignmentResult:
    """Align ``passages`` across outlets; see the module docstring for the method.

    ``params`` gives every setting (:class:`AlignParams`); keyword ``overrides`` such as
    ``threshold=70`` or ``top=2`` replace single fields. ``progress(done, total, stage)`` is
    called as work advances (stages: :data:`STAGES`). ``return_scored`` also returns every
    scored candidate pair (for benchmarks measuring the recall of candidate generation).
    ``must_link`` / ``cannot_link``: passage id pairs an analyst judged the same / different
    event; the first end in one event (where the one-passage-per-article rule allows), the
    second never do. Ids not among ``passages`` are ignored.
    """
    base = params or AlignParams()
    params = AlignParams(**{**base.to_dict(), **overrides}) if overrides else base
    report = progress or (lambda done, total, stage: None)
    watch = _Stopwatch()
    data = _prepare(passages)
    with process_pool(params.processes, len(data.ids)) as pool:
        return _align(
            data,
            params,
            pool,
            report,
            watch,
            return_scored,
            _constraint(data, must_link),
            _constraint(data, cannot_link),
        )


def _constraint(data: _Input, pairs: Iterable[tuple[str, str]]) -> set[tuple[int, int]]:
    """Passage id pairs as index pairs (smaller first), ids not in ``data`` dropped."""
    index = {pid: i for i, pid in enumerate(data.ids)}
    found = set()
    for a, b in pairs:
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None and i != j:
            found.add((min(i, j), max(i, j)))
    return found


class _Stopwatch:
    """Seconds spent per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._clock, 3)
        self._clock = now


def _evidence_chunk(
    workers: int, chunk: list[tuple[str, str, str, str, float, float]]
) -> list[dict]:
    if not chunk:
        return []
    a, b, normalized_a, normalized_b, lengths_a, lengths_b = (list(c) for c in zip(*chunk))
    return evidence_many(
        a,
        b,
        normalized_a=normalized_a,
        normalized_b=normalized_b,
        workers=workers,
        lengths_a=lengths_a,
        lengths_b=lengths_b,
    )


def _align(
    data: _Input,
    params: AlignParams,
    pool: Pool,
    report: Progress,
    watch: _Stopwatch,
    return_scored: bool,
    must: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
    cannot: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
) -> AlignmentResult:
    n, lap = len(data.ids), watch.lap
    report(0, n, "index")
    table = merge_token_tables(
        pool.map_chunks(
            local_token_table, data.texts, lambda done, total: report(done, total, "index")
        )
    )
    candidates, table = candidate_pairs(
        data.texts,
        data.outlet_codes,
        index_tokens=params.index_tokens,
        min_shared=params.min_shared,
        max_postings=params.max_postings,
        exhaustive_pairs=params.exhaustive_pairs,
        table=table,
        threads=params.workers,
    )
    report(n, n, "index")
    lap("index")

    # only passages that may be paired are normalised: it is the costliest per-passage step
    needed = sorted_unique(candidates).tolist()
    parts = pool.map_chunks(
        _normalize_chunk,
        [data.texts[i] for i in needed],
        lambda done, total: report(done, total, "normalise"),
    )
    needed_texts = flatten([texts for texts, _, _ in parts])
    lengths = np.zeros(n)  # the similarity's gate measures whole passages
    lengths[needed] = np.concatenate([counts for _, counts, _ in parts])
    frequency: Counter = Counter()
    for _, _, part_frequency in parts:
        frequency.update(part_frequency)
    common = _common_words(frequency, len(needed), params.common_share)
    if common:
        needed_texts = flatten(
            pool.map_chunks(partial(_drop_words, frozenset(common)), needed_texts)
        )
    normalized = [""] * n
    for i, text in zip(needed, needed_texts):
        normalized[i] = text
    report(len(needed), len(needed), "normalise")
    lap("normalise")

    scores = _score(normalized, candidates, params, lambda d, t: report(d, t, "score"), lengths)
    lap("score")

    report(0, 1, "select")
    above = scores >= params.threshold
    pairs, pair_scores = candidates[above], scores[above]
    kept = _select(pairs, pair_scores, data.outlet_codes, params.top)
    pairs, pair_scores = pairs[kept], pair_scores[kept]
    linked = _linked(pairs, data.article_codes, params.min_links)
    pairs, pair_scores = pairs[linked], pair_scores[linked]
    suggested = _suggestions(candidates, scores, pairs, data.outlet_codes)
    report(1, 1, "select")
    lap("select")

    report(0, 1, "events")
    if cannot:
        allowed = np.array(
            [(min(i, j), max(i, j)) not in cannot for i, j in pairs.tolist()], dtype=bool
        )
        pairs, pair_scores = pairs[allowed], pair_scores[allowed]
    keys = data.article_codes if params.one_per == "article" else data.outlet_codes
    most = params.per_article if params.one_per == "article" else 1
    groups, member_score = group_events(
        pairs, pair_scores, keys, data.positions, most=most, must=must, cannot=cannot
    )
    groups.sort(key=lambda g: (data.articles[g[0]], data.ids[g[0]]))
    events: list[Event] = []
    event_of: dict[int, str] = {}
    labels = _event_labels(groups, table, data.texts, member_score, params.common_share)
    for seq, (members, label) in enumerate(zip(groups, labels), 1):
        event_id = _event_id(min(data.ids[i] for i in members))
        for i in members:
            event_of[i] = event_id
        outlets = len({int(data.outlet_codes[i]) for i in members})
        events.append(
            Event(
                id=event_id,
                seq=seq,
                label=label,
                members=tuple(
                    EventMember(data.ids[i], round(member_score.get(i, 100.0), 2)) for i in members
                ),
                outlets=outlets,
            )
        )
    report(1, 1, "events")
    lap("events")

    report(0, len(pairs), "evidence")
    left, right = pairs[:, 0].tolist(), pairs[:, 1].tolist()
    # rapidfuzz's threads in this process; one each in worker processes, which fill the cores
    evidence_threads = params.workers if pool.executor is None else 1
    found = (
        flatten(
            pool.map_chunks(
                partial(_evidence_chunk, evidence_threads),
                [
                    (
                        data.texts[i],
                        data.texts[j],
                        normalized[i],
                        normalized[j],
                        lengths[i],
                        lengths[j],
                    )
                    for i, j in zip(left, right)
                ],
            )
        )
        if params.with_evidence
        else [{} for _ in left]
    )
    result_pairs: list[AlignedPair] = []
    for k, (i, j) in enumerate(pairs.tolist()):
        same_event = event_of.get(i) if event_of.get(i) == event_of.get(j) else None
        result_pairs.append(
            AlignedPair(
                data.ids[i], data.ids[j], round(float(pair_scores[k]), 2), same_event, found[k]
            )
        )
    report(len(pairs), len(pairs), "evidence")
    lap("evidence")

    stats = {
        "passages": n,
        "outlets": len(set(data.outlet_codes.tolist())),
        "candidates": int(len(candidates)),
        "above_threshold": int(above.sum()),
        "pairs": len(result_pairs),
        "events": len(events),
        "common_words": common,
        "seconds": watch.seconds,
    }
    result = AlignmentResult(
        params=params,
        pairs=result_pairs,
        events=events,
        stats=stats,
        suggestions=[
            AlignedPair(data.ids[i], data.ids[j], round(float(score), 2))
            for (i, j), score in zip(candidates[suggested].tolist(), scores[suggested].tolist())
        ],
    )
    if return_scored:
        result.scored = [(data.ids[i], data.ids[j]) for i, j in candidates.tolist()]
        result.scored_scores = scores.tolist()
    return result
