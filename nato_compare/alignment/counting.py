"""Words counted chunk by chunk (in worker processes on large inputs), joined into one matrix.

scikit-learn's ``CountVectorizer`` tokenises in Python, one text at a time: on 200,000 passages
it was seconds of the aligner's time on one core. Each chunk of texts is counted on its own (a
task :class:`nato_compare.alignment.parallel.Pool` can hand to a worker) and the chunks are
joined over one sorted vocabulary, so the matrix is the same however the texts were cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix


@dataclass(frozen=True)
class WordCounts:
    """How often each text of a chunk holds each word (``binary``: whether it does): the
    chunk's words (sorted) and a texts × words matrix. Picklable, for worker processes."""

    token_pattern: str
    lowercase: bool
    binary: bool = False

    def __call__(self, texts: Sequence[str]) -> tuple[list[str], csr_matrix]:
        from scipy.sparse import csr_matrix
        from sklearn.feature_extraction.text import CountVectorizer

        vectorizer = CountVectorizer(
            token_pattern=self.token_pattern, lowercase=self.lowercase, binary=self.binary
        )
        try:
            counts = vectorizer.fit_transform(texts)
        except ValueError:  # not one word
            return [], csr_matrix((len(texts), 0), dtype=np.int64)
        return vectorizer.get_feature_names_out().tolist(), counts.tocsr()


def joined_counts(parts: Sequence[tuple[list[str], csr_matrix]]) -> tuple[list[str], csr_matrix]:
    """The counts of consecutive chunks of texts (:class:`WordCounts` results, in order) over
    one sorted vocabulary."""
    from scipy.sparse import csr_matrix, vstack

    vocabulary = sorted(set().union(*(words for words, _ in parts)))
    column = {word: c for c, word in enumerate(vocabulary)}
    blocks = []
    for words, counts in parts:
        where = np.array([column[w] for w in words], dtype=np.int64)
        blocks.append(
            csr_matrix(
                (counts.data, where[counts.indices], counts.indptr),
                shape=(counts.shape[0], len(vocabulary)),
            )
        )
    joined = vstack(blocks, format="csr") if blocks else csr_matrix((0, 0), dtype=np.int64)
    joined.sort_indices()
    return vocabulary, joined


def document_frequency(vocabulary: Sequence[str], counts: csr_matrix) -> np.ndarray:
    """Per word of ``vocabulary``, how many rows of ``counts`` hold it."""
    return np.bincount(counts.indices, minlength=len(vocabulary))
