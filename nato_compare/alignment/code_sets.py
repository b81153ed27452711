"""The token, bigram and number sets of many normalised passages at once, as code strings.

:mod:`nato_compare.alignment.similarity` compares sets with rapidfuzz's ``Indel`` distance on sorted
strings of one code point per element. Building those strings one passage at a time cost
~160 µs per passage in Python (an f-string and a dict lookup per word pair); the aligner
builds them for every passage it scores, so they are built here for a whole batch with NumPy:
one dict lookup per token, everything after it vectorised.

Codes: each content token has a code point of its own (:data:`CONTENT_POINTS`, assigned in
order of first sight and shared by every call of the process, so that the strings of two calls
compare; a vocabulary beyond Unicode's 1.1 million code points would share codes). An adjacent
pair of content tokens (bigram) is too many to number one by one — a 200,000-passage corpus
has about five million — so its code point is a fixed hash of its two tokens' CRC-32s: the
same in every process and on every run, whatever was scored before (the tokens' own codes
depend on the order they were first seen in, which differs between worker processes). Two
different bigrams share a code with probability 1 in 1.1 million, so two passages of 27 bigrams each get a false shared
bigram with probability ~0.07 %. Surrogates are skipped (they cannot be encoded).
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Sequence
from itertools import chain

import numpy as np

from .arrays import sorted_unique
from ..normalize import is_content

_SURROGATES = range(0xD800, 0xE000)
CODE_SPACE = 0x110000 - len(_SURROGATES)
_POINT_BITS = 21  # a code point fits in 21 bits


def code_point(code: int) -> int:
    """The code point of dense code ``code`` (surrogates skipped; beyond Unicode, shared)."""
    code %= CODE_SPACE
    return code + len(_SURROGATES) if code >= _SURROGATES.start else code


def _points(codes: np.ndarray) -> np.ndarray:
    codes = codes % CODE_SPACE
    return np.where(codes >= _SURROGATES.start, codes + len(_SURROGATES), codes)


_LOW_BITS = _POINT_BITS + 1  # code point and number flag; the token's CRC-32 above them


class _ContentPoints(dict[str, int]):
    """token -> ``CRC-32 << 22 | 2 × code point | (1 if it is a number)``, or -1 for a token
    without content (stop word): one lookup gives all the batch needs of a token. The code
    point numbers tokens in order of first sight (no two share one); the CRC-32 is the same in
    every process, and bigram codes are made from it."""

    def __missing__(self, token: str) -> int:
        if is_content(token):
            value = (
                zlib.crc32(token.encode()) << _LOW_BITS
                | 2 * code_point(self.next_code)
                | token[0].isdigit()
            )
            self.next_code += 1
        else:
            value = -1
        self[token] = value
        return value

    next_code = 0


CONTENT_POINTS = _ContentPoints()


def _bigram_points(keys: np.ndarray) -> np.ndarray:
    """Code points of bigram keys (the two tokens' CRC-32s, ``first << 32 | second``): the
    splitmix64 finaliser, a fixed mixing of the key's bits, reduced to the code space."""
    with np.errstate(over="ignore"):
        mixed = keys.astype(np.uint64)
        mixed = (mixed ^ (mixed >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        mixed = (mixed ^ (mixed >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        mixed ^= mixed >> np.uint64(31)
    return _points((mixed % np.uint64(CODE_SPACE)).astype(np.int64))


def _strings(doc: np.ndarray, points: np.ndarray, n_docs: int) -> list[str]:
    """Per document, the sorted distinct ``points`` as a string."""
    packed = sorted_unique((doc << _POINT_BITS) | points)
    counts = np.bincount(packed >> _POINT_BITS, minlength=n_docs)
    text = (packed & ((1 << _POINT_BITS) - 1)).astype("<u4").tobytes().decode("utf-32-le")
    ends = np.cumsum(counts).tolist()
    starts = [0] + ends[:-1]
    return [text[s:e] for s, e in zip(starts, ends)]


_CACHE: dict[str, tuple[str, str, str]] = {}
CACHE_LIMIT = 1 << 20  # passages; the cache is emptied when it would grow past this
_LOCK = threading.Lock()  # the cache and CONTENT_POINTS' numbering, for callers in threads


def code_sets(normalized: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """For each normalised passage, as sorted strings of code points: its content tokens,
    its content-word bigrams (adjacent content tokens, stop words skipped) and its numbers.

    Cached per text: the aligner scores its candidate pairs in chunks that share passages."""
    with _LOCK:
        distinct = list(dict.fromkeys(normalized))
        if len(distinct) > CACHE_LIMIT:
            return _code_sets(normalized)
        missing = [text for text in distinct if text not in _CACHE]
        if len(_CACHE) + len(missing) > CACHE_LIMIT:
            _CACHE.clear()
            missing = distinct
        if missing:
            _CACHE.update(zip(missing, zip(*_code_sets(missing))))
        rows = list(map(_CACHE.__getitem__, normalized))
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def _code_sets(normalized: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    n = len(normalized)
    token_lists = [text.split() for text in normalized]
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    values = np.fromiter(
        map(CONTENT_POINTS.__getitem__, chain.from_iterable(token_lists)),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
    content = values >= 0
    doc, values = doc[content], values[content]
    low = values & ((1 << _LOW_BITS) - 1)
    points, is_number = low >> 1, (low & 1).astype(bool)
    tokens = _strings(doc, points, n)
    numbers = _strings(doc[is_number], points[is_number], n)
    adjacent = np.flatnonzero(doc[1:] == doc[:-1])
    stable = (values >> _LOW_BITS).astype(np.uint64)  # CRC-32 of each token
    keys = (stable[adjacent] << np.uint64(32)) | stable[adjacent + 1]
    bigrams = _strings(doc[adjacent], _bigram_points(keys), n)
    return tokens, bigrams, numbers
