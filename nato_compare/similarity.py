"""Passage similarity: how surely two passages report the same thing (0–100).

Minimal first version: normalised text scored by rapidfuzz ``token_sort_ratio``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz, process

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself said says
    say told""".split()
)

_CURRENCY_SYMBOLS = {"€": "eur", "$": "usd", "£": "gbp"}
_CURRENCY_WORDS = {
    "euro": "eur", "euros": "eur", "eur": "eur",
    "dollar": "usd", "dollars": "usd", "usd": "usd",
    "pound": "gbp", "pounds": "gbp", "gbp": "gbp",
}
_SCALE_WORDS = {"bn": "billion", "b": "billion", "billion": "billion", "m": "million",
                "mn": "million", "million": "million", "trillion": "trillion", "tn": "trillion",
                "thousand": "thousand"}

_SYMBOL_AMOUNT = re.compile(r"(?:us)?([€$£])\s?(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|mn|million|m|trillion|tn|thousand|b)?\b", re.I)
_WORD_AMOUNT = re.compile(
    r"\b(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|mn|million|trillion|tn|thousand)?\s*(euros?|eur|dollars?|usd|pounds?|gbp)\b",
    re.I,
)
_NON_WORD = re.compile(r"[^\w.%]+")


def _amount(number: str, scale: str | None, currency: str) -> str:
    number = number.replace(",", "")
    scale_word = _SCALE_WORDS.get((scale or "").lower(), "")
    return " ".join(part for part in (number, scale_word, currency) if part)


def _rewrite_amounts(text: str) -> str:
    text = _SYMBOL_AMOUNT.sub(
        lambda m: " " + _amount(m.group(2), m.group(3), _CURRENCY_SYMBOLS[m.group(1)]) + " ", text
    )
    return _WORD_AMOUNT.sub(
        lambda m: _amount(m.group(1), m.group(2), _CURRENCY_WORDS[m.group(3).lower()]), text
    )


def content_tokens(text: str) -> list[str]:
    """Normalised content tokens of ``text`` (no stop words), in order."""
    text = _rewrite_amounts(text.lower())
    tokens = []
    for token in _NON_WORD.split(text):
        token = token.strip(".")
        if token and token not in STOP_WORDS:
            tokens.append(token)
    return tokens


def normalize(text: str) -> str:
    """``text`` as space-joined content tokens: what every scorer compares."""
    return " ".join(content_tokens(text))


@dataclass(frozen=True)
class SimilarityWeights:
    """Parameters of the combined score (first version: one scorer)."""

    token_sort: float = 1.0


DEFAULT_WEIGHTS = SimilarityWeights()


def similarity_many_normalized(
    a: Sequence[str], b: Sequence[str], *, workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """Elementwise scores of already-normalised pairs ``(a[i], b[i])``."""
    if len(a) != len(b):
        raise ValueError("a and b must have the same length")
    if not len(a):
        return np.zeros(0, dtype=np.float64)
    scores = process.cpdist(list(a), list(b), scorer=fuzz.token_sort_ratio, workers=workers)
    return np.asarray(scores, dtype=np.float64)


def similarity_many(
    a: Sequence[str], b: Sequence[str], *, workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS, normalized: bool = False,
) -> np.ndarray:
    """Elementwise scores of pairs ``(a[i], b[i])``, 0–100."""
    if not normalized:
        a = [normalize(t) for t in a]
        b = [normalize(t) for t in b]
    return similarity_many_normalized(a, b, workers=workers, weights=weights)


def similarity(a: str, b: str, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> float:
    """How surely two passages report the same thing, 0–100, symmetric."""
    return float(similarity_many([a], [b], workers=1, weights=weights)[0])


def evidence(a: str, b: str, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> dict:
    """Why ``a`` and ``b`` score as they do."""
    ta, tb = set(content_tokens(a)), set(content_tokens(b))
    shared = sorted(ta & tb)
    score = similarity(a, b, weights)
    return {
        "score": score,
        "shared_words": [t for t in shared if not t[0].isdigit()],
        "shared_numbers": [t for t in shared if t[0].isdigit()],
        "shared_entities": [],
        "scorers": {"token_sort_ratio": {"score": score, "contribution": score}},
    }
