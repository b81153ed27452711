"""Per-passage text work of the aligner, done once per passage instead of once per pair.

- :func:`normalize_all` normalises every passage, in several processes for large inputs
  (normalising is pure Python and the slowest per-passage step).
- :func:`evidence_many` gives, for many pairs at once, exactly what
  :func:`nato_compare.similarity.evidence` gives for one pair: the pair features are computed
  in one vectorised call and each passage's names, amounts and content words once, however
  many pairs it belongs to. ``tests/test_align.py`` checks that both give the same result.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .normalize import is_content, is_number

# ``nato_compare.similarity`` is shadowed by the function of that name in the package namespace
_similarity = importlib.import_module(f"{__package__}.similarity")

PARALLEL_FROM = 20_000  # below this many passages, starting processes costs more than it saves
CHUNK = 5_000


def _normalize_chunk(texts: list[str]) -> list[str]:
    return [_similarity.normalize(text) for text in texts]


def normalize_all(texts: Sequence[str], workers: int = -1) -> list[str]:
    """``normalize`` of every text, in ``workers`` processes (-1 = one per core) when large."""
    processes = (os.cpu_count() or 1) if workers == -1 else max(1, workers)
    if processes == 1 or len(texts) < PARALLEL_FROM:
        return _normalize_chunk(list(texts))
    chunks = [list(texts[k:k + CHUNK]) for k in range(0, len(texts), CHUNK)]
    # spawn, not fork: the caller may be a threaded application (the TUI)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        return [text for chunk in pool.map(_normalize_chunk, chunks) for text in chunk]


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
    content: dict[int, set[str]] = {}
    amounts: dict[int, set[str]] = {}
    names: dict[int, dict[str, str]] = {}
    for i in dict.fromkeys(left + right):
        content[i] = {t for t in normalized[i].split() if is_content(t)}
        amounts[i] = set(sim._amounts(normalized[i]))
        names[i] = sim._name_words(texts[i])
    found = []
    for k, (i, j) in enumerate(zip(left, right)):
        shared = content[i] & content[j]
        scorers = {
            name: {"value": round(float(value), 4), "contribution": round(float(value * coef), 4)}
            for name, value, coef in zip(sim.FEATURES, features[k], coefficients)
        }
        scorers["intercept"] = {"value": 1.0, "contribution": weights.intercept}
        found.append({
            "score": round(float(scores[k]), 2),
            "log_odds": round(float(log_odds[k]), 4),
            "shared_words": sorted(t for t in shared if not is_number(t)),
            "shared_numbers": sorted(amounts[i] & amounts[j]),
            "number_conflict": bool(features[k, conflict]),
            "shared_entities": sorted(names[i][t] for t in names[i].keys() & names[j].keys()),
            "scorers": scorers,
        })
    return found
