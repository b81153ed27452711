"""Passage similarity: how surely two passages report the same thing, 0–100.

Both passages are normalised (:mod:`nato_compare.normalize`: case, punctuation,
currency and number forms, stems) and compared by cheap, vectorised features
(:data:`FEATURES`):

- ``ratio``: rapidfuzz ``fuzz.ratio`` of the normalised texts (stop words kept:
  word order and "not" count);
- ``jaccard``: shared content tokens / all content tokens of the two passages;
- for pairs of sentences only, behind a sharp shortness gate g (1 while the longer
  passage has at most :attr:`SimilarityWeights.short_tokens` content tokens, ~0 a few
  tokens beyond): g itself, g × ratio, g × jaccard, ``short_bigrams`` (Jaccard of
  adjacent content-word pairs) and ``short_number_mismatch`` (numbers found in one
  passage only, per content token). They turn the **passage model** (ratio and
  jaccard) into the **sentence model** fitted on MRPC sentence pairs, which tells
  paraphrases from near-copies that differ; paragraphs keep the passage model.

They are combined linearly with the named coefficients of :class:`SimilarityWeights`
into log-odds z of "same content", fitted by cross-validated logistic regression on
the MRPC paraphrase corpus (``benchmarks/mrpc.py --fit``, balanced classes). z is
mapped to 0–100 by a logistic curve calibrated on BASIL
(``benchmarks/calibrate_basil.py``): **the score is the probability, in percent,
that a passage's best match in another outlet reports the same event** — 50 means
as likely as not. Unrelated passages score near 0, identical normalised texts
100, a text without content words 0. Measured figures and what was left out:
``docs/similarity.md``.

Everything is computed for many pairs at once: token, bigram and number sets become
short strings of one code point per element, sorted, so rapidfuzz's ``Indel`` distance between
two of them gives the size of their intersection in C++ (the longest common
subsequence of two sorted sets is their intersection). No Python loop runs per
pair; Python work is per distinct passage only.

Why a pair scores as it does (shared words, numbers, names): :mod:`nato_compare.alignment.evidence`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, count
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .arrays import sorted_unique
from .code_sets import code_sets
from ..normalize import STOP_WORDS, content_tokens, is_content, normalize

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURES",
    "SimilarityWeights",
    "content_counts",
    "content_tokens",
    "token_statistics",
    "log_odds",
    "normalize",
    "pair_features",
    "similarity",
    "similarity_many",
    "similarity_many_normalized",
    "STOP_WORDS",
]

FEATURES = (
    "ratio",
    "jaccard",
    "short",
    "short_ratio",
    "short_jaccard",
    "short_bigrams",
    "short_number_mismatch",
)
"""Feature names, in the order of :class:`SimilarityWeights`' coefficients. The ``short``
ones are the shortness gate g times a value (``short`` is g itself)."""


@dataclass(frozen=True)
class SimilarityWeights:
    """Every parameter of the score. The log-odds of "same content" are
    z = ``intercept`` + Σ coefficient × feature (features in 0..1, :data:`FEATURES`);
    the score is 100 / (1 + exp(-(``calibration_scale`` × z + ``calibration_offset``))).

    Two models in one, joined by the shortness gate g (:attr:`short_tokens`), both fitted
    on MRPC by ``python benchmarks/mrpc.py --fit`` (5-fold cross-validated logistic
    regression, balanced classes, rounded to two decimals):

    - the **passage model** (g = 0): ``intercept`` + ``ratio`` × ratio + ``jaccard`` ×
      jaccard — what ranks paragraphs (BASIL, the seed gold);
    - the **sentence model** (g = 1): the same plus the ``short`` terms, i.e. its own
      intercept, ratio and Jaccard coefficients (``short``, ``short_ratio``,
      ``short_jaccard`` are the sentence model's minus the passage model's) and two
      features of its own, ``short_bigrams`` and ``short_number_mismatch``.

    In between, z = (1 - g) × passage + g × sentence. Features measured and left out,
    because on passages they did harm (BASIL best-match accuracy, gold rank-1) while
    adding little on MRPC: token_sort_ratio, ratios of the content words alone,
    containment, length ratio, unmatched-word counts, an ungated number-conflict flag.
    """

    intercept: float = -4.94
    """Log-odds of "same content" of the passage model when its features are 0."""
    ratio: float = 3.97
    """Coefficient of ``fuzz.ratio`` / 100 of the normalised texts (stop words kept):
    the same words in the same order."""
    jaccard: float = 4.21
    """Coefficient of the content-word Jaccard: shared content tokens / all content
    tokens of the two passages (no stop words; stems; amounts in one form)."""
    short: float = -0.96
    """Coefficient of g: the sentence model's intercept minus the passage model's."""
    short_ratio: float = 1.67
    """Coefficient of g × ratio: the sentence model's ratio coefficient minus ``ratio``."""
    short_jaccard: float = 1.95
    """Coefficient of g × jaccard: the sentence model's Jaccard coefficient minus
    ``jaccard``."""
    short_bigrams: float = -3.58
    """Coefficient of g × the Jaccard of adjacent content-word pairs (bigrams). Negative:
    with the shared words held equal, sentences that also share word pairs are more often
    near-copies that differ in what they add (MRPC's non-paraphrases)."""
    short_number_mismatch: float = -2.91
    """Coefficient of g × the numbers found in only one passage, per content token of
    the two passages: a sentence with a number the other lacks reports something else
    ("40 billion" / "20 billion")."""
    calibration_scale: float = 3.11
    """Slope mapping the log-odds z to the passage scale (see below)."""
    calibration_offset: float = 7.37
    """Offset of that mapping: score = 100 / (1 + exp(-(scale × z + offset))).

    Fitted by ``benchmarks/calibrate_basil.py`` on the passage model: on BASIL, the
    probability that a paragraph's best match in another outlet covers the same event.
    Monotone, so it changes no ranking (nor the MRPC AUC); it only says what a threshold
    means."""

    short_tokens: float = 19.0
    """The shortness gate g = min(1, short_tokens / n) ** short_power, n the content
    tokens of the longer passage (of the whole passages when the aligner has set topic
    words aside): g = 1 up to 19 (MRPC: 95% of the pairs; its median is 12), 0.2 at 20,
    0.01 at 22. A sharp edge, so that paragraphs keep the passage model; with a soft one
    (17 and power 4) the seed paragraphs of 15-25 content tokens lost a gold pair."""
    short_power: float = 30.0
    """Exponent of the shortness gate (how sharply the sentence model gives way)."""

    def __post_init__(self) -> None:
        if self.short_tokens <= 0 or self.short_power <= 0:
            raise ValueError("short_tokens and short_power must be positive")

    def coefficients(self) -> np.ndarray:
        """The feature coefficients, in the order of :data:`FEATURES`."""
        return np.array([getattr(self, name) for name in FEATURES], dtype=np.float64)


DEFAULT_WEIGHTS = SimilarityWeights()


def _shared(
    sets: np.ndarray, sizes: np.ndarray, ia: np.ndarray, ib: np.ndarray, workers: int
) -> np.ndarray:
    """|A ∩ B| of the sorted code strings ``sets[ia[k]]``, ``sets[ib[k]]``: the Indel
    distance of two sorted sets is |A| + |B| - 2 |A ∩ B|."""
    indel = process.cpdist(
        sets[ia].tolist(), sets[ib].tolist(), scorer=Indel.distance, workers=workers, dtype=np.int32
    )
    shared: np.ndarray = (sizes[ia] + sizes[ib] - indel) / 2.0
    return shared


def content_counts(normalized: Sequence[str]) -> np.ndarray:
    """Distinct content tokens of each normalised text: the length the shortness gate
    measures. The aligner takes them before it sets the corpus's topic words aside, so
    that a paragraph stays a paragraph for the gate."""
    return token_statistics(normalized)[0]


def token_statistics(normalized: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    """:func:`content_counts` of normalised texts, and in how many of the texts each token
    (stop words included) occurs. One dict lookup per token; ``is_content`` is asked once per
    distinct token, not once per token (it was most of the aligner's per-passage statistics)."""
    token_lists = [text.split() for text in normalized]
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    ids: defaultdict[str, int] = defaultdict(count().__next__)
    codes = np.fromiter(
        map(ids.__getitem__, chain.from_iterable(token_lists)),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    vocabulary = list(ids)
    size = max(len(vocabulary), 1)
    # (text, token) packed in one integer: one sort gives each text's distinct tokens
    packed = sorted_unique(np.repeat(np.arange(len(token_lists)), lengths) * size + codes)
    doc, tok = packed // size, packed % size
    content = np.fromiter(map(is_content, vocabulary), dtype=bool, count=len(vocabulary))
    counts = np.bincount(doc[content[tok]], minlength=len(token_lists)).astype(np.float64)
    frequency = np.bincount(tok, minlength=len(vocabulary)).tolist()
    return counts, dict(zip(vocabulary, frequency))


def _features(
    a: Sequence[str],
    b: Sequence[str],
    workers: int,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
    lengths_a: Sequence[float] | None = None,
    lengths_b: Sequence[float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix (pairs × :data:`FEATURES`), and which pairs have a side without
    content words. ``lengths_a`` / ``lengths_b``: content tokens of each pair's whole
    passages for the shortness gate (default: of ``a`` and ``b`` themselves)."""
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length ({len(a)} != {len(b)})")
    n = len(a)
    if n == 0:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=bool)
    a, b = list(a), list(b)
    # per distinct passage, not per pair: the aligner's pairs repeat each passage often
    distinct = {text: i for i, text in enumerate(dict.fromkeys(a + b))}
    columns = []
    for part in code_sets(list(distinct)):  # content tokens, bigrams, numbers
        strings = np.array(part, dtype=object)
        columns.append(
            (strings, np.fromiter(map(len, strings), dtype=np.float64, count=len(strings)))
        )
    ia = np.fromiter(map(distinct.__getitem__, a), dtype=np.int64, count=n)
    ib = np.fromiter(map(distinct.__getitem__, b), dtype=np.int64, count=n)
    (sets, sizes), (bigrams, bigram_sizes), (numbers, number_sizes) = columns
    size_a, size_b = sizes[ia], sizes[ib]
    empty = (size_a == 0) | (size_b == 0)

    features = np.zeros((n, len(FEATURES)))
    ratio = process.cpdist(a, b, scorer=fuzz.ratio, workers=workers, dtype=np.float32) / 100.0
    features[:, 0] = ratio
    both = np.flatnonzero(~empty)
    if len(both):
        ja, jb = ia[both], ib[both]
        total = size_a[both] + size_b[both]
        shared = _shared(sets, sizes, ja, jb, workers)
        jaccard = shared / (total - shared)
        features[both, 1] = jaccard
        long_a = size_a if lengths_a is None else np.maximum(size_a, lengths_a)
        long_b = size_b if lengths_b is None else np.maximum(size_b, lengths_b)
        gate = (
            np.minimum(1.0, weights.short_tokens / np.maximum(long_a[both], long_b[both]))
            ** weights.short_power
        )
        features[both, 2] = gate
        features[both, 3] = gate * ratio[both]
        features[both, 4] = gate * jaccard
        # word pairs and numbers only where they count (below 1e-4, under 0.001 log-odds)
        open_ = np.flatnonzero(gate > 1e-4)
        if len(open_):
            oa, ob, rows = ja[open_], jb[open_], both[open_]
            shared_bigrams = _shared(bigrams, bigram_sizes, oa, ob, workers)
            bigram_union = bigram_sizes[oa] + bigram_sizes[ob] - shared_bigrams
            features[rows, 5] = gate[open_] * np.divide(
                shared_bigrams, bigram_union, out=np.zeros(len(open_)), where=bigram_union > 0
            )
            with_numbers = np.flatnonzero((number_sizes[oa] + number_sizes[ob]) > 0)
            if len(with_numbers):
                na, nb = oa[with_numbers], ob[with_numbers]
                unmatched = (
                    number_sizes[na]
                    + number_sizes[nb]
                    - 2 * _shared(numbers, number_sizes, na, nb, workers)
                )
                features[rows[with_numbers], 6] = (
                    gate[open_][with_numbers] * unmatched / total[open_][with_numbers]
                )
    return features, empty


def pair_features(
    a: Sequence[str],
    b: Sequence[str],
    *,
    workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
    lengths_a: Sequence[float] | None = None,
    lengths_b: Sequence[float] | None = None,
) -> np.ndarray:
    """Feature matrix (pairs × :data:`FEATURES`) of already-normalised pairs
    (``weights.short_tokens`` sets the shortness gate; ``lengths_a`` / ``lengths_b`` as
    in :func:`similarity_many_normalized`)."""
    return _features(a, b, workers, weights, lengths_a, lengths_b)[0]


def log_odds(features: np.ndarray, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> np.ndarray:
    """The MRPC log-odds of "same content" (before the BASIL calibration)."""
    odds: np.ndarray = weights.intercept + features @ weights.coefficients()
    return odds


def _combine(features: np.ndarray, weights: SimilarityWeights) -> np.ndarray:
    z = weights.calibration_scale * log_odds(features, weights) + weights.calibration_offset
    return 100.0 / (1.0 + np.exp(-z))


def _scores(features: np.ndarray, empty: np.ndarray, weights: SimilarityWeights) -> np.ndarray:
    scores = _combine(features, weights)
    # the same words in the same order (ratio 100) are the same content ...
    scores[features[:, FEATURES.index("ratio")] >= 1.0] = 100.0
    # ... and a passage without content words is evidence of nothing
    scores[empty] = 0.0
    return scores


def similarity_many_normalized(
    a: Sequence[str],
    b: Sequence[str],
    *,
    workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
    lengths_a: Sequence[float] | None = None,
    lengths_b: Sequence[float] | None = None,
) -> np.ndarray:
    """Scores 0–100 of pairs ``(a[i], b[i])`` of texts already passed through :func:`normalize`.

    The aligner normalises each passage once and calls this on its candidate pairs.
    ``lengths_a`` / ``lengths_b``: when ``a`` and ``b`` are passages with words taken out
    (the aligner sets the corpus's topic words aside), the content tokens of each pair's
    whole passages (:func:`content_counts` of their full normalised texts), so that the
    shortness gate still sees paragraphs as paragraphs. Default: ``a`` and ``b``'s own.
    """
    return _scores(*_features(a, b, workers, weights, lengths_a, lengths_b), weights)


def similarity_many(
    a: Sequence[str],
    b: Sequence[str],
    *,
    workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """Scores 0–100 of pairs ``(a[i], b[i])`` of raw texts (each distinct text normalised once)."""
    cache: dict[str, str] = {}
    for text in (*a, *b):
        if text not in cache:
            cache[text] = normalize(text)
    return similarity_many_normalized(
        [cache[t] for t in a], [cache[t] for t in b], workers=workers, weights=weights
    )


def similarity(a: str, b: str, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> float:
    """How surely passages ``a`` and ``b`` report the same thing: 0–100, symmetric.

    Calibrated so that a score is the chance, in percent, that a passage's best match
    in another outlet reports the same event (50: as likely as not); unrelated texts
    score near 0, identical ones 100. See the module doc and ``docs/similarity.md``.
    """
    return float(similarity_many([a], [b], workers=1, weights=weights)[0])
