"""Stories: which articles report the same story, decided on whole articles before any passage.

Two articles of different outlets are linked when each is among the other's ``neighbours`` most
similar articles (mutual nearest neighbours) and their similarity reaches ``min_similarity``. A
story that many outlets report crowds those lists (ten articles on one story cannot all be among
each other's five nearest), so two articles each among the other's ``lone_neighbours`` most
similar are linked too when their ``neighbours`` lists share at least ``shared_neighbours``
articles: they are near the same articles (shared nearest neighbours, as in Jarvis–Patrick
clustering). An article left with no link gets one more look: its most similar article, if it
counts the article among its ``lone_neighbours`` best.
Similarity is the cosine of TF-IDF vectors (scikit-learn, sublinear term frequency) over the
articles' words, so names, places and numbers that only one story has weigh most, and words
every story uses weigh little. Mutual nearest neighbours let an article have no partner at
all: an article nobody else reports stays alone, whatever its best match.

Dates: two articles whose dates are both known and lie more than ``date_window`` days apart are
never linked (a partial date such as ``2024-06`` stands for the whole month).

Declared stories win: two articles that both carry a ``story`` (a corpus row's ``story`` field,
or the ``story`` column of ``manifest.csv``) are linked exactly when the stories are equal; an
article with a declared story is linked to an undeclared one only by the rule above.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from .counting import WordCounts, document_frequency, joined_counts
from .parallel import Pool

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix


ROW_CHUNK = 2_000  # articles whose similarities are computed at once (memory: chunk x articles)
MAX_ARTICLES_PER_WORD = 500  # a word in more articles links too many to tell stories apart
TOKEN_PATTERN = r"(?u)\b\w+\b"  # words as written (lower-cased): names and numbers count


@dataclass(frozen=True)
class StoryArticle:
    """What story linking needs of an article."""

    id: str
    outlet: str  # the outlet key: two articles of one outlet are never linked
    text: str  # the whole article
    date: str | None = None
    story: str | None = None


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def date_range(value: str | None) -> tuple[int, int] | None:
    """A (partial) ISO date as the first and last day it may stand for (proleptic ordinals)."""
    match = _DATE.match(value or "")
    if not match:
        return None
    year = int(match.group(1))
    try:
        if match.group(2) is None:
            return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        month = int(match.group(2))
        if match.group(3) is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1).toordinal(), date(year, month, last).toordinal()
        day = date(year, month, int(match.group(3))).toordinal()
    except ValueError:
        return None
    return day, day


def _too_far(a: tuple[int, int] | None, b: tuple[int, int] | None, window: int) -> bool:
    if a is None or b is None:
        return False
    return a[0] - b[1] > window or b[0] - a[1] > window


def article_vectors(texts: Sequence[str], pool: Pool | None = None) -> csr_matrix:
    """L2-normalised TF-IDF rows of the articles' texts (words lower-cased, as written).
    With a ``pool`` of worker processes, the words are counted there, chunk by chunk."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer

    pool = pool or Pool(None, 1)
    counted = pool.map_chunks(WordCounts(TOKEN_PATTERN, lowercase=True), texts)
    vocabulary, counts = joined_counts(counted)
    # Words in more than half the articles name the corpus's subject, not a story (and a word
    # in more than 500 articles cannot tell stories apart, while it makes the article-by-article
    # product dense: 7 s instead of 0.5 s per 2,000 of 31,745 articles); a corpus of a few
    # articles has no such half, so there English function words go instead (on large corpora
    # the share rule does better: ECB+)
    few = len(texts) <= 10
    most = (
        len(texts)
        if few
        else (
            0.5 * len(texts) if len(texts) * 0.5 <= MAX_ARTICLES_PER_WORD else MAX_ARTICLES_PER_WORD
        )
    )
    keep = document_frequency(vocabulary, counts) <= most
    if few:
        keep &= ~np.isin(np.array(vocabulary, dtype=object), list(ENGLISH_STOP_WORDS))
    if not keep.any():
        return csr_matrix((len(texts), 1))
    weights = TfidfTransformer(sublinear_tf=True).fit_transform(counts[:, np.flatnonzero(keep)])
    return csr_matrix(weights)


@dataclass(frozen=True)
class _NearestTask:
    """:func:`_nearest_rows` for a chunk of row blocks, in a worker process (picklable)."""

    vectors: csr_matrix
    outlets: np.ndarray
    k: int
    min_similarity: float

    def __call__(self, starts: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        found = [
            _nearest_rows(self.vectors, self.outlets, self.k, self.min_similarity, start)
            for start in starts
        ]
        return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _nearest_rows(
    vectors: csr_matrix, outlets: np.ndarray, k: int, min_similarity: float, start: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_nearest` of the :data:`ROW_CHUNK` articles from ``start``."""
    block = (vectors[start : start + ROW_CHUNK] @ vectors.T).tocsr()
    size = block.shape[0]
    best = np.full((size, k), -1, dtype=np.int64)
    best_similarity = np.full((size, k), -1.0)
    rows = np.repeat(np.arange(size), np.diff(block.indptr))
    columns, values = block.indices.astype(np.int64), block.data
    # not itself, nor its own outlet; what falls below the least similarity is never linked,
    # and dropping it first leaves little to sort
    keep = (
        (values >= min_similarity)
        & (outlets[rows + start] != outlets[columns])
        & (rows + start != columns)
    )
    rows, columns, values = rows[keep], columns[keep], values[keep]
    order = np.lexsort((columns, -values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    top = rank < k
    best[rows[top], rank[top]] = columns[top]
    best_similarity[rows[top], rank[top]] = values[top]
    return best, best_similarity


def _nearest(
    vectors: csr_matrix, outlets: np.ndarray, k: int, min_similarity: float, pool: Pool
) -> tuple[np.ndarray, np.ndarray]:
    """Per article, its ``k`` most similar articles of other outlets with a similarity of at
    least ``min_similarity`` (best first, ties by index; -1 where there are fewer), and those
    similarities. Blocks of rows go to the ``pool``'s worker processes, if any."""
    starts = list(range(0, vectors.shape[0], ROW_CHUNK))
    found = pool.map_chunks(_NearestTask(vectors, outlets, k, min_similarity), starts)
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _pair_keys(n: int, best: np.ndarray, within: int) -> tuple[np.ndarray, np.ndarray]:
    """The (article, neighbour) entries of the first ``within`` columns of ``best``, as
    ``article * n + neighbour`` keys, and for each whether the neighbour counts the article
    among its first ``within`` too."""
    rows = np.repeat(np.arange(n, dtype=np.int64), within)
    columns = best[:, :within].ravel()
    present = columns >= 0
    rows, columns = rows[present], columns[present]
    keys = np.sort(rows * n + columns)
    back = columns * n + rows
    found = np.searchsorted(keys, back)
    mutual = (found < len(keys)) & (keys[np.minimum(found, len(keys) - 1)] == back)
    return rows * n + columns, mutual


def link_stories(
    articles: Sequence[StoryArticle],
    *,
    neighbours: int = 5,
    lone_neighbours: int = 12,
    shared_neighbours: int = 3,
    min_similarity: float = 0.2,
    date_window: int = 7,
    pool: Pool | None = None,
) -> list[tuple[int, int, float]]:
    """Index pairs ``(i, j, similarity)`` (i < j) of the articles that report the same story.

    ``neighbours``: two articles are linked when each is among the other's that many most
    similar articles. ``shared_neighbours``: two articles each among the other's
    ``lone_neighbours`` most similar are linked too when their ``neighbours`` most similar
    articles have at least that many in common (0 = not). ``lone_neighbours``: an article left
    with no link is linked to its most similar article when it is among that article's that
    many most similar ones. ``pool``: worker processes for counting words and comparing
    articles (the links are the same with any number).
    """
    n = len(articles)
    if n < 2:
        return []
    outlet_code = {name: code for code, name in enumerate(sorted({a.outlet for a in articles}))}
    outlets = np.array([outlet_code[a.outlet] for a in articles], dtype=np.int64)
    dates = [date_range(a.date) for a in articles]
    declared = [a.story for a in articles]
    pool = pool or Pool(None, 1)
    vectors = article_vectors([a.text for a in articles], pool)
    k = max(1, min(max(neighbours, lone_neighbours), n - 1))
    best, best_similarity = _nearest(vectors, outlets, k, min_similarity, pool)
    links: dict[tuple[int, int], float] = {}

    def add(keys: np.ndarray) -> None:
        i, j = keys // n, keys % n
        rank = np.argmax(best[i] == j[:, None], axis=1)
        for a, b, s in zip(i.tolist(), j.tolist(), best_similarity[i, rank].tolist()):
            if a < b:
                links[(a, b)] = s

    keys, mutual = _pair_keys(n, best, min(neighbours, k))
    add(keys[mutual])
    if shared_neighbours > 0:
        keys, mutual = _pair_keys(n, best, k)
        keys = keys[mutual]
        keys = keys[keys // n < keys % n]
        i, j = keys // n, keys % n
        first = min(neighbours, k)
        near_i, near_j = best[i, :first], best[j, :first]
        # members of both lists (-1, an empty place, never counts)
        shared = ((near_i[:, :, None] == near_j[:, None, :]) & (near_i[:, :, None] >= 0)).sum(
            axis=(1, 2)
        )
        add(keys[shared >= shared_neighbours])
    linked = {x for pair in links for x in pair}
    for i in range(n):
        j = int(best[i, 0])
        if i not in linked and j >= 0:
            if i in best[j, : min(lone_neighbours, k)].tolist():
                links[(min(i, j), max(i, j))] = float(best_similarity[i, 0])
    # declared stories: equal stories are linked, different ones never
    by_story: dict[str, list[int]] = {}
    for i, story in enumerate(declared):
        if story:
            by_story.setdefault(story, []).append(i)
    for i, j in list(links):
        if declared[i] and declared[j] and declared[i] != declared[j]:
            del links[(i, j)]
        elif _too_far(dates[i], dates[j], date_window) and not (
            declared[i] and declared[i] == declared[j]
        ):
            del links[(i, j)]
    for members in by_story.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if outlets[i] != outlets[j] and (i, j) not in links:
                    links[(i, j)] = float(vectors[i].multiply(vectors[j]).sum())
    return sorted((i, j, s) for (i, j), s in links.items())


def story_groups(n: int, links: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """The stories: connected articles (every article in one group; a lone article alone)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in links:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())


@dataclass(frozen=True)
class Story:
    """A story as listed for analysts: articles linked to each other, directly or not."""

    id: str  # "st-" + 10 hex digits of SHA-1 over its smallest article id: stable
    label: str  # the declared story, else the title (or opening) of its first article
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    first_date: str | None
    last_date: str | None


def describe_stories(
    articles: Sequence[StoryArticle],
    links: Sequence[tuple[int, int, float]],
    titles: Sequence[str | None],  # per article: its title, or what to call it
    *,
    include_lone: bool = False,
) -> list[Story]:
    """The stories of ``articles`` (two or more articles; lone ones too with ``include_lone``),
    largest first. A story holds the articles linked to each other directly or through others."""
    import hashlib

    stories = []
    for group in story_groups(len(articles), links):
        if len(group) < 2 and not include_lone:
            continue
        members = sorted(group, key=lambda i: (articles[i].date or "", articles[i].id))
        declared = sorted({story for i in group if (story := articles[i].story)})
        first = members[0]
        label = declared[0] if declared else (titles[first] or articles[first].id)
        dates = sorted(day for i in group if (day := articles[i].date))
        smallest = min(articles[i].id for i in group)
        stories.append(
            Story(
                id="st-" + hashlib.sha1(smallest.encode()).hexdigest()[:10],
                label=label,
                articles=tuple(articles[i].id for i in members),
                outlets=tuple(sorted({articles[i].outlet for i in group})),
                first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
            )
        )
    stories.sort(key=lambda s: (-len(s.articles), s.first_date or "", s.id))
    return stories
