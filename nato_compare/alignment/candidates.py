"""Candidate generation for the aligner: which passage pairs are worth scoring.

Scoring every pair of a corpus grows with its square; this index makes the cost grow with the
number of pairs that can match. Passages are tokenised cheaply for the index
(:func:`tokens_for_index`: lower-case runs of letters and digits; the full normalisation is
spent on the passages that become candidates only). Each passage is filed under its
``index_tokens`` rarest tokens (rarest in the whole input; tokens found in a single passage are
skipped, they can match nothing). With ``min_shared`` >= 2 it is filed under every *pair* of
those tokens instead, so that two passages meet under a key only when they share two of their
rare tokens, and the number of keys they meet under tells how many they share (``s`` shared
tokens give ``s(s-1)/2`` common keys). Keys filed by more than ``max_postings`` passages are
dropped as too common to tell anything apart. Names, places, numbers and amounts are what
paraphrases keep, so true counterparts share several of their rare tokens while unrelated
passages rarely share more than one. Everything after tokenising is vectorised with NumPy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import chain, count

import numpy as np

from .arrays import in_threads, sorted_unique
from .parallel import worker_count

TokenTable = tuple[np.ndarray, np.ndarray, list[str], np.ndarray]
_WORD = re.compile(r"\w+")
THREADED_MIN_KEYS = 1_000_000  # below this, threads cost more than they save


def tokens_for_index(text: str) -> list[str]:
    """The tokens the index files a passage under: its words and numbers (runs of ``\\w``),
    each lower-cased (stop words need no removal: only a passage's rarest tokens are
    indexed)."""
    return [token.lower() for token in _WORD.findall(text)]


# a token between passages when the index tokenises a chunk joined; digits and underscores
# have no case, so no other token lower-cases to it
_DOC_BREAK = "_0_9_8_7_6_5_4_3_2_1_0_"


def _tokens_and_docs(texts: Sequence[str]) -> tuple[list[str], np.ndarray | None]:
    """Every ``\\w+`` run of ``texts`` in order (not lower-cased), and the passage of each
    (``None``: the runs are separated by :data:`_DOC_BREAK`, one between consecutive passages)."""
    joined = f" {_DOC_BREAK} ".join(texts)
    if joined.count(_DOC_BREAK) == len(texts) - 1:
        # one regex call on the whole chunk: a call per passage cost 2-3 times more
        return _WORD.findall(joined), None
    token_lists = [_WORD.findall(text) for text in texts]  # a passage holds the break
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    return list(chain.from_iterable(token_lists)), np.repeat(np.arange(len(texts)), lengths)


def local_token_table(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The distinct :func:`tokens_for_index` of each text of one chunk: the chunk's vocabulary,
    the number of distinct tokens per text, and their ids in that vocabulary, text by text."""
    flat, doc = _tokens_and_docs(texts)
    # ids in order of first sight, one C-level pass; lower-cased per distinct form, not per token
    form_ids: defaultdict[str, int] = defaultdict(count().__next__)
    codes = np.fromiter(map(form_ids.__getitem__, flat), dtype=np.int64, count=len(flat))
    token_ids: defaultdict[str, int] = defaultdict(count().__next__)
    joined = doc is None
    if joined:
        token_ids[_DOC_BREAK]  # id 0
    lowered = map(token_ids.__getitem__, map(str.lower, form_ids))
    codes = np.fromiter(lowered, dtype=np.int64, count=len(form_ids))[codes]
    if joined:
        breaks = codes == 0
        doc, codes = np.cumsum(breaks)[~breaks], codes[~breaks] - 1
    vocabulary = list(token_ids)[1:] if joined else list(token_ids)
    size = max(len(vocabulary), 1)
    # (text, token) packed in one integer: one sort removes repeats and groups by text
    packed = sorted_unique(doc * size + codes)
    return vocabulary, np.bincount(packed // size, minlength=len(texts)), packed % size


def merge_token_tables(parts: Sequence[tuple[list[str], np.ndarray, np.ndarray]]) -> TokenTable:
    """``(doc, tok)`` for every distinct token of every passage, the vocabulary (sorted, so
    ids are the same on every run) and each token's document frequency, from chunk tables
    given in passage order."""
    vocabulary = sorted(set(chain.from_iterable(v for v, _, _ in parts)))
    ids = {token: i for i, token in enumerate(vocabulary)}
    toks, lengths = [], []
    for local_vocabulary, local_lengths, local_ids in parts:
        remap = np.fromiter(
            map(ids.__getitem__, local_vocabulary), dtype=np.int64, count=len(local_vocabulary)
        )
        toks.append(remap[local_ids])
        lengths.append(local_lengths)
    tok = np.concatenate(toks) if toks else np.zeros(0, dtype=np.int64)
    per_doc = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
    doc = np.repeat(np.arange(len(per_doc), dtype=np.int64), per_doc)
    return doc, tok, vocabulary, np.bincount(tok, minlength=len(vocabulary))


def token_table(texts: Sequence[str]) -> TokenTable:
    """``(doc, tok, vocabulary, df)`` of the :func:`tokens_for_index` of ``texts``."""
    return merge_token_tables([local_token_table(texts)])


def _group_starts(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and size of each run of equal values in a sorted array."""
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_values)])
    return starts, sizes


def rarest_tokens(
    doc: np.ndarray, tok: np.ndarray, df: np.ndarray, per_doc: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each passage's ``per_doc`` rarest tokens that occur in at least one other passage."""
    keep = df[tok] >= 2
    doc, tok = doc[keep], tok[keep]
    if not len(tok):
        return doc, tok
    # one global order of tokens: rarest first, ties by token id
    token_of_order = np.lexsort((np.arange(len(df)), df))
    order_of_token = np.empty(len(df), dtype=np.int64)
    order_of_token[token_of_order] = np.arange(len(df))
    # (passage, token's order) packed in one integer: a plain sort, no argsort and gathers
    packed = np.sort(doc * len(df) + order_of_token[tok])
    doc, tok = packed // len(df), token_of_order[packed % len(df)]
    starts, sizes = _group_starts(doc)
    rank = np.arange(len(doc)) - np.repeat(starts, sizes)
    keep = rank < per_doc
    return doc[keep], tok[keep]


def _pair_keys(doc: np.ndarray, tok: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Every passage filed under every pair of its indexed tokens."""
    width = int(np.bincount(doc, minlength=n_docs).max())
    sentinel = int(tok.max()) + 1
    table = np.full((n_docs, width), sentinel, dtype=np.int64)
    starts, sizes = _group_starts(doc)
    table[doc, np.arange(len(doc)) - np.repeat(starts, sizes)] = tok
    table.sort(axis=1)
    rows = np.arange(n_docs, dtype=np.int64)
    docs, keys = [], []
    for first in range(width - 1):
        for second in range(first + 1, width):
            valid = table[:, second] != sentinel
            docs.append(rows[valid])
            keys.append(table[valid, first] * sentinel + table[valid, second])
    return np.concatenate(docs), np.concatenate(keys)


def _meetings(
    doc: np.ndarray, key: np.ndarray, outlets: np.ndarray, max_postings: int
) -> np.ndarray:
    """``lo * n + hi`` for every time two passages of different outlets meet under a key."""
    doc_bits = max(int(len(outlets) - 1).bit_length(), 1)
    if len(key) and int(key.max()) < (1 << (62 - doc_bits)):
        # (key, passage) packed in one integer: a plain sort is much faster than an argsort
        packed = np.sort((key << doc_bits) | doc)
        key, doc = packed >> doc_bits, packed & ((1 << doc_bits) - 1)
        del packed
    else:
        order = np.argsort(key)
        doc, key = doc[order], key[order]
    starts, sizes = _group_starts(key)
    usable = (sizes >= 2) & (sizes <= max_postings)
    starts, sizes = starts[usable], sizes[usable]
    # entry ``e`` of a group of size ``s`` at offset ``o`` pairs with the ``s - o - 1`` after it
    entry = np.repeat(starts, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    later = np.repeat(starts + sizes, sizes) - entry - 1
    total = int(later.sum())
    left = np.repeat(entry, later)
    right = left + 1 + (np.arange(total) - np.repeat(np.cumsum(later) - later, later))
    a, b = doc[left], doc[right]
    del left, right
    cross = outlets[a] != outlets[b]
    a, b = a[cross], b[cross]
    n = len(outlets)
    return np.minimum(a, b) * n + np.maximum(a, b)


def _count_meetings(
    doc: np.ndarray, key: np.ndarray, outlets: np.ndarray, max_postings: int, threads: int
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of :func:`_meetings` (ascending) and how often each meets. Large inputs are
    cut in parts that threads sort at once (NumPy sorts without the GIL): keys by parity,
    which keeps each key's postings in one part, then pairs by value, which keeps the order."""
    parts = worker_count(threads) if len(key) >= THREADED_MIN_KEYS else 1
    if parts == 1:
        return np.unique(_meetings(doc, key, outlets, max_postings), return_counts=True)
    by_key = [key % parts == part for part in range(parts)]
    meetings = np.concatenate(
        in_threads(lambda keep: _meetings(doc[keep], key[keep], outlets, max_postings), by_key)
    )
    if not len(meetings):
        return meetings, meetings
    bounds = np.r_[
        -1,
        np.quantile(
            meetings[:: max(len(meetings) // 10_000, 1)], np.arange(1, parts) / parts
        ).astype(np.int64),
        meetings.max(),
    ]
    counted = in_threads(
        lambda k: np.unique(
            meetings[(meetings > bounds[k]) & (meetings <= bounds[k + 1])], return_counts=True
        ),
        range(parts),
    )
    return (
        np.concatenate([codes for codes, _ in counted]),
        np.concatenate([counts for _, counts in counted]),
    )


def all_cross_pairs(outlets: np.ndarray) -> np.ndarray:
    """Every pair ``(i, j)``, ``i < j``, of passages of different outlets."""
    i, j = np.triu_indices(len(outlets), k=1)
    cross = outlets[i] != outlets[j]
    return np.stack([i[cross], j[cross]], axis=1).astype(np.int64)


def cross_pair_count(outlets: np.ndarray) -> int:
    sizes = np.bincount(outlets).astype(np.int64)
    return int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)


def candidate_pairs(
    texts: Sequence[str],
    outlets: np.ndarray,
    *,
    index_tokens: int,
    min_shared: int,
    max_postings: int,
    exhaustive_pairs: int = 0,
    table: TokenTable | None = None,
    threads: int = 1,
) -> tuple[np.ndarray, TokenTable]:
    """Pairs ``(i, j)``, ``i < j``, of passages of different outlets sharing at least
    ``min_shared`` of their indexed tokens (a passage with fewer indexed tokens needs to share
    all of them, and at least two when ``min_shared`` >= 2) — or every cross-outlet pair when
    there are at most ``exhaustive_pairs``; also the ``token_table`` of the
    :func:`tokens_for_index` of ``texts`` (computed here unless given as ``table``).
    ``threads``: for the sorts of large inputs (-1 = every core)."""
    n = len(texts)
    if table is None:
        table = token_table(texts)
    doc, tok, vocabulary, df = table
    empty = np.zeros((0, 2), dtype=np.int64)
    if n and cross_pair_count(outlets) <= exhaustive_pairs:
        return all_cross_pairs(outlets), table
    doc, tok = rarest_tokens(doc, tok, df, index_tokens)
    if not len(tok):
        return empty, table
    indexed = np.bincount(doc, minlength=n)
    if min_shared == 1:
        codes = sorted_unique(_meetings(doc, tok, outlets, max_postings))
    else:
        doc, key = _pair_keys(doc, tok, n)
        codes, meetings = _count_meetings(doc, key, outlets, max_postings, threads)
        need = np.maximum(
            2, np.minimum(min_shared, np.minimum(indexed[codes // n], indexed[codes % n]))
        )
        codes = codes[meetings >= need * (need - 1) // 2]
    if not len(codes):
        return empty, table
    return np.stack([codes // n, codes % n], axis=1), table
