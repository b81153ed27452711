"""Story links when many outlets report one story: crowded neighbour lists, shared neighbours."""

from __future__ import annotations

import random

from nato_compare.alignment.stories import StoryArticle, link_stories


def crowded_corpus() -> tuple[list[StoryArticle], dict[str, int]]:
    """Twelve outlets report story 0; stories 1-19 are reported by two or three outlets each.
    Each article of a story tells part of the story's facts (its words) in its own words."""
    rng = random.Random(7)
    pool = [f"w{n}" for n in range(6000)]
    articles, story_of = [], {}
    for story in range(20):
        words = rng.sample(pool, 60)
        outlets = rng.sample(range(12), 12 if story == 0 else rng.choice((2, 3)))
        for outlet in outlets:
            article = f"s{story:02d}-o{outlet:02d}"
            text = rng.sample(words, 35) + rng.sample(pool, 25)
            articles.append(
                StoryArticle(id=article, outlet=f"outlet-{outlet}", text=" ".join(text))
            )
            story_of[article] = story
    return articles, story_of


def test_a_story_many_outlets_report_is_linked_through_shared_neighbours() -> None:
    articles, story_of = crowded_corpus()
    crowded = sum(1 for a in articles if story_of[a.id] == 0)

    def crowded_links(**settings: int) -> set[tuple[int, int]]:
        links = link_stories(articles, **settings)
        # never a link between two stories
        assert all(story_of[articles[i].id] == story_of[articles[j].id] for i, j, _ in links)
        return {(i, j) for i, j, _ in links if story_of[articles[i].id] == 0}

    pairs = crowded * (crowded - 1) // 2
    mutual_only = crowded_links(shared_neighbours=0)
    # twelve articles cannot all be among each other's five nearest: fewer than half the
    # pairs are linked by mutual nearest neighbours alone, most of them with shared ones
    assert len(mutual_only) < pairs / 2
    linked = crowded_links()
    assert linked > mutual_only and len(linked) > pairs / 2


def test_articles_of_two_stories_sharing_no_neighbours_are_not_linked_by_them() -> None:
    articles, story_of = crowded_corpus()
    links = link_stories(articles, shared_neighbours=1)
    assert all(story_of[articles[i].id] == story_of[articles[j].id] for i, j, _ in links)


def test_article_similarity_is_scikit_learns_tf_idf_however_the_words_are_counted(
    monkeypatch,
) -> None:
    """Words are counted chunk by chunk (in worker processes on large corpora): the vectors are
    still those of one TfidfVectorizer over all articles, as docs/aligning.md says."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nato_compare.alignment import parallel
    from nato_compare.alignment.stories import TOKEN_PATTERN, article_vectors

    articles, _ = crowded_corpus()
    texts = [a.text for a in articles] * 10  # more than ten articles: no stop-word list
    expected = TfidfVectorizer(sublinear_tf=True, token_pattern=TOKEN_PATTERN, max_df=0.5)
    expected_vectors = expected.fit_transform(texts)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 0)
    with parallel.process_pool(2, len(texts)) as pool:
        for vectors in (article_vectors(texts), article_vectors(texts, pool)):
            assert vectors.shape == expected_vectors.shape
            assert abs(vectors - expected_vectors).max() < 1e-12
