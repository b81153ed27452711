"""Passage similarity: how surely two passages report the same thing, 0–100.

Both passages are normalised (:mod:`nato_compare.normalize`: case, punctuation,
currency and number forms, stop words, stems) and compared by several cheap,
vectorised features (:data:`FEATURES`):

- rapidfuzz ``fuzz.ratio`` on the normalised text (stop words kept: word order
  and "not" count);
- content-word overlap: Jaccard of the two sets of content tokens;
- numbers: both passages carry numbers and share none (different figures);
- length ratio of the two content-token sets.

The features are combined linearly with the named coefficients of
:class:`SimilarityWeights` into log-odds z of "same content", fitted by
cross-validated logistic regression on the MRPC paraphrase corpus
(``benchmarks/mrpc.py --fit``, balanced classes). z is then mapped to 0–100 by a
logistic curve calibrated on BASIL (``benchmarks/calibrate_basil.py``): **the score
is the probability, in percent, that a passage's best match in another outlet
reports the same event** — 50 means as likely as not. On BASIL, of the best
matches scoring 50 or more 77% were from the same event, of those scoring 80 or
more 94%, of those scoring 90 or more 96%. Unrelated passages score near 0. Identical normalised texts score 100; a text without content words 0.

Everything is computed for many pairs at once: token sets become short strings
of one code point per token, sorted, so rapidfuzz's ``Indel`` distance between
two of them gives the size of their intersection in C++ (the longest common
subsequence of two sorted sets is their intersection). No Python loop runs per
pair; Python work is per distinct passage only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .normalize import STOP_WORDS, content_tokens, is_content, is_number, normalize

__all__ = [
    "DEFAULT_WEIGHTS", "FEATURES", "SimilarityWeights", "content_tokens", "evidence",
    "normalize", "pair_features", "similarity", "similarity_many",
    "similarity_many_normalized", "STOP_WORDS",
]

FEATURES = ("ratio", "jaccard", "number_conflict", "length_ratio")
"""Feature names, in the order of :class:`SimilarityWeights`' coefficients."""


@dataclass(frozen=True)
class SimilarityWeights:
    """Coefficients of the logistic combination: score = 100 / (1 + exp(-z)), with
    z = ``intercept`` + Σ coefficient × feature (each feature lies in 0..1).

    Fitted on MRPC by ``python benchmarks/mrpc.py --fit`` (5-fold cross-validated
    logistic regression, balanced classes), rounded to two decimals.
    """

    intercept: float = -5.6
    """Log-odds of "same content" when every feature is 0."""
    ratio: float = 3.94
    """``fuzz.ratio`` / 100 of the normalised texts: the same words in the same order."""
    jaccard: float = 3.83
    """Shared content tokens / all content tokens of the two passages (stop words aside)."""
    number_conflict: float = -0.47
    """1 when both passages carry numbers and share none: different figures, likely
    different facts."""
    length_ratio: float = 1.1
    """Content tokens of the shorter passage / of the longer one."""
    calibration_scale: float = 3.84
    """Slope mapping the MRPC log-odds z to the passage scale (see below)."""
    calibration_offset: float = 7.92
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


def _sets(normalized: str) -> tuple[str, str]:
    """Content-token set and number set of a normalised passage, as sorted code strings."""
    content = {t for t in normalized.split() if is_content(t)}
    return ("".join(sorted(map(_code, content))),
            "".join(sorted(_code(t) for t in content if is_number(t))))


def _intersections(a: list[str], b: list[str], workers: int) -> tuple[np.ndarray, ...]:
    """Sizes of ``a[i]``, ``b[i]`` and of their intersection (sorted code-point sets)."""
    size_a = np.fromiter(map(len, a), dtype=np.float64, count=len(a))
    size_b = np.fromiter(map(len, b), dtype=np.float64, count=len(b))
    shared = np.zeros(len(a))
    both = np.flatnonzero((size_a > 0) & (size_b > 0))
    if len(both):
        pick = both.tolist()
        indel = process.cpdist([a[i] for i in pick], [b[i] for i in pick],
                               scorer=Indel.distance, workers=workers, dtype=np.int32)
        shared[both] = (size_a[both] + size_b[both] - indel) / 2.0
    return size_a, size_b, shared


def pair_features(a: Sequence[str], b: Sequence[str], *, workers: int = -1) -> np.ndarray:
    """Feature matrix (pairs × :data:`FEATURES`) of already-normalised pairs."""
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length ({len(a)} != {len(b)})")
    n = len(a)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    a, b = list(a), list(b)
    # per distinct passage, not per pair: the aligner's pairs repeat each passage often
    distinct = {text: i for i, text in enumerate(dict.fromkeys(a + b))}
    sets = np.empty((len(distinct), 2), dtype=object)
    sets[:] = [_sets(text) for text in distinct]
    ia = np.fromiter(map(distinct.__getitem__, a), dtype=np.int64, count=n)
    ib = np.fromiter(map(distinct.__getitem__, b), dtype=np.int64, count=n)

    ratio = process.cpdist(a, b, scorer=fuzz.ratio, workers=workers, dtype=np.float32)
    size_a, size_b, shared = _intersections(
        sets[ia, 0].tolist(), sets[ib, 0].tolist(), workers)
    nums_a, nums_b, shared_nums = _intersections(
        sets[ia, 1].tolist(), sets[ib, 1].tolist(), workers)

    smaller, larger = np.minimum(size_a, size_b), np.maximum(size_a, size_b)
    union = size_a + size_b - shared
    features = np.zeros((n, len(FEATURES)))
    features[:, 0] = ratio / 100.0
    np.divide(shared, union, out=features[:, 1], where=union > 0)
    features[:, 2] = (nums_a > 0) & (nums_b > 0) & (shared_nums == 0)
    np.divide(smaller, larger, out=features[:, 3], where=larger > 0)
    return features


def log_odds(features: np.ndarray, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> np.ndarray:
    """The MRPC log-odds of "same content" (before the BASIL calibration)."""
    return weights.intercept + features @ weights.coefficients()


def _combine(features: np.ndarray, weights: SimilarityWeights) -> np.ndarray:
    z = weights.calibration_scale * log_odds(features, weights) + weights.calibration_offset
    return 100.0 / (1.0 + np.exp(-z))


def _score(features: np.ndarray, weights: SimilarityWeights) -> np.ndarray:
    scores = _combine(features, weights)
    # the same content words in the same order (ratio 100) are the same content ...
    scores[features[:, FEATURES.index("ratio")] >= 1.0] = 100.0
    # ... and a passage without content words (length ratio 0) is evidence of nothing
    scores[features[:, FEATURES.index("length_ratio")] <= 0.0] = 0.0
    return scores


def similarity_many_normalized(
    a: Sequence[str], b: Sequence[str], *, workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """Scores 0–100 of pairs ``(a[i], b[i])`` of texts already passed through :func:`normalize`.

    The aligner normalises each passage once and calls this on its candidate pairs.
    """
    return _score(pair_features(a, b, workers=workers), weights)


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

    50 = even evidence; ~80+ = strong; unrelated texts score near 0. See the module doc.
    """
    return float(similarity_many([a], [b], workers=1, weights=weights)[0])


# A name: capitalised words (joined by "of", "de", "al" …) or an acronym of 2+ capitals.
_NAME = re.compile(
    r"\b(?:[A-Z][\w’'\-]*[a-z0-9][\w’'\-]*|[A-Z]{2,}s?)"
    r"(?:\s+(?:(?:of|de|del|al|von|van|the)\s+)?(?:[A-Z][\w’'\-]*[a-z0-9][\w’'\-]*|[A-Z]{2,}))*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+)$")


def named_entities(text: str) -> list[str]:
    """Names in ``text`` as written: runs of capitalised words and acronyms.

    A single capitalised word that opens a sentence is not taken (it is capitalised
    for the sentence, not for a name) unless it is an acronym.
    """
    names: dict[str, None] = {}
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        at_start = bool(_SENTENCE_START.search(text[:match.start()]))
        if at_start and len(words) == 1 and not words[0].isupper():
            continue
        if content_tokens(match.group(0)):
            names.setdefault(match.group(0), None)
    return list(names)


def _name_words(text: str) -> dict[str, str]:
    """Normalised token → the word as written, for every content word inside a name."""
    words: dict[str, str] = {}
    for name in named_entities(text):
        for word in name.split():
            for token in content_tokens(word):
                words.setdefault(token, word.rstrip("’'s") if word.endswith(("’s", "'s")) else word)
    return words


def evidence(a: str, b: str, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> dict:
    """Why ``a`` and ``b`` score as they do.

    Keys: ``score`` (= :func:`similarity`); ``log_odds`` (the MRPC log-odds z the score
    is calibrated from: the sum of the ``scorers``' contributions); ``shared_words`` (content tokens in both,
    normalised: stems, no stop words, no numbers); ``shared_numbers`` (numbers and
    amounts in both, e.g. ``"40 billion eur"``); ``number_conflict`` (both carry numbers,
    none shared); ``shared_entities`` (names in both); ``scorers``: per feature its
    ``value`` (0–1) and ``contribution`` (coefficient × value, in log-odds), with the
    ``intercept``.
    """
    na, nb = normalize(a), normalize(b)
    features = pair_features([na], [nb], workers=1)
    score = float(_score(features.copy(), weights)[0])
    ta, tb = content_tokens(a), content_tokens(b)
    shared = set(ta) & set(tb)
    scorers = {
        name: {"value": round(float(value), 4), "contribution": round(float(value * coef), 4)}
        for name, value, coef in zip(FEATURES, features[0], weights.coefficients())
    }
    scorers["intercept"] = {"value": 1.0, "contribution": weights.intercept}
    names_a, names_b = _name_words(a), _name_words(b)
    return {
        "score": round(score, 2),
        "log_odds": round(float(log_odds(features, weights)[0]), 4),
        "shared_words": sorted(t for t in shared if not is_number(t)),
        "shared_numbers": sorted(set(_amounts(na)) & set(_amounts(nb))),
        "number_conflict": bool(features[0, FEATURES.index("number_conflict")]),
        "shared_entities": sorted(names_a[t] for t in names_a.keys() & names_b.keys()),
        "scorers": scorers,
    }


_AMOUNT = re.compile(r"\b\d+(?:\.\d+)?(?: (?:billion|million|trillion|thousand|percent))?"
                     r"(?: (?:eur|usd|gbp))?")


def _amounts(normalized: str) -> list[str]:
    """Numbers with their scale and currency ("40 billion eur", "2 percent", "2024")."""
    return _AMOUNT.findall(normalized)
