"""Per-passage text work of the aligner, done once per passage instead of once per pair.

- :func:`prepare_texts` normalises every passage and lists its distinct tokens for the
  candidate index, in several forked processes for large inputs when the caller runs no other
  threads (this is pure Python and the slowest per-passage work).
- :func:`evidence_many` gives, for many pairs at once, exactly what
  :func:`nato_compare.similarity.evidence` gives for one pair: the pair features are computed
  in one vectorised call and each passage's names, amounts and content words once, however
  many pairs it belongs to. ``tests/test_align.py`` checks that both give the same result.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

import numpy as np

from .candidates import TokenTable, local_token_table, merge_token_tables
from .normalize import is_content, is_number

T = TypeVar("T")

# ``nato_compare.similarity`` is shadowed by the function of that name in the package namespace
_similarity = importlib.import_module(f"{__package__}.similarity")

PARALLEL_FROM = 20_000  # below this many passages, starting processes costs more than it saves
CHUNK = 5_000


def _can_fork(items: int, workers: int) -> int:
    """How many processes to use for ``items`` passages (1 = stay in this process)."""
    processes = (os.cpu_count() or 1) if workers == -1 else max(1, workers)
    # forking is safe only in a process without other threads (not in the TUI's workers);
    # spawning would re-run the caller's main module, which scripts rarely guard
    if (items < PARALLEL_FROM or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return processes


def _in_chunks(function: Callable[[list], T], items: list, workers: int) -> list[T]:
    """``function`` over chunks of ``items``, in forked processes when worthwhile."""
    chunks = [items[k:k + CHUNK] for k in range(0, len(items), CHUNK)]
    processes = _can_fork(len(items), workers)
    if processes == 1:
        return [function(chunk) for chunk in chunks]
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, chunks))


def _prepare_chunk(texts: list[str]) -> tuple[list[str], tuple]:
    normalized = [_similarity.normalize(text) for text in texts]
    return normalized, local_token_table(normalized)


def prepare_texts(texts: Sequence[str], workers: int = -1) -> tuple[list[str], TokenTable]:
    """Every text normalised, and the token table of the candidate index
    (:func:`nato_compare.candidates.token_table`)."""
    parts = _in_chunks(_prepare_chunk, list(texts), workers)
    normalized = [text for chunk, _ in parts for text in chunk]
    return normalized, merge_token_tables([table for _, table in parts])


def _facts_chunk(items: list[tuple[str, str]]) -> list[tuple[set, set, dict]]:
    """Per passage: content tokens, amounts, and the words of the names it mentions."""
    return [({t for t in normalized.split() if is_content(t)}, set(_similarity._amounts(normalized)),
             _similarity._name_words(text)) for text, normalized in items]


def evidence_many(texts: Sequence[str], normalized: Sequence[str], pairs: np.ndarray,
                  workers: int = -1) -> list[dict]:
    """``similarity.evidence(texts[i], texts[j])`` for every ``(i, j)`` of ``pairs``."""
    sim = _similarity
    weights = sim.DEFAULT_WEIGHTS
    needed = ("pair_features", "log_odds", "_score", "_amounts", "_name_words", "FEATURES")
    if not all(hasattr(sim, name) for name in needed):  # the similarity module changed shape
        return [sim.evidence(texts[i], texts[j]) for i, j in pairs.tolist()]
    if not len(pairs):
        return []
    left, right = pairs[:, 0].tolist(), pairs[:, 1].tolist()
    features = sim.pair_features([normalized[i] for i in left], [normalized[j] for j in right],
                                 workers=workers)
    scores = sim._score(features.copy(), weights)
    log_odds = sim.log_odds(features, weights)
    coefficients = weights.coefficients()
    conflict = sim.FEATURES.index("number_conflict")
    used = list(dict.fromkeys(left + right))
    facts = dict(zip(used, (f for chunk in _in_chunks(
        _facts_chunk, [(texts[i], normalized[i]) for i in used], workers) for f in chunk)))
    found = []
    for k, (i, j) in enumerate(zip(left, right)):
        (content_i, amounts_i, names_i), (content_j, amounts_j, names_j) = facts[i], facts[j]
        shared = content_i & content_j
        scorers = {
            name: {"value": round(float(value), 4), "contribution": round(float(value * coef), 4)}
            for name, value, coef in zip(sim.FEATURES, features[k], coefficients)
        }
        scorers["intercept"] = {"value": 1.0, "contribution": weights.intercept}
        found.append({
            "score": round(float(scores[k]), 2),
            "log_odds": round(float(log_odds[k]), 4),
            "shared_words": sorted(t for t in shared if not is_number(t)),
            "shared_numbers": sorted(amounts_i & amounts_j),
            "number_conflict": bool(features[k, conflict]),
            "shared_entities": sorted(names_i[t] for t in names_i.keys() & names_j.keys()),
            "scorers": scorers,
        })
    return found
