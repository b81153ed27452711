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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

from ..segment import split_claims
from ..normalize import STOP_WORDS, is_number, normalize
from .similarity import content_counts, similarity_many_normalized

SCORE_CHUNK = 500_000
MIN_SHARED_WORDS = 2  # content words two sentences must share to be compared as one fact


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


def word_incidence(texts: Sequence[str]) -> csr_matrix:
    """Which content words (normalised, no stop words) each text holds, as a 0/1 matrix."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        binary=True, token_pattern=r"\S+", lowercase=False, stop_words=sorted(STOP_WORDS)
    )
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no word at all
        return csr_matrix((len(texts), 1), dtype=np.int64)


def candidate_sentence_pairs(
    sentences: Sentences,
    article_passages: list[np.ndarray],
    links: Sequence[tuple[int, int, float]],
    words: csr_matrix | None = None,
    min_shared: int = MIN_SHARED_WORDS,
) -> tuple[np.ndarray, np.ndarray]:
    """The sentence pairs of every linked article pair that share at least ``min_shared`` words
    of ``words`` (:func:`word_incidence` of the texts compared; None: every pair), as (n × 2
    sentence indices, link index). Two sentences that share one word once the corpus's common
    words are set aside ("Rahman had him fighting down" / "Rahman has nothing left"; "Justice
    Ginsburg asked" / "Scalia asked") do not state one fact, and on large corpora most pairs
    share none."""
    per_article = [_ranges(sentences.first, p) for p in article_passages]
    partners: dict[int, list[int]] = {}  # article -> its links (as the smaller article)
    for k, (i, _, _) in enumerate(links):
        partners.setdefault(i, []).append(k)
    parts, owners = [], []
    for i, ks in partners.items():
        a = per_article[i]
        if not len(a):
            continue
        b = np.concatenate([per_article[links[k][1]] for k in ks])
        link_of = np.repeat(ks, [len(per_article[links[k][1]]) for k in ks])
        if not len(b):
            continue
        if words is None:
            rows, columns = np.repeat(np.arange(len(a)), len(b)), np.tile(np.arange(len(b)), len(a))
        else:
            # one product per article and all its partners: far fewer calls than one per link
            shared = (words[a] @ words[b].T).tocoo()
            keep = shared.data >= min_shared
            rows, columns = shared.row[keep], shared.col[keep]
        order = np.lexsort((columns, rows, link_of[columns]))
        rows, columns = rows[order], columns[order]
        parts.append(np.stack([a[rows], b[columns]], axis=1))
        owners.append(link_of[columns])
    if not parts:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(parts), np.concatenate(owners).astype(np.int64)


def common_words(sentences: Sentences, share: float, at_least: int) -> frozenset[str]:
    """Normalised words found in more than ``share`` of the sentences and in more than
    ``at_least`` of them: the corpus's subject ("nato", "ukrain"), set aside before comparing."""
    if share >= 1 or not sentences.normalized:
        return frozenset()
    frequency = Counter(t for text in sentences.normalized for t in set(text.split()))
    limit = max(share * len(sentences.normalized), at_least)
    return frozenset(t for t, n in frequency.items() if n > limit)


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
) -> np.ndarray:
    """The similarity (0–100) of every sentence pair, compared as ``texts`` (default: the
    normalised sentences; the aligner passes them with the common words set aside; the
    shortness gate still measures whole sentences)."""
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
    return scores


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
