"""Passage similarity: how surely two passages report the same thing, 0–100.

Both passages are normalised (:mod:`nato_compare.normalize`: case, punctuation,
currency and number forms, stems) and compared by two cheap, vectorised features
(:data:`FEATURES`):

- ``ratio``: rapidfuzz ``fuzz.ratio`` of the normalised texts (stop words kept:
  word order and "not" count);
- ``jaccard``: shared content tokens / all content tokens of the two passages.

They are combined linearly with the named coefficients of :class:`SimilarityWeights`
into log-odds z of "same content", fitted by cross-validated logistic regression on
the MRPC paraphrase corpus (``benchmarks/mrpc.py --fit``, balanced classes). z is
mapped to 0–100 by a logistic curve calibrated on BASIL
(``benchmarks/calibrate_basil.py``): **the score is the probability, in percent,
that a passage's best match in another outlet reports the same event** — 50 means
as likely as not. On BASIL, of the best matches scoring 50 or more 74% were from
the same event, of those scoring 70 or more 88%, of those scoring 90 or more 97%.
Unrelated passages score near 0, identical normalised texts 100, a text without
content words 0. Why these two features and not more: ``docs/similarity.md``.

Everything is computed for many pairs at once: token sets become short strings
of one code point per token, sorted, so rapidfuzz's ``Indel`` distance between
two of them gives the size of their intersection in C++ (the longest common
subsequence of two sorted sets is their intersection). No Python loop runs per
pair; Python work is per distinct passage only.

Why a pair scores as it does (shared words, numbers, names): :mod:`nato_compare.evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .normalize import STOP_WORDS, content_tokens, is_content, normalize

__all__ = [
    "DEFAULT_WEIGHTS", "FEATURES", "SimilarityWeights", "content_tokens", "log_odds",
    "normalize", "pair_features", "similarity", "similarity_many", "similarity_many_normalized",
    "STOP_WORDS",
]

FEATURES = ("ratio", "jaccard")
"""Feature names, in the order of :class:`SimilarityWeights`' coefficients."""


@dataclass(frozen=True)
class SimilarityWeights:
    """Every parameter of the score. The log-odds of "same content" are
    z = ``intercept`` + ``ratio`` × ratio + ``jaccard`` × jaccard (features in 0..1),
    fitted on MRPC by ``python benchmarks/mrpc.py --fit`` (5-fold cross-validated
    logistic regression, balanced classes), rounded to two decimals; the score is
    100 / (1 + exp(-(``calibration_scale`` × z + ``calibration_offset``))).

    Features measured and left out, because on passages they did harm (BASIL
    best-match accuracy, gold rank-1) while adding little on MRPC: token_sort_ratio,
    ratios of the content words alone, containment, length ratio, shared or
    conflicting numbers. :func:`evidence` still reports numbers.
    """

    intercept: float = -4.94
    """Log-odds of "same content" when both features are 0."""
    ratio: float = 3.97
    """Coefficient of ``fuzz.ratio`` / 100 of the normalised texts (stop words kept):
    the same words in the same order."""
    jaccard: float = 4.2
    """Coefficient of the content-word Jaccard: shared content tokens / all content
    tokens of the two passages (no stop words; stems; amounts in one form)."""
    calibration_scale: float = 3.11
    """Slope mapping the MRPC log-odds z to the passage scale (see below)."""
    calibration_offset: float = 7.37
    """Offset of that mapping: score = 100 / (1 + exp(-(scale × z + offset))).

    Fitted by ``benchmarks/calibrate_basil.py``: on BASIL, the probability that a
    paragraph's best match in another outlet covers the same event. Monotone, so it
    changes no ranking (nor the MRPC AUC); it only says what a threshold means."""

    def coefficients(self) -> np.ndarray:
        """The feature coefficients, in the order of :data:`FEATURES`."""
        return np.array([getattr(self, name) for name in FEATURES], dtype=np.float64)


DEFAULT_WEIGHTS = SimilarityWeights()

# token -> code point; the token-set strings of all passages share this alphabet
_CODES: dict[str, int] = {}
_SURROGATES = range(0xD800, 0xE000)
_CODE_SPACE = 0x110000 - len(_SURROGATES)


def _code(token: str) -> str:
    code = _CODES.get(token)
    if code is None:
        code = len(_CODES)
        if code >= _CODE_SPACE:  # a vocabulary beyond Unicode shares codes
            code = hash(token) % _CODE_SPACE
        else:
            _CODES[token] = code
    return chr(code + len(_SURROGATES) if code >= _SURROGATES.start else code)


class _ContentCodes(dict):
    """token -> its code point, or "" for a token without content (stop word)."""

    def __missing__(self, token: str) -> str:
        code = _code(token) if is_content(token) else ""
        self[token] = code
        return code


_CONTENT_CODES = _ContentCodes()


@lru_cache(maxsize=1 << 19)
def _content_set(normalized: str) -> str:
    """The content tokens of a normalised passage as a sorted string of code points
    (cached: the aligner scores its candidates in chunks that share passages)."""
    return "".join(sorted(set(map(_CONTENT_CODES.__getitem__, normalized.split()))))


def _features(a: Sequence[str], b: Sequence[str], workers: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix (pairs × :data:`FEATURES`), and which pairs have a side without
    content words."""
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length ({len(a)} != {len(b)})")
    n = len(a)
    if n == 0:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=bool)
    a, b = list(a), list(b)
    # per distinct passage, not per pair: the aligner's pairs repeat each passage often
    distinct = {text: i for i, text in enumerate(dict.fromkeys(a + b))}
    sets = np.array([_content_set(text) for text in distinct], dtype=object)
    sizes = np.fromiter(map(len, sets), dtype=np.float64, count=len(sets))
    ia = np.fromiter(map(distinct.__getitem__, a), dtype=np.int64, count=n)
    ib = np.fromiter(map(distinct.__getitem__, b), dtype=np.int64, count=n)
    size_a, size_b = sizes[ia], sizes[ib]
    empty = (size_a == 0) | (size_b == 0)

    features = np.zeros((n, len(FEATURES)))
    features[:, 0] = process.cpdist(a, b, scorer=fuzz.ratio, workers=workers,
                                    dtype=np.float32) / 100.0
    both = np.flatnonzero(~empty)
    if len(both):
        # the Indel distance of two sorted sets is |A| + |B| - 2 |A ∩ B|
        indel = process.cpdist(sets[ia[both]].tolist(), sets[ib[both]].tolist(),
                               scorer=Indel.distance, workers=workers, dtype=np.int32)
        shared = (size_a[both] + size_b[both] - indel) / 2.0
        features[both, 1] = shared / (size_a[both] + size_b[both] - shared)
    return features, empty


def pair_features(a: Sequence[str], b: Sequence[str], *, workers: int = -1) -> np.ndarray:
    """Feature matrix (pairs × :data:`FEATURES`) of already-normalised pairs."""
    return _features(a, b, workers)[0]


def log_odds(features: np.ndarray, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> np.ndarray:
    """The MRPC log-odds of "same content" (before the BASIL calibration)."""
    return weights.intercept + features @ weights.coefficients()


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
    a: Sequence[str], b: Sequence[str], *, workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """Scores 0–100 of pairs ``(a[i], b[i])`` of texts already passed through :func:`normalize`.

    The aligner normalises each passage once and calls this on its candidate pairs.
    """
    return _scores(*_features(a, b, workers), weights)


def similarity_many(
    a: Sequence[str], b: Sequence[str], *, workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """Scores 0–100 of pairs ``(a[i], b[i])`` of raw texts (each distinct text normalised once)."""
    cache: dict[str, str] = {}
    for text in (*a, *b):
        if text not in cache:
            cache[text] = normalize(text)
    return similarity_many_normalized(
        [cache[t] for t in a], [cache[t] for t in b], workers=workers, weights=weights)


def similarity(a: str, b: str, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> float:
    """How surely passages ``a`` and ``b`` report the same thing: 0–100, symmetric.

    Calibrated so that a score is the chance, in percent, that a passage's best match
    in another outlet reports the same event (50: as likely as not); unrelated texts
    score near 0, identical ones 100. See the module doc and ``docs/similarity.md``.
    """
    return float(similarity_many([a], [b], workers=1, weights=weights)[0])
