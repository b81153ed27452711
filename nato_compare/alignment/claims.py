"""Claims: the sentences of two linked articles that state the same fact.

A paragraph often holds several facts, so the aligner compares sentences, not paragraphs, and
only inside article pairs that :mod:`nato_compare.alignment.stories` linked. For every linked
pair, each sentence keeps its best counterpart in the other article (both ways round) when the
pair's probability of reporting the same fact reaches the threshold; nothing else is kept, so
a sentence with no counterpart stays alone. Two sentences that both state numbers, none of them
shared ("magnitude 4.2" / "magnitude 4.6"; "$140 million" / "$180 million"), do not report the
same fact, whatever their words.

The unit of annotation stays the passage: a kept claim pair pairs its two passages, and the
sentences are kept as the pair's evidence (``claim_a`` / ``claim_b`` offsets).

A claim pair's score is the probability, in percent, that the two sentences state the same fact
(:class:`ClaimCalibration`): the similarity of :mod:`nato_compare.alignment.similarity`, mapped
by a curve fitted on ECB+ claims that two model readers labelled and read on BASIL claims labelled
alike (``benchmarks/reliability.py``; ``docs/claim-labels.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

from ..segment import split_claims
from ..normalize import STOP_WORDS, is_number, normalize
from .counting import WordCounts, document_frequency
from .similarity import content_counts, similarity_many_normalized

SCORE_CHUNK = 500_000
MIN_SHARED_WORDS = 2  # content words two sentences must share to be compared as one fact


@dataclass(frozen=True)
class ClaimCalibration:
    """The similarity of two sentences (0-100, calibrated on BASIL paragraphs) as the
    probability, in percent, that they state the same fact:
    100 / (1 + exp(-(``scale`` × logit(similarity / 100) + ``offset``))).

    Fitted by ``python benchmarks/reliability.py --fit`` (logistic regression on the
    similarity's log-odds) on 250 ECB+ claims of the aligner, 25 from each tenth of the
    similarity, each labelled by two model readers (language-model sessions following the guide
    in ``docs/claim-labels.md``) who saw only the two sentences (right: both said
    "same fact"; agreement 93 %, Krippendorff's alpha 0.86), weighted by how many claims each
    tenth holds. On 250 BASIL claims labelled alike (held out) the expected calibration error is
    0.090, against 0.106 for the similarity read as a probability (a difference within the
    noise of 250 claims). Monotone: it changes no ranking, only what a threshold means: the
    similarity's 20 is 21.9 here, its 40 is 31.846 (the default 32 is its 40.33), its 90 is 64.4
    and its 100 (the same words in the same order) 99.9."""

    scale: float = 0.52
    offset: float = -0.55

    def __call__(self, similarity: np.ndarray | float) -> np.ndarray:
        values = np.asarray(similarity, dtype=np.float64)
        # clipped so that 100 (the same words in the same order) stays finite, and above the
        # others
        share = np.clip(values / 100.0, 1e-6, 1 - 1e-6)
        z = self.scale * np.log(share / (1 - share)) + self.offset
        # no content word (0): evidence of nothing
        probability: np.ndarray = np.where(values <= 0, 0.0, 100.0 / (1.0 + np.exp(-z)))
        return probability


CLAIM_CALIBRATION = ClaimCalibration()


@dataclass(frozen=True)
class Sentences:
    """Every passage's sentences, as parallel arrays (sentence k belongs to passage ``of[k]``)."""

    of: np.ndarray  # passage index of each sentence
    start: np.ndarray  # offsets in the passage's text
    end: np.ndarray
    normalized: list[str]
    lengths: np.ndarray  # content tokens, for the similarity's shortness gate
    numbers: list[frozenset[str]]
    first: np.ndarray  # per passage: index of its first sentence (len = passages + 1)


def split_passages(texts: Sequence[str]) -> Sentences:
    of, starts, ends, normalized = [], [], [], []
    first = [0]
    for p, text in enumerate(texts):
        spans = split_claims(text) or ([(0, len(text))] if text.strip() else [])
        for s, e in spans:
            of.append(p)
            starts.append(s)
            ends.append(e)
            normalized.append(normalize(text[s:e]))
        first.append(len(of))
    numbers = [frozenset(t for t in n.split() if is_number(t)) for n in normalized]
    return Sentences(
        of=np.asarray(of, dtype=np.int64),
        start=np.asarray(starts, dtype=np.int64),
        end=np.asarray(ends, dtype=np.int64),
        normalized=normalized,
        lengths=content_counts(normalized) if normalized else np.zeros(0),
        numbers=numbers,
        first=np.asarray(first, dtype=np.int64),
    )


def _ranges(first: np.ndarray, passages: np.ndarray) -> np.ndarray:
    """All sentence indices of ``passages`` (in order)."""
    starts, stops = first[passages], first[passages + 1]
    sizes = stops - starts
    indices: np.ndarray = np.repeat(starts, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    return indices


SENTENCE_WORDS = WordCounts(r"\S+", lowercase=False, binary=True)
"""Which normalised words each sentence holds (a task for worker processes)."""


def content_incidence(
    vocabulary: Sequence[str], incidence: csr_matrix, common: frozenset[str]
) -> csr_matrix:
    """``incidence`` (:data:`SENTENCE_WORDS`, joined) of the content words only: no stop word,
    no ``common`` word."""
    keep = [c for c, word in enumerate(vocabulary) if word not in STOP_WORDS and word not in common]
    return incidence[:, keep]


def candidate_sentence_pairs(
    sentences: Sentences,
    article_passages: list[np.ndarray],
    links: Sequence[tuple[int, int, float]],
    words: csr_matrix | None = None,
    min_shared: int = MIN_SHARED_WORDS,
) -> tuple[np.ndarray, np.ndarray]:
    """The sentence pairs of every linked article pair that share at least ``min_shared`` words
    of ``words`` (:func:`content_incidence`; None: every pair), as (n × 2 sentence indices, link
    index). Two sentences that share one word once the corpus's common words are set aside
    ("Rahman had him fighting down" / "Rahman has nothing left"; "Justice Ginsburg asked" /
    "Scalia asked") do not state one fact, and on large corpora most pairs share none."""
    per_article = [_ranges(sentences.first, p) for p in article_passages]
    if words is not None:
        return _sharing_words(per_article, links, words, min_shared)
    partners: dict[int, list[int]] = {}  # article -> its links (as the smaller article)
    for k, (i, _, _) in enumerate(links):
        partners.setdefault(i, []).append(k)
    parts, owners = [], []
    for i, ks in partners.items():
        a = per_article[i]
        b = np.concatenate([per_article[links[k][1]] for k in ks])
        link_of = np.repeat(ks, [len(per_article[links[k][1]]) for k in ks])
        rows, columns = np.repeat(np.arange(len(a)), len(b)), np.tile(np.arange(len(b)), len(a))
        order = np.lexsort((columns, rows, link_of[columns]))
        rows, columns = rows[order], columns[order]
        parts.append(np.stack([a[rows], b[columns]], axis=1))
        owners.append(link_of[columns])
    if not parts:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(parts), np.concatenate(owners).astype(np.int64)


def _sharing_words(
    per_article: list[np.ndarray],
    links: Sequence[tuple[int, int, float]],
    words: csr_matrix,
    min_shared: int,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`candidate_sentence_pairs` over ``words``, as one join of (link, word) keys for all
    links at once (a sparse product per article cost 4 s of 200,000 passages, most of it in
    calls). Ordered by link, then the sentences' places in their articles."""
    empty = np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    if not links:
        return empty
    sizes = np.array([len(p) for p in per_article], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    in_order = np.concatenate(per_article) if per_article else np.zeros(0, dtype=np.int64)
    ends = np.array([(i, j) for i, j, _ in links], dtype=np.int64)
    indptr, indices = words.indptr.astype(np.int64), words.indices.astype(np.int64)
    vocabulary = max(int(words.shape[1]), 1)

    def entries(side: int) -> tuple[np.ndarray, np.ndarray]:
        """(link, word) keys of every sentence of each link's article on ``side`` (sorted),
        with the sentence's place in its article."""
        article = ends[:, side]
        where = _ranges(offsets, article)
        place = where - np.repeat(offsets[article], sizes[article])
        link = np.repeat(np.arange(len(ends)), sizes[article])
        sentence = in_order[where]
        word_count = indptr[sentence + 1] - indptr[sentence]
        keys = np.repeat(link, word_count) * vocabulary + indices[_ranges(indptr, sentence)]
        order = np.argsort(keys, kind="stable")
        return keys[order], np.repeat(place, word_count)[order]

    keys_a, place_a = entries(0)
    keys_b, place_b = entries(1)
    unique_a, start_a, count_a = np.unique(keys_a, return_index=True, return_counts=True)
    unique_b, start_b, count_b = np.unique(keys_b, return_index=True, return_counts=True)
    _, in_a, in_b = np.intersect1d(unique_a, unique_b, assume_unique=True, return_indices=True)
    if not len(in_a):
        return empty
    m, n = count_a[in_a], count_b[in_b]
    products = m * n
    group = np.repeat(np.arange(len(in_a)), products)
    local = np.arange(int(products.sum())) - np.repeat(np.cumsum(products) - products, products)
    from_a = start_a[in_a][group] + local // n[group]
    from_b = start_b[in_b][group] + local % n[group]
    link = keys_a[from_a] // vocabulary
    most = int(sizes.max()) + 1
    # each sentence pair once, with the number of words it shares; ordered as described
    pair, shared = np.unique(
        (link * most + place_a[from_a]) * most + place_b[from_b], return_counts=True
    )
    pair = pair[shared >= min_shared]
    link, place = pair // (most * most), pair % (most * most)
    first = in_order[offsets[ends[link, 0]] + place // most]
    second = in_order[offsets[ends[link, 1]] + place % most]
    return np.stack([first, second], axis=1), link.astype(np.int64)


def common_words(
    vocabulary: Sequence[str], incidence: csr_matrix, share: float, at_least: int
) -> frozenset[str]:
    """Normalised words found in more than ``share`` of the sentences and in more than
    ``at_least`` of them: the corpus's subject ("nato", "ukrain"), set aside before comparing.
    ``incidence``: which words of ``vocabulary`` each sentence holds (:data:`SENTENCE_WORDS`)."""
    sentences = incidence.shape[0]
    if share >= 1 or not sentences:
        return frozenset()
    limit = max(share * sentences, at_least)
    frequency = document_frequency(vocabulary, incidence)
    return frozenset(vocabulary[c] for c in np.flatnonzero(frequency > limit).tolist())


def without(common: frozenset[str], normalized: Sequence[str]) -> list[str]:
    """Normalised texts with the ``common`` words taken out."""
    if not common:
        return list(normalized)
    return [
        t if common.isdisjoint(t.split()) else " ".join(w for w in t.split() if w not in common)
        for t in normalized
    ]


def score_sentence_pairs(
    sentences: Sentences,
    pairs: np.ndarray,
    *,
    texts: Sequence[str] | None = None,
    workers: int = -1,
    report: Callable[[int, int], None] = lambda done, total: None,
    calibration: ClaimCalibration | None = CLAIM_CALIBRATION,
) -> np.ndarray:
    """The probability (0–100) that each sentence pair states the same fact: the similarity of
    the two compared as ``texts`` (default: the normalised sentences; the aligner passes them
    with the common words set aside; the shortness gate still measures whole sentences), mapped
    by ``calibration`` (None: the similarity itself)."""
    scores = np.zeros(len(pairs))
    text = sentences.normalized if texts is None else texts
    for start in range(0, len(pairs), SCORE_CHUNK):
        chunk = pairs[start : start + SCORE_CHUNK]
        scores[start : start + len(chunk)] = similarity_many_normalized(
            [text[i] for i in chunk[:, 0]],
            [text[j] for j in chunk[:, 1]],
            workers=workers,
            lengths_a=sentences.lengths[chunk[:, 0]],
            lengths_b=sentences.lengths[chunk[:, 1]],
        )
        report(start + len(chunk), len(pairs))
    return scores if calibration is None else calibration(scores)


def numbers_conflict(sentences: Sentences, a: int, b: int) -> bool:
    x, y = sentences.numbers[a], sentences.numbers[b]
    return bool(x) and bool(y) and x.isdisjoint(y)


def best_per_sentence(pairs: np.ndarray, owners: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Indices of the pairs that are some sentence's best counterpart in a linked article
    (either way round; ties by sentence index)."""
    if not len(pairs):
        return np.zeros(0, dtype=np.int64)
    chosen = []
    for side in (0, 1):
        order = np.lexsort((pairs[:, 1 - side], -scores, pairs[:, side], owners))
        key_owner, key_sentence = owners[order], pairs[order, side]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (key_owner[1:] != key_owner[:-1]) | (key_sentence[1:] != key_sentence[:-1])
        chosen.append(order[first])
    return np.unique(np.concatenate(chosen))


def join_sentences(parts: Sequence[Sentences]) -> Sentences:
    """The sentences of consecutive chunks of passages as one :class:`Sentences`."""
    of, first, passages, sentences = [], [np.zeros(1, dtype=np.int64)], 0, 0
    for part in parts:
        of.append(part.of + passages)
        first.append(part.first[1:] + sentences)
        passages += len(part.first) - 1
        sentences += len(part.of)
    return Sentences(
        of=np.concatenate(of) if of else np.zeros(0, dtype=np.int64),
        start=np.concatenate([p.start for p in parts]) if parts else np.zeros(0, dtype=np.int64),
        end=np.concatenate([p.end for p in parts]) if parts else np.zeros(0, dtype=np.int64),
        normalized=[t for p in parts for t in p.normalized],
        lengths=np.concatenate([p.lengths for p in parts]) if parts else np.zeros(0),
        numbers=[x for p in parts for x in p.numbers],
        first=np.concatenate(first),
    )
