"""Find what different outlets report about the same event, and group it into events.

Pure library: no database, no UI. :func:`align` takes passages (dicts or objects with ``id``,
``article_id``, ``outlet`` or ``outlet_key``, ``text``, and optionally ``seq``, ``date`` and
``story``) and returns an :class:`~nato_compare.model.AlignmentResult`: scored cross-outlet
pairs with the evidence behind each score, events, and suggestions (candidates left out).

Stories first, then claims; "no counterpart" is the common answer (``docs/alignment.md``):

1. **stories** — articles that report the same story are linked on whole-article similarity
   (:mod:`nato_compare.alignment.stories`): mutual nearest neighbours by TF-IDF (and shared
   ones, for stories many outlets report), a date window, declared stories first. An article
   nobody else reports is linked to nothing.
2. **claims** — inside every linked article pair, each sentence keeps its best counterpart in the
   other article when their probability of reporting the same fact reaches ``threshold``
   (:mod:`nato_compare.alignment.claims`); a pair of sentences whose numbers all differ, that
   share fewer than two content words, or of which one has fewer than three, is never kept. A
   kept sentence pair pairs its two passages.
3. **events** — kept sentence pairs (claims) are merged best first into events
   (:mod:`nato_compare.alignment.events`), where a paragraph stating two facts may stand in two;
   at most ``per_article`` consecutive paragraphs of one article, an analyst's rejected links
   never together, accepted ones always.
4. **evidence** — for every kept pair: the two sentences, shared amounts, names and words.

Every parameter is a field of :class:`AlignParams`.
"""

# Over 400 lines: _align runs the stages in order over shared arrays (stages: stories, claims).

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..errors import NatoCompareError
from ..model import AlignedPair, AlignmentResult, event_label, outlet_key
from .claims import (
    Sentences,
    best_per_sentence,
    candidate_sentence_pairs,
    SENTENCE_WORDS,
    common_words,
    content_incidence,
    without,
    join_sentences,
    numbers_conflict,
    score_sentence_pairs,
    split_passages,
)
from .events import EventInput, build_events
from .evidence import evidence_many
from .counting import joined_counts
from .parallel import Pool, flatten, process_pool
from .stories import Story, StoryArticle, describe_stories, link_stories

Progress = Callable[[int, int, str], None]
STAGES = ("stories", "sentences", "score", "select", "events", "evidence")
COMMON_MIN_SENTENCES = 5  # a word in at most this many sentences is never set aside as common
SUGGESTION_FLOOR = 22.0  # a left-out claim below this probability is not worth an analyst's look
MIN_CLAIM_WORDS = 3  # content words a sentence needs to be paired as a claim of its own


@dataclass(frozen=True)
class AlignParams:
    """Every knob of :func:`align`, with its default.

    - ``threshold`` — the probability (in percent) that two sentences state the same fact
      from which they are paired (:class:`~nato_compare.alignment.claims.ClaimCalibration`).
      Chosen for precision on ECB+ and BASIL (``docs/aligning.md``); it is the similarity's
      40.33, next to 40, the default before the score was calibrated on claims (which is 31.846
      here). Below it, "no counterpart".
    - ``neighbours`` — how many most similar articles of other outlets an article considers
      for its story (linked only when each is among the other's).
    - ``lone_neighbours`` — an article left with no link is linked to its most similar
      article when it is among that article's this many most similar ones.
    - ``shared_neighbours`` — two articles each among the other's ``lone_neighbours`` most
      similar are linked too when their ``neighbours`` most similar articles have at least this
      many in common: a story that many outlets report crowds those lists (0 = not).
    - ``min_story_similarity`` — the least whole-article similarity (cosine, 0–1) of a link.
    - ``date_window`` — articles whose known dates lie more days apart are never linked.
    - ``common_share`` — words found in more than this share of all sentences (and in more than
      :data:`COMMON_MIN_SENTENCES`) name the corpus's subject ("nato", "ukrain" in the seeds),
      not a fact; they are set aside before sentences are compared (1 = keep every word).
    - ``one_per`` — ``"article"``: an event holds at most ``per_article`` passages of one
      article; ``"outlet"``: at most one per outlet.
    - ``per_article`` — with ``one_per="article"``, how many consecutive paragraphs of one
      article an event may hold (1 = one passage per article).
    - ``with_evidence`` — compute the evidence of every kept pair.
    - ``workers`` — threads for rapidfuzz (-1 = all cores).
    - ``processes`` — worker processes for counting words, comparing articles, splitting and
      normalising sentences and for the evidence, on inputs of at least
      :data:`nato_compare.alignment.parallel.PARALLEL_MIN_ITEMS` passages (-1 = all cores; 1 = none; the results are the same with any number). A script
      that asks for more must guard its entry point with ``if __name__ == "__main__":``.
    """

    threshold: float = 32.0
    neighbours: int = 5
    lone_neighbours: int = 12
    shared_neighbours: int = 3
    min_story_similarity: float = 0.2
    date_window: int = 7
    common_share: float = 0.05
    one_per: str = "article"
    per_article: int = 2
    with_evidence: bool = True
    workers: int = -1
    processes: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.threshold <= 100:
            raise NatoCompareError(f"threshold must be between 0 and 100, not {self.threshold}")
        if self.neighbours < 1 or self.lone_neighbours < 1:
            raise NatoCompareError(
                f"neighbours and lone_neighbours must be at least 1, not "
                f"{self.neighbours} and {self.lone_neighbours}"
            )
        if self.shared_neighbours < 0:
            raise NatoCompareError(
                f"shared_neighbours must be at least 0, not {self.shared_neighbours}"
            )
        if not 0 < self.common_share <= 1:
            raise NatoCompareError(
                f"common_share must be above 0 and at most 1, not {self.common_share}"
            )
        if not 0 <= self.min_story_similarity <= 1:
            raise NatoCompareError(
                f"min_story_similarity must be between 0 and 1, not {self.min_story_similarity}"
            )
        if self.date_window < 0:
            raise NatoCompareError(f"date_window must be at least 0, not {self.date_window}")
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
    outlet_keys: list[str]
    dates: list[str | None]
    stories: list[str | None]


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
            (
                pid,
                article,
                key,
                str(_field(item, "text") or ""),
                -1 if seq is None else int(seq),
                _field(item, "date") or None,
                _field(item, "story") or None,
            )
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
        outlet_keys=[r[2] for r in rows],
        dates=[r[5] for r in rows],
        stories=[r[6] for r in rows],
    )


def align(
    passages: Iterable[Any],
    *,
    params: AlignParams | None = None,
    progress: Progress | None = None,
    return_scored: bool = False,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    must_link_claims: Mapping[tuple[str, str], tuple[int | None, int | None]] | None = None,
    **overrides: Any,
) -> AlignmentResult:
    """Align ``passages`` across outlets; see the module docstring for the method.

    ``params`` gives every setting (:class:`AlignParams`); keyword ``overrides`` such as
    ``threshold=70`` or ``neighbours=8`` replace single fields. ``progress(done, total, stage)`` is
    called as work advances (stages: :data:`STAGES`). ``return_scored`` also returns every
    scored candidate pair (for benchmarks measuring the recall of candidate generation).
    ``must_link`` / ``cannot_link``: passage id pairs an analyst judged the same / different
    event; the first end in one event (where the one-passage-per-article rule allows), the
    second never do. Ids not among ``passages`` are ignored. ``must_link_claims`` says, for a
    ``must_link`` pair (a, b), which sentence of each the link stands for (the start offset of a
    claim, or None for the passage itself): an analyst who attached a passage to an event keeps
    it with that event's claim, not with another sentence of the anchor passage.
    """
    base = params or AlignParams()
    params = AlignParams(**{**base.to_dict(), **overrides}) if overrides else base
    report = progress or (lambda done, total, stage: None)
    watch = _Stopwatch()
    data = _prepare(passages)
    with process_pool(params.processes, len(data.ids)) as pool, _no_cycle_collection():
        return _align(
            data,
            params,
            pool,
            report,
            watch,
            return_scored,
            _constraint(data, must_link),
            _constraint(data, cannot_link),
            _claim_hints(data, must_link_claims or {}),
        )


def _claim_hints(
    data: _Input, hints: Mapping[tuple[str, str], tuple[int | None, int | None]]
) -> dict[tuple[int, int], tuple[int | None, int | None]]:
    """``must_link_claims`` by index pair (smaller first), the offsets turned with it."""
    index = {pid: i for i, pid in enumerate(data.ids)}
    found = {}
    for (a, b), (start_a, start_b) in hints.items():
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None and i != j:
            found[(i, j) if i < j else (j, i)] = (start_a, start_b) if i < j else (start_b, start_a)
    return found


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while aligning: the stages make millions of small objects
    (and no cycles worth collecting), and each of the full collections they set off walks every
    object alive, the caller's passages included: 4-10 s of 200,000 passages."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


def _article_passages(data: _Input) -> list[np.ndarray]:
    """Per article code, its passage indices in reading order."""
    order = np.lexsort((np.arange(len(data.ids)), data.positions, data.article_codes))
    codes = data.article_codes[order]
    bounds = np.searchsorted(codes, np.arange(int(codes.max()) + 2 if len(codes) else 1))
    return [order[bounds[k] : bounds[k + 1]] for k in range(len(bounds) - 1)]


def _link_stories(
    articles: list[StoryArticle], params: AlignParams, pool: Pool | None = None
) -> list[tuple[int, int, float]]:
    """:func:`link_stories` with the story settings of ``params`` (one place for both callers)."""
    return link_stories(
        articles,
        neighbours=params.neighbours,
        lone_neighbours=params.lone_neighbours,
        shared_neighbours=params.shared_neighbours,
        min_similarity=params.min_story_similarity,
        date_window=params.date_window,
        pool=pool,
    )


def _story_articles(data: _Input, article_passages: list[np.ndarray]) -> list[StoryArticle]:
    articles = []
    for passages in article_passages:
        first = int(passages[0])
        articles.append(
            StoryArticle(
                id=data.articles[first],
                outlet=data.outlet_keys[first],
                text="\n\n".join(data.texts[p] for p in passages.tolist()),
                date=data.dates[first],
                story=data.stories[first],
            )
        )
    return articles


def _passage_pairs(
    sentences: Sentences, claims: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Claim pairs as passage pairs (smaller index first): each passage pair once, with its best
    claim's score and the index (into ``claims``) of that claim."""
    if not len(claims):
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0), empty
    a, b = sentences.of[claims[:, 0]], sentences.of[claims[:, 1]]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((-scores, hi, lo))
    lo, hi = lo[order], hi[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    best = order[first]
    return np.stack([lo[first], hi[first]], axis=1), scores[best], best


def _claim(sentences: Sentences, texts: list[str], sentence: int) -> dict[str, Any]:
    passage, start, end = (
        int(sentences.of[sentence]),
        int(sentences.start[sentence]),
        int(sentences.end[sentence]),
    )
    return {"start": start, "end": end, "text": texts[passage][start:end]}


EvidenceRow = tuple[str, str, str, str, float, float, str, str]
"""Both sentences as written, as compared (common words set aside), their content-word counts
and as normalised whole (for the amounts)."""


def _evidence_chunk(workers: int, chunk: Sequence[EvidenceRow]) -> list[dict[str, Any]]:
    if not chunk:
        return []
    a, b, compared_a, compared_b, lengths_a, lengths_b, whole_a, whole_b = (
        list(c) for c in zip(*chunk)
    )
    return evidence_many(
        a,
        b,
        normalized_a=compared_a,
        normalized_b=compared_b,
        workers=workers,
        lengths_a=lengths_a,
        lengths_b=lengths_b,
        whole_a=whole_a,
        whole_b=whole_b,
    )


def _align(
    data: _Input,
    params: AlignParams,
    pool: Pool,
    report: Progress,
    watch: _Stopwatch,
    return_scored: bool,
    must: set[tuple[int, int]],
    cannot: set[tuple[int, int]],
    must_claims: dict[tuple[int, int], tuple[int | None, int | None]],
) -> AlignmentResult:
    n, lap = len(data.ids), watch.lap
    article_passages = _article_passages(data) if n else []
    report(0, len(article_passages), "stories")
    links = _link_stories(_story_articles(data, article_passages), params, pool)
    report(len(article_passages), len(article_passages), "stories")
    lap("stories")

    # only the passages of linked articles are split and normalised: the costliest step, and
    # in a real corpus most articles have no counterpart
    linked = np.zeros(n, dtype=bool)
    for i, j, _ in links:
        linked[article_passages[i]] = linked[article_passages[j]] = True
    report(0, n, "sentences")
    sentences = join_sentences(
        pool.map_chunks(
            split_passages,
            [text if wanted else "" for text, wanted in zip(data.texts, linked.tolist())],
            lambda d, t: report(d, t, "sentences"),
        )
    )
    report(n, n, "sentences")
    lap("sentences")

    vocabulary, incidence = joined_counts(pool.map_chunks(SENTENCE_WORDS, sentences.normalized))
    common = common_words(vocabulary, incidence, params.common_share, COMMON_MIN_SENTENCES)
    compared = without(common, sentences.normalized)  # what the scores compare
    candidates, owners = candidate_sentence_pairs(
        sentences, article_passages, links, content_incidence(vocabulary, incidence, common)
    )
    scores = score_sentence_pairs(
        sentences,
        candidates,
        texts=compared,
        workers=params.workers,
        report=lambda d, t: report(d, t, "score"),
    )
    report(len(candidates), len(candidates), "score")
    lap("score")

    report(0, 1, "select")
    for k in np.flatnonzero(scores >= SUGGESTION_FLOOR).tolist():
        if numbers_conflict(sentences, int(candidates[k, 0]), int(candidates[k, 1])):
            scores[k] = 0.0
    if len(candidates):  # "He was 95.", "Wednesday.": too short to state a fact of their own
        short = sentences.lengths[candidates].min(axis=1) < MIN_CLAIM_WORDS
        scores[short] = 0.0
    best = best_per_sentence(candidates, owners, scores)
    kept = best[scores[best] >= params.threshold]
    if cannot and len(kept):
        of = sentences.of[candidates[kept]]
        lo, hi = of.min(axis=1).tolist(), of.max(axis=1).tolist()
        kept = kept[np.array([(i, j) not in cannot for i, j in zip(lo, hi)], dtype=bool)]
    pairs, pair_scores, pair_claims = _passage_pairs(sentences, candidates[kept], scores[kept])
    pair_claims = kept[pair_claims]
    left_out = best[(scores[best] >= SUGGESTION_FLOOR) & (scores[best] < params.threshold)]
    suggested, suggested_scores, _ = _passage_pairs(
        sentences, candidates[left_out], scores[left_out]
    )
    taken = {tuple(p) for p in pairs.tolist()} | cannot
    report(1, 1, "select")
    lap("select")

    report(0, 1, "events")
    events, event_of_claim, events_of_passage = build_events(
        EventInput(
            ids=data.ids,
            articles=data.articles,
            texts=data.texts,
            outlet_codes=data.outlet_codes,
            keys=data.article_codes if params.one_per == "article" else data.outlet_codes,
            positions=data.positions,
        ),
        sentences,
        candidates,
        scores,
        kept,
        most=params.per_article if params.one_per == "article" else 1,
        must=must,
        must_claims=must_claims,
        cannot=cannot,
        label=event_label,
    )
    report(1, 1, "events")
    lap("events")

    report(0, len(pairs), "evidence")
    claim_rows = [candidates[c] for c in pair_claims.tolist()]
    rows = [
        (
            data.texts[int(sentences.of[sa])][int(sentences.start[sa]) : int(sentences.end[sa])],
            data.texts[int(sentences.of[sb])][int(sentences.start[sb]) : int(sentences.end[sb])],
            compared[sa],
            compared[sb],
            float(sentences.lengths[sa]),
            float(sentences.lengths[sb]),
            sentences.normalized[sa],
            sentences.normalized[sb],
        )
        for sa, sb in (map(int, c) for c in claim_rows)
    ]
    evidence_threads = params.workers if pool.executor is None else 1
    found = (
        flatten(pool.map_chunks(_EvidenceTask(evidence_threads), rows))
        if params.with_evidence
        else [{} for _ in rows]
    )
    result_pairs = []
    for k, (i, j) in enumerate(pairs.tolist()):
        sa, sb = (int(x) for x in claim_rows[k])
        # claim_a is the sentence in passage a (the smaller index), whichever side found it
        if int(sentences.of[sa]) != i:
            sa, sb = sb, sa
        evidence = dict(found[k])
        evidence["score"] = round(float(pair_scores[k]), 2)  # the claim's probability
        evidence["claim_a"] = _claim(sentences, data.texts, sa)
        evidence["claim_b"] = _claim(sentences, data.texts, sb)
        same = event_of_claim.get(int(pair_claims[k]))
        if same is None:  # together through another claim, or an analyst's link
            shared = events_of_passage.get(i, []) and [
                e for e in events_of_passage[i] if e in events_of_passage.get(j, [])
            ]
            same = shared[0] if shared else None
        result_pairs.append(
            AlignedPair(data.ids[i], data.ids[j], round(float(pair_scores[k]), 2), same, evidence)
        )
    report(len(pairs), len(pairs), "evidence")
    lap("evidence")

    stats = {
        "passages": n,
        "outlets": len(set(data.outlet_codes.tolist())),
        "articles": len(article_passages),
        "story_links": len(links),
        "common_words": sorted(common),
        "candidates": int(len(candidates)),
        "above_threshold": int(len(kept)),
        "pairs": len(result_pairs),
        "events": len(events),
        "seconds": watch.seconds,
    }
    result = AlignmentResult(
        params=params,
        pairs=result_pairs,
        events=events,
        stats=stats,
        suggestions=[
            AlignedPair(data.ids[i], data.ids[j], round(float(s), 2))
            for (i, j), s in zip(suggested.tolist(), suggested_scores.tolist())
            if (i, j) not in taken
        ],
    )
    if return_scored:
        scored, scored_scores, _ = _passage_pairs(sentences, candidates, scores)
        result.scored = [(data.ids[i], data.ids[j]) for i, j in scored.tolist()]
        result.scored_scores = scored_scores.tolist()
    return result


@dataclass(frozen=True)
class _EvidenceTask:
    """The evidence of a chunk of pairs in a worker process (picklable, unlike a lambda)."""

    threads: int

    def __call__(self, chunk: Sequence[EvidenceRow]) -> list[dict[str, Any]]:
        return _evidence_chunk(self.threads, chunk)


def find_stories(
    passages: Iterable[Any], *, params: AlignParams | None = None, include_lone: bool = False
) -> list[Story]:
    """The stories :func:`align` links its articles into, as analysts see them (``stories``
    command): the articles, outlets and dates of each, largest first."""
    params = params or AlignParams()
    rows = list(passages)
    titles_by_article = {str(_field(r, "article_id")): _field(r, "title") for r in rows}
    data = _prepare(rows)
    if not data.ids:
        return []
    article_passages = _article_passages(data)
    articles = _story_articles(data, article_passages)
    links = _link_stories(articles, params)
    openings = [data.texts[int(passages[0])] for passages in article_passages]
    titles = [
        titles_by_article.get(a.id) or " ".join(opening.split()[:10])
        for a, opening in zip(articles, openings)
    ]
    return describe_stories(articles, links, titles, include_lone=include_lone)
