"""The alignment library: stories, claims, "no counterpart", events, constraints, stability."""

from __future__ import annotations

import random
import re

import numpy as np
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


# A new user's corpus: two events (a NATO pledge, a flood in Valencia), three outlets, seven
# articles; every article reports one event only.
PLEDGE = [
    "NATO Secretary-General Mark Rutte said in Brussels on Thursday that allies will keep "
    "military aid to Ukraine at 40 billion euros next year. He called the pledge a floor, not a "
    "ceiling. Hungary again declined to take part in the NATO mission.",
    "Allies will provide Ukraine with €40 billion of military aid next year, NATO chief Mark "
    "Rutte told reporters in Brussels on Thursday. Rutte said the amount was a floor, not a "
    "ceiling. Hungary has opted out of the mission.",
    "Mark Rutte, NATO's secretary-general, said in Brussels that the alliance would again "
    "commit 40 billion euros in military support to Kyiv next year. Budapest will not join.",
]
FLOOD = [
    "Flash floods in Valencia killed at least 95 people after a year's rain fell in eight "
    "hours, Spanish officials said on Wednesday. Rescuers searched for missing drivers.",
    "At least 95 people died in Valencia when torrential rain caused flash floods, according "
    "to Spanish authorities on Wednesday. Cars were swept away and rescuers searched for the missing.",
    "Spain declared three days of mourning after flash floods in the Valencia region left at "
    "least 95 dead on Wednesday.",
    "Torrential rain in eastern Spain killed at least 95 people in Valencia, where flash floods "
    "swept away cars; rescuers kept searching for drivers on Wednesday.",
]


def new_user_corpus() -> tuple[list[dict], dict[str, str]]:
    outlets = ["Outlet A", "Outlet B", "Outlet C"]
    rows, event_of = [], {}
    for event, texts in (("pledge", PLEDGE), ("flood", FLOOD)):
        for k, text in enumerate(texts):
            article = f"{event}-{k}"
            event_of[article] = event
            rows.append(
                {
                    "id": f"p-{article}",
                    "article_id": article,
                    "outlet": outlets[k % 3],
                    "seq": 0,
                    "text": text,
                }
            )
    return rows, event_of


def test_paraphrases_in_different_outlets_are_aligned_with_their_sentences() -> None:
    result = align(corpus())
    pairs = pair_set(result)
    assert ("p-a1", "p-b1") in pairs and ("p-a2", "p-b2") in pairs
    assert not any("p-c2" in pair for pair in pairs)
    rutte = next(p for p in result.pairs if (p.a, p.b) == ("p-a1", "p-b1"))
    assert rutte.score >= AlignParams().threshold
    assert any("40" in number for number in rutte.evidence["shared_numbers"])
    assert rutte.evidence["claim_a"]["text"] == RUTTE
    assert (
        RUTTE_PARAPHRASE[rutte.evidence["claim_b"]["start"] : rutte.evidence["claim_b"]["end"]]
        == rutte.evidence["claim_b"]["text"]
    )


def test_unrelated_paragraphs_of_two_articles_give_no_pair() -> None:
    rows = [
        passage(
            "p-w1",
            "weather",
            "Outlet A",
            "The weather in Brussels stayed grey and wet this "
            "paragraph of the week, with rain expected until Sunday.",
        ),
        passage("p-w2", "weather", "Outlet A", "Temperatures will stay near ten degrees."),
        passage(
            "p-f1",
            "football",
            "Outlet B",
            "In this paragraph, Real Madrid beat Sevilla three to one in Madrid on Saturday night.",
        ),
        passage("p-f2", "football", "Outlet B", "The winning goal came in the second half."),
    ]
    result = align(rows)
    assert result.pairs == [] and result.events == []


def test_two_events_three_outlets_pairs_only_within_events_and_finds_both() -> None:
    rows, event_of = new_user_corpus()
    result = align(rows)
    article = {r["id"]: r["article_id"] for r in rows}
    assert result.pairs
    assert all(event_of[article[p.a]] == event_of[article[p.b]] for p in result.pairs)
    assert {event_of[article[p.a]] for p in result.pairs} == {"pledge", "flood"}


def test_sentences_whose_numbers_all_differ_are_not_paired() -> None:
    rows = [
        passage(
            "p-1",
            "quake-1",
            "Outlet A",
            "A magnitude 4.2 earthquake struck near The "
            "Geysers in Lake County on Sunday morning, the USGS said.",
        ),
        passage(
            "p-2",
            "quake-2",
            "Outlet B",
            "A magnitude 4.6 earthquake struck near The "
            "Geysers in Lake County on Thursday morning, the USGS said.",
        ),
    ]
    assert align(rows).pairs == []
    same = [
        rows[0],
        passage("p-3", "quake-3", "Outlet B", rows[0]["text"].replace("struck", "hit")),
    ]
    assert pair_set(align(same)) == {("p-1", "p-3")}


def test_articles_far_apart_in_time_are_not_one_story_unless_declared() -> None:
    rows = [dict(r, date="2024-06-01") for r in corpus()]
    assert align(rows).pairs
    later = [dict(r, date="2024-09-01") if r["article_id"] == "art-b" else r for r in rows]
    assert not any("p-b1" in pair or "p-b2" in pair for pair in pair_set(align(later)))
    declared = [dict(r, story="pledge") for r in later]
    assert ("p-a1", "p-b1") in pair_set(align(declared))


def test_different_declared_stories_are_never_linked() -> None:
    rows = [dict(r, story="one" if r["article_id"] == "art-a" else "two") for r in corpus()]
    assert not any(p.a.startswith("p-a") for p in align(rows).pairs)


def test_passages_of_one_outlet_are_never_paired() -> None:
    rows = corpus() + [passage("p-a3", "art-a2", "CGTN", RUTTE_PARAPHRASE)]
    result = align(rows, threshold=0)
    outlet_of = {r["id"]: r["outlet"] for r in rows}
    assert result.pairs
    assert all(outlet_of[p.a] != outlet_of[p.b] for p in result.pairs)


def test_unknown_outlets_count_as_distinct_sources() -> None:
    rows = [
        passage("p-x", "art-x", "unknown", RUTTE),
        passage("p-y", "art-y", "unknown", RUTTE_PARAPHRASE),
    ]
    assert pair_set(align(rows)) == {("p-x", "p-y")}


def test_a_higher_threshold_drops_exactly_the_weaker_pairs() -> None:
    low = align(corpus(), threshold=0)
    scores = sorted(p.score for p in low.pairs)
    gap = max(range(len(scores) - 1), key=lambda k: scores[k + 1] - scores[k])
    cut = (scores[gap] + scores[gap + 1]) / 2
    high = align(corpus(), threshold=cut)
    assert 0 < len(high.pairs) < len(low.pairs)
    assert pair_set(high) == {(p.a, p.b) for p in low.pairs if p.score >= cut}


def test_events_group_pairs_across_outlets_and_read_as_their_best_claim() -> None:
    result = align(corpus())
    by_member = {m.passage_id: e for e in result.events for m in e.members}
    assert by_member["p-a1"].id == by_member["p-b1"].id == by_member["p-c1"].id
    assert by_member["p-a2"].id == by_member["p-b2"].id != by_member["p-a1"].id
    assert by_member["p-a1"].outlets == 3
    assert by_member["p-a2"].label.split()[:3] in (
        CAVOLI.split()[:3],
        CAVOLI_PARAPHRASE.split()[:3],
    )


def test_a_paragraph_stating_two_facts_stands_in_two_events_one_sentence_each() -> None:
    both = f"{RUTTE} {CAVOLI}"
    result = align(
        [
            passage("p-a1", "art-a", "CGTN", both),
            passage("p-b1", "art-b", "The Eastern Herald", RUTTE_PARAPHRASE),
            passage("p-b2", "art-b", "The Eastern Herald", CAVOLI_PARAPHRASE),
            passage("p-c1", "art-c", "unknown", RUTTE_THIRD),
        ]
    )
    claims_of = {
        frozenset(e.passage_ids): [
            both[start:end] for m in e.members if m.passage_id == "p-a1" for start, end in m.claims
        ]
        for e in result.events
    }
    assert set(claims_of) == {frozenset({"p-a1", "p-b1", "p-c1"}), frozenset({"p-a1", "p-b2"})}
    assert claims_of[frozenset({"p-a1", "p-b1", "p-c1"})] == [RUTTE]
    assert claims_of[frozenset({"p-a1", "p-b2"})] == [CAVOLI]
    assert len({e.id for e in result.events}) == 2


def test_same_input_in_any_order_gives_the_same_result() -> None:
    rows = corpus()
    first = align(rows)
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    second = align(shuffled)
    assert [(p.a, p.b, p.score, p.event_id) for p in first.pairs] == [
        (p.a, p.b, p.score, p.event_id) for p in second.pairs
    ]
    assert [(e.id, e.label, e.passage_ids) for e in first.events] == [
        (e.id, e.label, e.passage_ids) for e in second.events
    ]


def test_progress_reports_every_stage() -> None:
    seen = []
    align(corpus(), progress=lambda done, total, stage: seen.append(stage))
    assert [s for s in STAGES if s in seen] == list(STAGES)


def test_no_passages_gives_an_empty_result() -> None:
    result = align([])
    assert result.pairs == [] and result.events == []


@pytest.mark.parametrize(
    "change,message",
    [
        ({"threshold": 101}, "threshold must be between 0 and 100, not 101"),
        ({"neighbours": 0}, "neighbours must be at least 1, not 0"),
        ({"shared_neighbours": -1}, "shared_neighbours must be at least 0, not -1"),
        ({"date_window": -1}, "date_window must be at least 0, not -1"),
        ({"per_article": 0}, "per_article must be at least 1, not 0"),
        ({"one_per": "event"}, "one_per must be 'article' or 'outlet', not 'event'"),
    ],
)
def test_bad_parameters_are_refused(change: dict, message: str) -> None:
    with pytest.raises(NatoCompareError, match=re.escape(message)):
        AlignParams(**change)


def test_an_event_holds_consecutive_paragraphs_of_one_article_only() -> None:
    rows = [
        passage("p-1", "art-1", "CGTN", RUTTE),
        passage("p-2", "art-2", "The Eastern Herald", RUTTE_PARAPHRASE),
        passage("p-3", "art-2", "The Eastern Herald", RUTTE_THIRD),
    ]
    for row, seq in zip(rows, (0, 0, 5)):
        row["seq"] = seq
    apart = align(rows)
    assert not any({"p-2", "p-3"} <= set(e.passage_ids) for e in apart.events)
    rows[2]["seq"] = 1
    together = align(rows)
    assert any({"p-1", "p-2", "p-3"} <= set(e.passage_ids) for e in together.events)
    assert not any({"p-2", "p-3"} <= set(e.passage_ids) for e in align(rows, per_article=1).events)


def events_of(result) -> list[set[str]]:
    return [set(event.passage_ids) for event in result.events]


def test_a_rejected_link_keeps_two_passages_apart() -> None:
    together = align(corpus(), threshold=40)
    assert any({"p-a1", "p-b1"} <= event for event in events_of(together))
    apart = align(corpus(), threshold=40, cannot_link=[("p-b1", "p-a1")])
    assert not any({"p-a1", "p-b1"} <= event for event in events_of(apart))
    assert all(("p-a1", "p-b1") != (p.a, p.b) for p in apart.pairs)


def test_an_accepted_link_joins_passages_the_aligner_left_apart() -> None:
    alone = align(corpus(), threshold=40)
    assert not any({"p-a2", "p-c2"} <= event for event in events_of(alone))
    joined = align(corpus(), threshold=40, must_link=[("p-a2", "p-c2"), ("p-x", "p-a1")])
    assert any({"p-a2", "p-c2"} <= event for event in events_of(joined))


def test_left_out_candidates_are_suggested_not_paired() -> None:
    strict = align(corpus(), threshold=100)
    suggested = {(p.a, p.b) for p in strict.suggestions}
    assert {("p-a1", "p-b1"), ("p-a2", "p-b2")} <= suggested
    assert not suggested & pair_set(strict)
    assert all(p.score >= 20 and p.event_id is None for p in strict.suggestions)
    assert not any(p.a == "p-c2" or p.b == "p-c2" for p in strict.suggestions)  # unrelated


def test_the_event_fixture_fails_when_the_aligner_finds_too_few_events(tmp_path, monkeypatch):
    """tests/events_fixture.py never falls back to fixed events: a broken aligner shows up as
    failing interface tests, not as tests of events nobody aligned."""
    from nato_compare.model import AlignmentResult
    from tests import events_fixture

    def align_nothing(db_path, *args, **kwargs):
        from nato_compare.store import open_db
        from nato_compare.store.events import save_run

        db = open_db(db_path)
        try:
            empty = AlignmentResult(params=AlignParams(), pairs=[], events=[], stats={})
            save_run(db, empty, started_at="2026-01-01", finished_at="2026-01-01")
        finally:
            db.close()

    monkeypatch.setattr(events_fixture, "align_db", align_nothing)
    with pytest.raises(events_fixture.TooFewEvents, match="found 0 event"):
        events_fixture.build_event_db(tmp_path / "events.db")


@pytest.mark.parametrize("seqs", [(0, 0, 0), (None, None, None)])
def test_one_passage_per_outlet_holds_for_passages_at_one_position_or_none(seqs) -> None:
    rows = [
        passage("p-1", "art-1", "CGTN", RUTTE),
        passage("p-2", "art-2", "The Eastern Herald", RUTTE_PARAPHRASE),
        passage("p-3", "art-3", "The Eastern Herald", RUTTE_THIRD),
    ]
    for row, seq in zip(rows, seqs):
        row["seq"] = seq
    result = align(rows, one_per="outlet")
    assert result.events, "the pledge is one event"
    assert not any({"p-2", "p-3"} <= set(e.passage_ids) for e in result.events)


def test_an_event_keeps_its_id_when_another_event_of_its_passage_goes() -> None:
    both = f"{RUTTE} {CAVOLI}"
    rows = [
        passage("p-a1", "art-a", "CGTN", both),
        passage("p-b1", "art-b", "The Eastern Herald", RUTTE_PARAPHRASE),
        passage("p-b2", "art-b", "The Eastern Herald", CAVOLI_PARAPHRASE),
    ]

    def cavoli_event(result) -> str:
        (found,) = [e.id for e in result.events if "p-b2" in e.passage_ids]
        return found

    before = align(rows)
    assert len(before.events) == 2
    after = align([r for r in rows if r["id"] != "p-b1"])  # the pledge's counterpart is gone
    assert len(after.events) == 1
    assert cavoli_event(after) == cavoli_event(before)
    assert after.events[0].id not in {e.id for e in before.events if "p-b1" in e.passage_ids}


def test_a_sentence_too_short_to_state_a_fact_is_not_paired() -> None:
    result = align(
        [
            passage("p-a1", "art-a", "CGTN", f"{RUTTE} He was 95."),
            passage("p-b1", "art-b", "The Eastern Herald", f"{RUTTE_PARAPHRASE} He was 95."),
        ]
    )
    claims = [
        text[start:end]
        for e in result.events
        for m in e.members
        for text in [f"{RUTTE} He was 95." if m.passage_id == "p-a1" else ""]
        if text
        for start, end in m.claims
    ]
    assert claims == [RUTTE]


def test_an_analysts_link_does_not_rename_the_events_it_leaves_alone() -> None:
    plain = {frozenset(e.passage_ids): e.id for e in align(corpus()).events}
    linked = align(corpus(), must_link=[("p-a2", "p-c2")])  # Cavoli and the harvest festival
    renamed = [
        e.id
        for e in linked.events
        if frozenset(e.passage_ids) in plain and plain[frozenset(e.passage_ids)] != e.id
    ]
    assert not renamed
    assert any({"p-a2", "p-c2"} <= set(e.passage_ids) for e in linked.events)


def test_a_pair_score_is_the_claims_calibrated_probability_and_its_evidence_says_so() -> None:
    from nato_compare.alignment.claims import CLAIM_CALIBRATION

    result = align(corpus(), threshold=0)
    assert result.pairs
    # what the analyst reads in the evidence is the score the pair was kept by
    assert all(pair.evidence["score"] == pair.score for pair in result.pairs)
    # the similarity's 40 (the default before the calibration) is 31.8 % the same fact
    assert CLAIM_CALIBRATION(np.array([40.0]))[0] == pytest.approx(31.8, abs=0.1)


def test_the_same_sentence_in_two_outlets_reads_as_the_calibrated_100() -> None:
    # the similarity's 100 (the same words in the same order) is 99.87 % the same fact: a
    # score of exactly 100 would mean the calibration was not applied
    from nato_compare.alignment.claims import CLAIM_CALIBRATION

    rows = corpus()
    rows[2] = passage("p-b1", "art-b", "The Eastern Herald", RUTTE)
    result = align(rows)
    same = next(p for p in result.pairs if {p.a, p.b} == {"p-a1", "p-b1"})
    assert same.score == pytest.approx(float(CLAIM_CALIBRATION(100.0)), abs=0.01)
    assert same.score < 100


def test_the_calibration_keeps_the_order_and_says_which_similarity_the_default_keeps() -> None:
    from nato_compare.alignment.claims import CLAIM_CALIBRATION

    similarities = np.linspace(0, 100, 10001)
    probabilities = CLAIM_CALIBRATION(similarities)
    assert probabilities[0] == 0.0  # no content word: evidence of nothing
    assert np.all(np.diff(probabilities[1:]) > 0)
    assert probabilities[-1] < 100  # the same words in the same order: finite, above the rest
    # the default 32 % keeps the claims of similarity 40.33 and above (docs/claim-labels.md):
    # not quite the old default's 40, which is 31.846 % and keeps the claims it kept before
    kept = similarities[probabilities >= AlignParams().threshold]
    assert kept.min() == pytest.approx(40.33, abs=0.01)
    old_default = float(CLAIM_CALIBRATION(40.0))
    assert old_default == pytest.approx(31.846, abs=0.0005)
    assert similarities[probabilities >= old_default].min() == pytest.approx(40.0)


def test_the_calibration_reads_a_single_similarity_as_it_reads_many() -> None:
    from nato_compare.alignment.claims import CLAIM_CALIBRATION

    many = CLAIM_CALIBRATION(np.array([0.0, 40.0, 100.0]))
    assert [float(CLAIM_CALIBRATION(s)) for s in (0.0, 40.0, 100.0)] == many.tolist()
    assert float(CLAIM_CALIBRATION(-3.0)) == 0.0  # below the scale: evidence of nothing


def test_shared_amounts_keep_their_unit_when_the_corpus_is_all_about_billions() -> None:
    """ "billion" and "euros" in most sentences are the corpus's common words, set aside when
    sentences are compared; the amount both sentences give still reads "40 billion eur"."""
    budgets = [
        f"The ministry of {place} plans {n} billion euros for roads and rail next year."
        for place, n in (("Spain", 3), ("Italy", 5), ("Greece", 2), ("Portugal", 7))
    ]
    pledge_a = (
        "Allies pledged 40 billion euros in military aid for Ukraine at the Washington summit."
    )
    pledge_b = (
        "At the Washington summit the allies pledged €40 billion in military aid for Ukraine."
    )
    rows = (
        [
            passage("a1", "art-a", "CGTN", pledge_a),
            passage("b1", "art-b", "The Eastern Herald", pledge_b),
        ]
        + [passage(f"a{k}", "art-a", "CGTN", t) for k, t in enumerate(budgets, 2)]
        + [passage(f"b{k}", "art-b", "The Eastern Herald", t) for k, t in enumerate(budgets, 2)]
    )
    for k, row in enumerate(rows):
        row["seq"] = k
    result = align(rows, threshold=0)
    assert {"billion", "eur"} <= set(result.stats["common_words"])
    pledge = next(p for p in result.pairs if {p.a, p.b} == {"a1", "b1"})
    assert pledge.evidence["shared_numbers"] == ["40 billion eur"]


def test_an_accepted_link_between_two_facts_events_does_not_merge_them() -> None:
    """An accepted link (an attach, an imported links file) between a Rutte paragraph and a
    Cavoli paragraph, each in its own event, whose sentences the aligner scored too low to
    keep: the two passages end in one event, and the two events stay apart (a link says the
    two passages report one fact, not that the two events are one)."""
    rows = corpus()
    seqs = {"p-a1": 0, "p-a2": 1, "p-b1": 0, "p-b2": 1, "p-c1": 0, "p-c2": 1}
    for row in rows:
        row["seq"] = seqs[row["id"]]
    apart = align(rows, return_scored=True)
    assert ("p-a1", "p-b2") in apart.scored and ("p-a1", "p-b2") not in pair_set(apart)
    rutte = next(set(e.passage_ids) for e in apart.events if "p-a1" in e.passage_ids)
    cavoli = next(set(e.passage_ids) for e in apart.events if "p-b2" in e.passage_ids)
    assert rutte.isdisjoint(cavoli)

    linked = align(rows, must_link=[("p-a1", "p-b2")])
    assert any({"p-a1", "p-b2"} <= set(e.passage_ids) for e in linked.events)
    assert not any({"p-b1", "p-a2"} <= set(e.passage_ids) for e in linked.events)
