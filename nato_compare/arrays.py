"""Array helpers shared by the aligner's vectorised stages.

``np.unique`` without ``return_*`` arguments uses a hash table since NumPy 2.3 and sorts
afterwards; on the aligner's integer arrays (millions of packed pair or token codes) that is
15-50 times slower than sorting first (measured with NumPy 2.4: 1.5 million int64, 1.7 s
against 0.03 s). Sorting gives the same result.
"""

from __future__ import annotations

import numpy as np


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d (or flattened) array, ascending: ``np.unique(values)``."""
    ordered = np.sort(np.ravel(values))
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]
