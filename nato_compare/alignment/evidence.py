"""The evidence behind a similarity score: what two passages share.

For a reader checking an alignment: shared content words, shared numbers and amounts
(and whether the numbers conflict), shared names, and each scorer's contribution to
the score (:mod:`nato_compare.alignment.similarity`). Not part of the score itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ..normalize import STOP_WORDS, content_tokens, is_number, normalize
from .similarity import (
    DEFAULT_WEIGHTS,
    FEATURES,
    SimilarityWeights,
    _features,
    _scores,
    log_odds,
)

__all__ = ["amounts", "evidence", "evidence_many", "named_entities"]


# A name: capitalised words (joined by "of", "de", "al" …) or an acronym ("NATO", "U.S.").
_NAME = re.compile(
    r"\b(?:(?:[A-Z]\.){2,}|[A-Z][\w’'\-]*[a-z0-9][\w’'\-]*|[A-Z]{2,}s?)"
    r"(?:\s+(?:(?:of|de|del|al|von|van|the)\s+)?(?:[A-Z][\w’'\-]*[a-z0-9][\w’'\-]*|[A-Z]{2,}))*"
)
_AFTER_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s+$")


@lru_cache(maxsize=1 << 17)
def _name_parts(name: str) -> tuple[tuple[str, str], ...]:
    """The normalised content tokens of a name, each with the word it comes from as written
    (a name whose words normalise together, as "United States" → ``usa``, maps whole); empty
    when the name has no content word. Cached: the same names ("NATO", "Jens Stoltenberg")
    recur in passage after passage."""
    whole = tuple(content_tokens(name))
    if not whole:
        return ()
    per_word = tuple(
        (token, word[:-2] if word.endswith(("’s", "'s")) else word)
        for word in name.split()
        for token in content_tokens(word)
    )
    if tuple(token for token, _ in per_word) != whole:
        return tuple((token, name) for token in whole)
    return per_word


def named_entities(text: str) -> list[str]:
    """Names in ``text`` as written: runs of capitalised words and acronyms.

    A single capitalised word that opens a sentence is not taken (it is capitalised
    for the sentence, not for a name) unless it is an acronym.
    """
    names: dict[str, None] = {}
    for match in _NAME.finditer(text):
        name = match.group(0)
        if name in names:
            continue
        start = match.start()
        # one word opening a sentence: the only case that needs a look behind it
        if (
            " " not in name
            and not name.replace(".", "").isupper()
            and (start == 0 or _AFTER_SENTENCE_END.search(text, max(0, start - 4), start))
        ):
            continue
        if _name_parts(name):
            names[name] = None
    return list(names)


def _name_words(text: str) -> dict[str, str]:
    """Normalised token → the word as written, for every content word inside a name."""
    words: dict[str, str] = {}
    for name in named_entities(text):
        for token, written in _name_parts(name):
            words.setdefault(token, written)
    return words


def evidence(a: str, b: str, weights: SimilarityWeights = DEFAULT_WEIGHTS) -> dict[str, Any]:
    """Why ``a`` and ``b`` score as they do.

    Keys: ``score`` (= :func:`similarity`); ``log_odds`` (the MRPC log-odds z the
    score is calibrated from: the sum of the ``scorers``' contributions);
    ``shared_words`` (content tokens in both, normalised: stems, no stop words, no
    numbers); ``shared_numbers`` (numbers and amounts in both, e.g.
    ``"40 billion eur"``); ``number_conflict`` (both carry numbers, none shared: a
    hint for the reader, not part of the score); ``shared_entities`` (name words in
    both, as written in ``a``); ``scorers``: per feature its ``value`` (0–1) and
    ``contribution`` (coefficient × value, in log-odds), and the ``intercept``.
    """
    return evidence_many([a], [b], weights=weights, workers=1)[0]


def evidence_many(
    a: Sequence[str],
    b: Sequence[str],
    *,
    normalized_a: Sequence[str] | None = None,
    normalized_b: Sequence[str] | None = None,
    workers: int = -1,
    weights: SimilarityWeights = DEFAULT_WEIGHTS,
    lengths_a: Sequence[float] | None = None,
    lengths_b: Sequence[float] | None = None,
    whole_a: Sequence[str] | None = None,
    whole_b: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """:func:`evidence` of every pair ``(a[i], b[i])``; the scores in one vectorised call,
    names and amounts once per distinct text. Pass ``normalized_a`` / ``normalized_b``
    (:func:`normalize` of the texts) when you have them, and ``lengths_a`` / ``lengths_b``
    when the aligner scored them with whole-passage lengths (see
    :func:`nato_compare.alignment.similarity.similarity_many_normalized`): the evidence's score is then
    the pair's score. ``whole_a`` / ``whole_b``: when the normalised texts have words set aside
    (the aligner's common words: "billion", "eur" in a corpus about budgets), the normalised
    texts whole, so that amounts keep their scale and currency."""
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length ({len(a)} != {len(b)})")
    cache: dict[str, str] = {}
    if normalized_a is None or normalized_b is None:
        for text in (*a, *b):
            if text not in cache:
                cache[text] = normalize(text)
    na = list(normalized_a) if normalized_a is not None else [cache[t] for t in a]
    nb = list(normalized_b) if normalized_b is not None else [cache[t] for t in b]
    features, empty = _features(na, nb, workers, weights, lengths_a, lengths_b)
    scores = _scores(features, empty, weights)
    odds = log_odds(features, weights)
    contributions = features * weights.coefficients()
    wa = list(whole_a) if whole_a is not None else na
    wb = list(whole_b) if whole_b is not None else nb
    per_text: dict[tuple[str, str], tuple[set[str], set[str], dict[str, str]]] = {}
    for text, normalized, whole in zip((*a, *b), (*na, *nb), (*wa, *wb)):
        if (text, normalized) not in per_text:
            # the content tokens (see normalize.is_content), without a call per token
            content = {
                t for t in set(normalized.split()) - STOP_WORDS if len(t) > 1 or t[:1].isdigit()
            }
            per_text[text, normalized] = (content, set(amounts(whole)), _name_words(text))
    found = []
    # rounded in one vectorised pass, not per value
    values, parts = np.round(features, 4).tolist(), np.round(contributions, 4).tolist()
    rounded_scores, rounded_odds = np.round(scores, 2).tolist(), np.round(odds, 4).tolist()
    for k in range(len(a)):
        words_a, amounts_a, names_a = per_text[a[k], na[k]]
        words_b, amounts_b, names_b = per_text[b[k], nb[k]]
        scorers = {
            name: {"value": value, "contribution": part}
            for name, value, part in zip(FEATURES, values[k], parts[k])
        }
        scorers["intercept"] = {"value": 1.0, "contribution": weights.intercept}
        found.append(
            {
                "score": rounded_scores[k],
                "log_odds": rounded_odds[k],
                "shared_words": sorted(t for t in words_a & words_b if not is_number(t)),
                "shared_numbers": sorted(amounts_a & amounts_b),
                "number_conflict": bool(amounts_a and amounts_b and not amounts_a & amounts_b),
                "shared_entities": sorted(names_a[t] for t in names_a.keys() & names_b.keys()),
                "scorers": scorers,
            }
        )
    return found


_AMOUNT = re.compile(
    r"\b\d+(?:\.\d+)?(?: (?:billion|million|trillion|thousand|percent))?"
    r"(?: (?:eur|usd|gbp))?"
)


def amounts(normalized: str) -> list[str]:
    """Numbers with their scale and currency ("40 billion eur", "2 percent", "2024")."""
    return _AMOUNT.findall(normalized)
