"""The alignment library: candidates, scoring, top-K per outlet, events, stability."""

from __future__ import annotations

import random
import re

import pytest

from nato_compare.alignment import align
from nato_compare.alignment.aligner import STAGES, AlignParams
from nato_compare.errors import NatoCompareError

RUTTE = (
    "NATO Secretary-General Mark Rutte said in Brussels that the alliance is on track "
    "to deliver the €40 billion pledge of military aid to Ukraine next year."
)
RUTTE_PARAPHRASE = (
    "In Brussels, Mark Rutte, NATO's secretary general, said allies were on track "
    "to deliver the 40 billion euros of military aid pledged to Ukraine next year."
)
RUTTE_THIRD = (
    "Rutte told reporters in Brussels the 40 billion euro military aid pledge to "
    "Ukraine for next year is on track, the NATO chief said."
)
CAVOLI = (
    "General Christopher Cavoli told AFP that NATO countries are ready to defend "
    "themselves but need to increase the production of artillery shells and drones."
)
CAVOLI_PARAPHRASE = (
    "NATO's top commander in Europe, General Christopher Cavoli, told AFP the "
    "allies can defend themselves but must produce more artillery shells and drones."
)
UNRELATED = (
    "The harvest festival in the village drew record crowds this weekend, with "
    "pumpkins, cider and a brass band playing until late at night."
)


def passage(pid: str, article: str, outlet: str, text: str) -> dict:
    return {"id": pid, "article_id": article, "outlet": outlet, "text": text}


def corpus() -> list[dict]:
    return [
        passage("p-a1", "art-a", "CGTN", RUTTE),
        passage("p-a2", "art-a", "CGTN", CAVOLI),
        passage("p-b1", "art-b", "The Eastern Herald", RUTTE_PARAPHRASE),
        passage("p-b2", "art-b", "The Eastern Herald", CAVOLI_PARAPHRASE),
        passage("p-c1", "art-c", "unknown", RUTTE_THIRD),
        passage("p-c2", "art-c", "unknown", UNRELATED),
    ]


def pair_set(result) -> set[tuple[str, str]]:
    return {(p.a, p.b) for p in result.pairs}


def test_paraphrases_in_different_outlets_are_aligned_with_evidence() -> None:
    result = align(corpus(), threshold=40, min_links=1)
    pairs = pair_set(result)
    assert ("p-a1", "p-b1") in pairs
    assert ("p-a2", "p-b2") in pairs
    assert not any("p-c2" in pair for pair in pairs)
    rutte = next(p for p in result.pairs if (p.a, p.b) == ("p-a1", "p-b1"))
    assert rutte.score >= 40
    assert any("40" in number for number in rutte.evidence["shared_numbers"])
    assert rutte.evidence["shared_words"]


def test_passages_of_one_outlet_are_never_paired() -> None:
    rows = corpus() + [passage("p-a3", "art-a2", "CGTN", RUTTE_PARAPHRASE)]
    result = align(rows, threshold=0, min_links=1)
    outlet_of = {r["id"]: r["outlet"] for r in rows}
    assert result.pairs
    for pair in result.pairs:
        assert outlet_of[pair.a] != outlet_of[pair.b]


def test_unknown_outlets_count_as_distinct_sources() -> None:
    rows = [
        passage("p-x", "art-x", "unknown", RUTTE),
        passage("p-y", "art-y", "unknown", RUTTE_PARAPHRASE),
    ]
    assert pair_set(align(rows, threshold=40, min_links=1)) == {("p-x", "p-y")}


def test_a_higher_threshold_drops_exactly_the_weaker_pairs() -> None:
    low = align(corpus(), threshold=0, min_links=1)
    scores = sorted(p.score for p in low.pairs)
    # cut in the widest gap between two scores, away from any rounding
    gap = max(range(len(scores) - 1), key=lambda k: scores[k + 1] - scores[k])
    cut = (scores[gap] + scores[gap + 1]) / 2
    high = align(corpus(), threshold=cut, min_links=1)
    assert 0 < len(high.pairs) < len(low.pairs)
    assert pair_set(high) == {(p.a, p.b) for p in low.pairs if p.score >= cut}


def test_top_keeps_the_best_counterparts_per_other_outlet() -> None:
    # two CGTN passages both resemble the Herald passage; with top=1 it keeps only the better one
    rows = [
        passage("p-1", "art-1", "CGTN", RUTTE),
        passage("p-2", "art-2", "CGTN", RUTTE_THIRD),
        passage("p-3", "art-3", "The Eastern Herald", RUTTE_PARAPHRASE),
    ]
    scores = {(p.a, p.b): p.score for p in align(rows, threshold=0, top=2, min_links=1).pairs}
    assert set(scores) == {("p-1", "p-3"), ("p-2", "p-3")}
    best = max(scores, key=scores.get)
    # p-3 keeps only its best CGTN counterpart; p-1 and p-2 each keep p-3 (their best Herald one)
    one = align(rows, threshold=0, top=1, min_links=1)
    assert best in pair_set(one)
    assert len(align(rows, threshold=max(scores.values()) - 0.01, top=1, min_links=1).pairs) == 1


def test_events_group_pairs_across_outlets() -> None:
    result = align(corpus(), threshold=40, min_links=1)
    by_member = {m.passage_id: e for e in result.events for m in e.members}
    assert by_member["p-a1"].id == by_member["p-b1"].id == by_member["p-c1"].id
    assert by_member["p-a2"].id == by_member["p-b2"].id != by_member["p-a1"].id
    rutte = by_member["p-a1"]
    assert rutte.outlets == 3
    assert rutte.id.startswith("ev-")
    pair_scores = {(p.a, p.b): p.score for p in result.pairs}
    for member in rutte.members:
        linked = [s for (a, b), s in pair_scores.items() if member.passage_id in (a, b)]
        assert member.score == max(linked)
    for pair in result.pairs:
        assert pair.event_id == by_member[pair.a].id


def repeated_report(second_seq: int | None) -> list[dict]:
    """One article tells the same report over two paragraphs: both match the other outlets."""
    rows = [
        {**passage("p-1", "art-1", "CGTN", RUTTE), "seq": 0},
        {**passage("p-2", "art-1", "CGTN", RUTTE + " It was repeated."), "seq": second_seq},
        passage("p-3", "art-2", "The Eastern Herald", RUTTE_PARAPHRASE),
        passage("p-4", "art-3", "ICARO", RUTTE_THIRD),
    ]
    return rows


def articles_per_event(rows: list[dict], **options) -> list[list[str]]:
    result = align(rows, threshold=40, top=2, min_links=1, **options)
    article_of = {r["id"]: r["article_id"] for r in rows}
    assert result.events
    return [sorted(article_of[m.passage_id] for m in event.members) for event in result.events]


def test_an_event_holds_two_passages_of_one_article_only_when_consecutive() -> None:
    assert articles_per_event(repeated_report(1)) == [["art-1", "art-1", "art-2", "art-3"]]
    for rows in (repeated_report(5), repeated_report(None)):  # far apart, or places unknown
        for articles in articles_per_event(rows):
            assert len(articles) == len(set(articles))
    for articles in articles_per_event(repeated_report(1), per_article=1):
        assert len(articles) == len(set(articles))


def test_same_input_in_any_order_gives_the_same_result() -> None:
    rows = corpus()
    first = align(rows, threshold=40, min_links=1)
    random.Random(7).shuffle(rows)
    second = align(rows, threshold=40, min_links=1)
    assert [(p.a, p.b, p.score, p.event_id) for p in first.pairs] == [
        (p.a, p.b, p.score, p.event_id) for p in second.pairs
    ]
    assert [(e.id, e.seq, e.label, e.members) for e in first.events] == [
        (e.id, e.seq, e.label, e.members) for e in second.events
    ]


def test_only_passages_sharing_rare_tokens_are_scored() -> None:
    # 40 unrelated passages in 4 outlets: all-pairs would score 600 cross-outlet pairs
    rng = random.Random(3)
    words = [f"w{i:03d}" for i in range(400)]
    rows = [
        passage(f"p-{i:02d}", f"art-{i % 8}", f"outlet-{i % 4}", " ".join(rng.sample(words, 12)))
        for i in range(40)
    ]
    rows += [
        passage("p-r1", "art-r1", "outlet-0", RUTTE),
        passage("p-r2", "art-r2", "outlet-1", RUTTE_PARAPHRASE),
    ]
    result = align(rows, threshold=50, exhaustive_pairs=0, min_links=1)
    assert result.stats["candidates"] < 200
    assert ("p-r1", "p-r2") in pair_set(result)


def test_small_inputs_have_every_cross_outlet_pair_scored() -> None:
    # 6 passages, two per outlet: 15 pairs, 3 of them within an outlet
    assert align(corpus()).stats["candidates"] == 12
    assert align(corpus(), exhaustive_pairs=0).stats["candidates"] < 12


def test_isolated_matches_between_two_articles_need_min_links() -> None:
    rows = corpus()
    linked = pair_set(align(rows, threshold=40, min_links=2))
    # art-a and art-b share two reports (Rutte, Cavoli); art-c shares only one with each
    assert linked == {("p-a1", "p-b1"), ("p-a2", "p-b2")}
    loose = pair_set(align(rows, threshold=40, min_links=1))
    assert loose - linked
    assert all("p-c1" in pair for pair in loose - linked)


def test_progress_reports_every_stage() -> None:
    seen: list[tuple[int, int, str]] = []
    align(corpus(), progress=lambda done, total, stage: seen.append((done, total, stage)))
    assert [s for s in STAGES if s in {stage for _, _, stage in seen}] == list(STAGES)
    for stage in STAGES:
        done, total, _ = [x for x in seen if x[2] == stage][-1]
        assert done == total


def test_no_passages_gives_an_empty_result() -> None:
    result = align([])
    assert result.pairs == [] and result.events == [] and result.stats["passages"] == 0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"threshold": 101}, "threshold must be between 0 and 100, not 101"),
        ({"top": 0}, "top must be at least 1, not 0"),
        ({"one_per": "day"}, "one_per must be 'article' or 'outlet', not 'day'"),
        ({"per_article": 0}, "per_article must be at least 1, not 0"),
        ({"common_share": 0}, "common_share must be above 0 and at most 1, not 0"),
        ({"processes": 0}, "processes must be -1 \\(every core\\) or at least 1, not 0"),
    ],
)
def test_bad_parameters_are_refused(change: dict, message: str) -> None:
    with pytest.raises(NatoCompareError, match=message):
        AlignParams(**change)


def test_scale_benchmark_runs_on_a_small_corpus() -> None:
    """Smoke test of ``benchmarks/scale.py``: the generator and every figure (no timing)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"
    spec = importlib.util.spec_from_file_location("scale_benchmark", path)
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    rows, truth = scale.generate_corpus(300, outlets=4, seed=3)
    assert len(rows) == 300 and len({r["outlet"] for r in rows}) == 4
    assert sum(event is not None for event in truth.values()) > 100
    figures = scale.run(
        300,
        outlets=4,
        seed=3,
        sample=120,
        params=AlignParams(threshold=50, exhaustive_pairs=0),
        quiet=True,
    )
    assert figures["passages"] == 300
    assert figures["sample_pairs_above_threshold"] > 0
    assert 0.5 <= figures["recall_of_exhaustive"] <= 1.0
    assert figures["pairs_kept"] > 0 and figures["kept_precision_vs_truth"] > 0.9


@pytest.fixture(scope="module")
def seed_passages(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    from pathlib import Path

    from nato_compare.pipeline import ingest_sources
    from nato_compare.store import open_db
    from nato_compare.store.articles import current_passages

    path = tmp_path_factory.mktemp("seeds") / "seed.db"
    ingest_sources([Path(__file__).resolve().parent.parent / "sources"], path)
    db = open_db(path)
    try:
        return current_passages(db)
    finally:
        db.close()


def test_event_labels_are_words_of_the_members_as_written(seed_passages) -> None:
    from nato_compare.alignment.normalize import STOP_WORDS

    result = align(seed_passages)
    text_of = {p["id"]: p["text"] for p in seed_passages}
    assert result.events
    for event in result.events:
        words = event.label.split()
        assert 1 <= len(words) <= 8
        texts = [text_of[m.passage_id] for m in event.members]
        for word in words:
            # each word as written (case kept, not stemmed) in a member, and no stop word
            assert any(re.search(rf"\b{re.escape(word)}\b", text) for text in texts), word
            assert word.lower() not in STOP_WORDS
    labels = [e.label for e in result.events]
    # names read as names: the Secretary General appears capitalised, first name before last
    assert any("Jens Stoltenberg" in label for label in labels)
    assert labels == [e.label for e in align(list(reversed(seed_passages))).events]


def test_topic_words_of_the_corpus_do_not_make_pairs(seed_passages) -> None:
    # every seed article is about NATO and Ukraine: those words are set aside before scoring
    result = align(seed_passages)
    assert {"nato", "ukrain"} <= set(result.stats["common_words"])
    with_topic = align(seed_passages, common_share=1.0)
    assert with_topic.stats["common_words"] == []
    assert len(result.pairs) < 0.6 * len(with_topic.pairs)


def test_small_corpora_keep_every_word() -> None:
    # no word is set aside when it is in at most COMMON_MIN_PASSAGES passages
    assert align(corpus()).stats["common_words"] == []


def test_the_evidence_of_each_pair_gives_the_pair_score(seed_passages) -> None:
    result = align(seed_passages)
    assert result.pairs
    assert [p.evidence["score"] for p in result.pairs] == [p.score for p in result.pairs]


def test_an_event_holds_a_run_of_paragraphs_up_to_per_article() -> None:
    rows = [
        {**passage(f"p-{k}", "art-1", "CGTN", RUTTE + " It was repeated." * k), "seq": k}
        for k in range(3)
    ]
    rows += [
        passage("p-x", "art-2", "The Eastern Herald", RUTTE_PARAPHRASE),
        passage("p-y", "art-3", "ICARO", RUTTE_THIRD),
    ]
    seqs_of = {r["id"]: r.get("seq") for r in rows}

    def runs(per_article: int) -> list[list[int]]:
        result = align(rows, threshold=40, top=3, min_links=1, per_article=per_article)
        return [
            sorted(seqs_of[m.passage_id] for m in e.members if seqs_of[m.passage_id] is not None)
            for e in result.events
        ]

    assert [0, 1, 2] in runs(3)
    for run in runs(2):
        assert len(run) <= 2 and (len(run) < 2 or run[1] - run[0] == 1)


def events_of(result) -> list[set[str]]:
    return [set(event.passage_ids) for event in result.events]


def test_a_rejected_link_keeps_two_passages_apart() -> None:
    together = align(corpus(), threshold=40, min_links=1)
    assert any({"p-a1", "p-b1"} <= event for event in events_of(together))
    apart = align(corpus(), threshold=40, min_links=1, cannot_link=[("p-b1", "p-a1")])
    assert not any({"p-a1", "p-b1"} <= event for event in events_of(apart))
    assert all(("p-a1", "p-b1") != (p.a, p.b) for p in apart.pairs)


def test_an_accepted_link_joins_passages_the_aligner_left_apart() -> None:
    alone = align(corpus(), threshold=40, min_links=1)
    assert not any({"p-a2", "p-c2"} <= event for event in events_of(alone))
    joined = align(
        corpus(), threshold=40, min_links=1, must_link=[("p-a2", "p-c2"), ("p-x", "p-a1")]
    )
    assert any({"p-a2", "p-c2"} <= event for event in events_of(joined))


def test_left_out_candidates_are_suggested_not_paired() -> None:
    strict = align(corpus(), threshold=100, min_links=1)
    suggested = {(p.a, p.b) for p in strict.suggestions}
    assert {("p-a1", "p-b1"), ("p-a2", "p-b2")} <= suggested
    assert not suggested & pair_set(strict)
    assert all(p.score >= 20 and p.event_id is None for p in strict.suggestions)
    assert not any(p.a == "p-c2" or p.b == "p-c2" for p in strict.suggestions)  # unrelated
