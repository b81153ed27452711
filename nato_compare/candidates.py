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
from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np

from .arrays import sorted_unique

TokenTable = tuple[np.ndarray, np.ndarray, list[str], np.ndarray]
_WORD = re.compile(r"\w+")


def tokens_for_index(text: str) -> list[str]:
    """The tokens the index files a passage under: lower-case words and numbers (stop words
    need no removal: only a passage's rarest tokens are indexed)."""
    return _WORD.findall(text.lower())



def lower_all(texts: Sequence[str]) -> list[str]:
    """``[t.lower() for t in texts]`` in one call on the joined texts (faster for many short
    texts); per text when a text holds the separator."""
    lowered = "\x00".join(texts).lower().split("\x00")
    return lowered if len(lowered) == len(texts) else [t.lower() for t in texts]


def local_token_table(texts: Sequence[str], tokenize: Callable[[str], list[str]] = str.split
                      ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The distinct tokens of each text of one chunk: the chunk's sorted vocabulary, the
    number of distinct tokens per text and their ids in that vocabulary."""
    per_doc = [set(tokenize(text)) for text in texts]
    lengths = np.fromiter(map(len, per_doc), dtype=np.int64, count=len(per_doc))
    flat = list(chain.from_iterable(per_doc))
    vocabulary = sorted(set(flat))
    ids = {token: i for i, token in enumerate(vocabulary)}
    return vocabulary, lengths, np.fromiter(map(ids.__getitem__, flat), dtype=np.int64, count=len(flat))


def merge_token_tables(parts: Sequence[tuple[list[str], np.ndarray, np.ndarray]]) -> TokenTable:
    """``(doc, tok)`` for every distinct token of every passage, the vocabulary (sorted, so
    ids are the same on every run) and each token's document frequency, from chunk tables
    given in passage order."""
    vocabulary = sorted(set(chain.from_iterable(v for v, _, _ in parts)))
    ids = {token: i for i, token in enumerate(vocabulary)}
    toks, lengths = [], []
    for local_vocabulary, local_lengths, local_ids in parts:
        remap = np.fromiter(map(ids.__getitem__, local_vocabulary), dtype=np.int64,
                            count=len(local_vocabulary))
        toks.append(remap[local_ids])
        lengths.append(local_lengths)
    tok = np.concatenate(toks) if toks else np.zeros(0, dtype=np.int64)
    per_doc = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
    doc = np.repeat(np.arange(len(per_doc), dtype=np.int64), per_doc)
    return doc, tok, vocabulary, np.bincount(tok, minlength=len(vocabulary))


def token_table(texts: Sequence[str], tokenize: Callable[[str], list[str]] = str.split) -> TokenTable:
    return merge_token_tables([local_token_table(texts, tokenize)])


def _group_starts(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and size of each run of equal values in a sorted array."""
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_values)])
    return starts, sizes


def rarest_tokens(doc: np.ndarray, tok: np.ndarray, df: np.ndarray, per_doc: int
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


def _meetings(doc: np.ndarray, key: np.ndarray, outlets: np.ndarray, max_postings: int
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
    entry = np.repeat(starts, sizes) + (np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes))
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


def all_cross_pairs(outlets: np.ndarray) -> np.ndarray:
    """Every pair ``(i, j)``, ``i < j``, of passages of different outlets."""
    i, j = np.triu_indices(len(outlets), k=1)
    cross = outlets[i] != outlets[j]
    return np.stack([i[cross], j[cross]], axis=1).astype(np.int64)


def cross_pair_count(outlets: np.ndarray) -> int:
    sizes = np.bincount(outlets).astype(np.int64)
    return int((sizes.sum() ** 2 - (sizes ** 2).sum()) // 2)


def index_token_chunk(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The :func:`local_token_table` of the :func:`tokens_for_index` of ``texts`` (one chunk of
    a corpus; :func:`merge_token_tables` joins the chunks)."""
    # the same tokens as tokens_for_index, without a Python call per passage
    return local_token_table(lower_all(texts), _WORD.findall)


def candidate_pairs(texts: Sequence[str], outlets: np.ndarray, *, index_tokens: int,
                    min_shared: int, max_postings: int, exhaustive_pairs: int = 0,
                    table: TokenTable | None = None) -> tuple[np.ndarray, TokenTable]:
    """Pairs ``(i, j)``, ``i < j``, of passages of different outlets sharing at least
    ``min_shared`` of their indexed tokens (a passage with fewer indexed tokens needs to share
    all of them, and at least two when ``min_shared`` >= 2) — or every cross-outlet pair when
    there are at most ``exhaustive_pairs``; also the ``token_table`` of the
    :func:`tokens_for_index` of ``texts`` (computed here unless given as ``table``)."""
    n = len(texts)
    if table is None:
        table = merge_token_tables([index_token_chunk(texts)])
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
        codes, meetings = np.unique(_meetings(doc, key, outlets, max_postings), return_counts=True)
        need = np.maximum(2, np.minimum(min_shared, np.minimum(indexed[codes // n], indexed[codes % n])))
        codes = codes[meetings >= need * (need - 1) // 2]
    if not len(codes):
        return empty, table
    return np.stack([codes // n, codes % n], axis=1), table
