"""Array helpers shared by the aligner's vectorised stages.

``np.unique`` without ``return_*`` arguments uses a hash table since NumPy 2.3 and sorts
afterwards; on the aligner's integer arrays (millions of packed pair or token codes) that is
15-50 times slower than sorting first (measured with NumPy 2.4: 1.5 million int64, 1.7 s
against 0.03 s). Sorting gives the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

Item = TypeVar("Item")
Result = TypeVar("Result")


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d (or flattened) array, ascending: ``np.unique(values)``."""
    ordered = np.sort(np.ravel(values))
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def in_threads(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """``function`` of every item, one thread each, results in order: for NumPy work that
    releases the GIL (sorting, arithmetic) on large arrays."""
    items = list(items)
    with ThreadPoolExecutor(max(len(items), 1)) as executor:
        return list(executor.map(function, items))
