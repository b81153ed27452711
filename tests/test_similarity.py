"""The passage similarity: normalisation, the score's properties, evidence."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz, process, utils

from nato_compare.alignment import similarity as exported_similarity
from nato_compare.alignment.evidence import evidence, evidence_many
from nato_compare.alignment.similarity import (
    DEFAULT_WEIGHTS,
    FEATURES,
    STOP_WORDS,
    SimilarityWeights,
    content_counts,
    content_tokens,
    normalize,
    pair_features,
    similarity,
    similarity_many,
    similarity_many_normalized,
)

TROOPS_A = (
    "NATO Secretary General Stoltenberg confirmed on Thursday that the alliance has "
    "no plans to deploy forces in Ukraine."
)
TROOPS_B = (
    "The largest security alliance in the world does not, as a group, send weapons "
    "to Ukraine and does not have any plans to station troops there."
)
PLEDGE_A = (
    "NATO seeks to consolidate its military support for Ukraine at a level of no "
    "less than 40 billion euros per year."
)
PLEDGE_B = "Rutte said the alliance is on track to meet its €40 billion military aid target."
UNRELATED = (
    "Defense equipment manufacturers needed time to increase their production, "
    "from artillery shells to vehicles and drones."
)


@pytest.mark.parametrize(
    "variant",
    [
        "€20.9 billion",
        "20.9 billion euros",
        "EUR 20.9bn",
        "20.9bn euros",
        "€ 20.9 billion",
    ],
)
def test_currency_forms_of_one_amount_normalise_alike(variant: str) -> None:
    assert normalize(f"Allies pledged {variant} in aid.") == "alli pledg 20.9 billion eur in aid"


def test_different_currencies_stay_apart() -> None:
    assert "40 billion usd" in normalize("some $40 billion")
    assert "40 billion eur" in normalize("40 billion euros")


def test_normalisation_handles_case_punctuation_numbers_and_names() -> None:
    assert normalize("Two percent of GDP") == normalize("2% of GDP") == "2 percent of gdp"
    assert normalize("1,000-kilometer front") == "1000 kilomet front"
    assert normalize("the U.S.-led group") == normalize("the United States led group")
    assert "usa" not in normalize("they told us")  # the pronoun is not the country
    assert normalize("Defence ministers") == normalize("defense ministers")


@pytest.mark.parametrize(
    "text, normalised",
    [
        (
            "NATO Secretary General Jens Stoltenberg said on Thursday that the alliance's 32 members "
            "had agreed to provide Ukraine with at least €40 billion ($43 billion) a year.",
            "nato secretari general jen stoltenberg said on thursday that the allianc 32 member had "
            "agre to provid ukrain with at least 40 billion eur 43 billion usd a year",
        ),
        (
            "Defence ministers met in Brussels; the U.S.-led Ukraine Defense Contact Group will hand "
            "over coordination of 1,000-kilometer supply lines.",
            "defens minist met in brussel the usa led ukrain defens contact group will hand over "
            "coordin of 1000 kilomet suppli line",
        ),
        (
            "Twenty-two percent of the organisations criticised the programme, US$ 5bn in all.",
            "20 2 percent of the organiz critic the program 5 billion usd in all",
        ),
    ],
)
def test_normalisation_of_whole_sentences_is_unchanged(text: str, normalised: str) -> None:
    # outputs of the first implementation: a faster normalize must give the same text,
    # on first sight of its words and from its caches
    assert normalize(text) == normalised
    assert normalize(text) == normalised
    assert " ".join(content_tokens(text)) == " ".join(
        t for t in normalised.split() if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())
    )


def test_content_tokens_drop_stop_words_and_keep_numbers() -> None:
    assert content_tokens("The alliance has no plans to deploy 2 forces in Ukraine") == [
        "allianc",
        "plan",
        "deploy",
        "2",
        "forc",
        "ukrain",
    ]


def test_identical_passages_score_100() -> None:
    assert similarity(TROOPS_A, TROOPS_A) == 100.0
    # differences of case, punctuation and amount form do not matter
    assert similarity("Allies pledged €40 billion.", "allies pledged 40 billion euros") == 100.0


def test_scores_are_symmetric_and_in_range() -> None:
    texts = [TROOPS_A, TROOPS_B, PLEDGE_A, PLEDGE_B, UNRELATED, "", "NATO"]
    for a in texts:
        for b in texts:
            score = similarity(a, b)
            assert 0.0 <= score <= 100.0
            assert score == pytest.approx(similarity(b, a))


def test_paraphrases_outscore_unrelated_passages() -> None:
    assert similarity(TROOPS_A, TROOPS_B) > similarity(TROOPS_A, UNRELATED)
    assert similarity(PLEDGE_A, PLEDGE_B) > similarity(PLEDGE_A, UNRELATED)
    assert similarity(PLEDGE_A, PLEDGE_B) > similarity(PLEDGE_A, TROOPS_B)


def test_unrelated_passages_score_low() -> None:
    assert similarity(TROOPS_A, UNRELATED) < 10
    assert similarity("Rutte warned of authoritarian states.", "Markets rallied on Friday.") < 10


def test_a_text_without_content_words_scores_0() -> None:
    assert similarity("", TROOPS_A) == 0.0
    assert similarity("it is what it was", "it is what it was") == 0.0


def test_a_shared_amount_counts_as_shared_words() -> None:
    same = similarity(
        "Allies pledged €40 billion to Ukraine.", "Allies pledged €40 billion for Kyiv."
    )
    other = similarity(
        "Allies pledged €40 billion to Ukraine.", "Allies pledged €20 billion for Kyiv."
    )
    assert same > other


def test_similarity_many_equals_similarity_elementwise() -> None:
    a = [TROOPS_A, PLEDGE_A, UNRELATED, TROOPS_A, ""]
    b = [TROOPS_B, PLEDGE_B, TROOPS_B, TROOPS_A, PLEDGE_A]
    many = similarity_many(a, b, workers=2)
    assert isinstance(many, np.ndarray) and many.shape == (5,)
    assert many.tolist() == pytest.approx([similarity(x, y) for x, y in zip(a, b)])
    normalized = similarity_many_normalized([normalize(t) for t in a], [normalize(t) for t in b])
    assert normalized.tolist() == pytest.approx(many.tolist())


def test_similarity_many_rejects_unequal_lengths_and_accepts_empty() -> None:
    with pytest.raises(ValueError, match="same length"):
        similarity_many(["a"], ["a", "b"])
    assert similarity_many([], []).shape == (0,)


def test_evidence_lists_shared_numbers_words_and_names() -> None:
    found = evidence(
        PLEDGE_A, "Stoltenberg wants NATO allies to give Ukraine 40 billion euros a year."
    )
    assert found["shared_numbers"] == ["40 billion eur"]
    assert {"ukrain", "billion", "year"} <= set(found["shared_words"])
    assert found["shared_entities"] == ["NATO", "Ukraine"]
    assert found["score"] == pytest.approx(
        similarity(
            PLEDGE_A, "Stoltenberg wants NATO allies to give Ukraine 40 billion euros a year."
        ),
        abs=0.01,
    )
    # every feature reports its value and weighted contribution, which sum to the log-odds
    scorers = found["scorers"]
    assert set(FEATURES) | {"intercept"} == set(scorers)
    z = sum(s["contribution"] for s in scorers.values())
    w = DEFAULT_WEIGHTS
    calibrated = w.calibration_scale * z + w.calibration_offset
    assert 100 / (1 + np.exp(-calibrated)) == pytest.approx(found["score"], abs=0.1)
    assert found["log_odds"] == pytest.approx(z, abs=0.01)


def test_evidence_flags_conflicting_numbers() -> None:
    found = evidence("Allies pledged €40 billion.", "Allies pledged €20.9 billion.")
    assert found["shared_numbers"] == [] and found["number_conflict"] is True


def test_weights_are_named_frozen_and_change_the_score() -> None:
    assert [f.name for f in dataclasses.fields(SimilarityWeights)] == [
        "intercept",
        *FEATURES,
        "calibration_scale",
        "calibration_offset",
        "short_tokens",
        "short_power",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_WEIGHTS.ratio = 0.0  # type: ignore[misc]
    strict = dataclasses.replace(DEFAULT_WEIGHTS, intercept=DEFAULT_WEIGHTS.intercept - 3)
    assert similarity(PLEDGE_A, PLEDGE_B, strict) < similarity(PLEDGE_A, PLEDGE_B)


def test_package_exports_the_function() -> None:
    assert exported_similarity is similarity


def test_evidence_many_equals_evidence_pair_by_pair() -> None:
    a = [PLEDGE_A, TROOPS_A, UNRELATED]
    b = [PLEDGE_B, TROOPS_B, ""]
    many = evidence_many(a, b, normalized_a=[normalize(t) for t in a])
    assert many == [evidence(x, y) for x, y in zip(a, b)]
    assert [e["score"] for e in many] == pytest.approx(similarity_many(a, b).tolist(), abs=0.01)


def test_evidence_matches_names_across_their_written_forms() -> None:
    found = evidence(
        "The U.S. and NATO back Jens Stoltenberg's plan.",
        "Later, Stoltenberg said the United States and NATO agreed.",
    )
    assert found["shared_entities"] == ["NATO", "Stoltenberg", "U.S."]
    # a capitalised word that only opens a sentence is no name
    assert evidence("Allies agreed.", "Allies met.")["shared_entities"] == []


def test_a_number_one_sentence_lacks_is_measured_on_sentences_only() -> None:
    base = normalize("Allies pledged billions in military aid to Ukraine at the Washington summit")
    mismatch = pair_features([base, base], [base + " monday", base + " 11 juli"])[
        :, FEATURES.index("short_number_mismatch")
    ]
    assert mismatch[0] == 0.0 and mismatch[1] > 0.05  # an added number, not an added word
    # in long passages the short-sentence features vanish (gate min(1, 19 / n) ** 30)
    long_a = " ".join([TROOPS_A, PLEDGE_A, UNRELATED, TROOPS_B])
    features = pair_features([normalize(long_a)], [normalize(long_a + " On 11 July 2024.")])
    assert features[0, FEATURES.index("short_number_mismatch")] < 0.01


def test_word_pairs_count_only_in_their_order() -> None:
    a = normalize("NATO allies pledged military aid to Ukraine.")
    same_order = normalize("NATO's allies have pledged military aid to Ukraine.")
    other_order = normalize("Ukraine aid: military allies of NATO pledged.")
    bigrams = pair_features([a, a], [same_order, other_order])[:, FEATURES.index("short_bigrams")]
    assert bigrams[0] == 1.0 and bigrams[1] == 0.0


PASSAGE_MODEL = dataclasses.replace(
    DEFAULT_WEIGHTS, **{name: 0.0 for name in FEATURES if name.startswith("short")}
)
PARAGRAPH_A = " ".join([TROOPS_A, PLEDGE_A, UNRELATED])
PARAGRAPH_B = " ".join([TROOPS_B, PLEDGE_B, UNRELATED.replace("drones", "missiles")])


def test_paragraphs_are_scored_by_the_passage_model_and_sentences_by_the_sentence_model() -> None:
    assert similarity(PARAGRAPH_A, PARAGRAPH_B) == pytest.approx(
        similarity(PARAGRAPH_A, PARAGRAPH_B, PASSAGE_MODEL), abs=0.01
    )
    assert similarity(PLEDGE_A, PLEDGE_B) != pytest.approx(
        similarity(PLEDGE_A, PLEDGE_B, PASSAGE_MODEL), abs=0.5
    )


def test_the_gate_measures_whole_passages_when_words_were_set_aside() -> None:
    # the aligner removes a corpus's topic words: what is left of two paragraphs is short,
    # but with the whole passages' lengths they keep the passage model
    whole = [normalize(PARAGRAPH_A), normalize(PARAGRAPH_B)]
    reduced = [" ".join(t.split()[:14]) for t in whole]
    lengths = content_counts(whole)
    assert lengths.min() > DEFAULT_WEIGHTS.short_tokens + 10
    as_paragraphs = similarity_many_normalized(
        [reduced[0]], [reduced[1]], lengths_a=lengths[:1], lengths_b=lengths[1:]
    )
    as_sentences = similarity_many_normalized([reduced[0]], [reduced[1]])
    passage_model = similarity_many_normalized([reduced[0]], [reduced[1]], weights=PASSAGE_MODEL)
    assert as_paragraphs[0] == pytest.approx(passage_model[0], abs=0.01)
    assert as_sentences[0] != pytest.approx(passage_model[0], abs=0.5)


MRPC = Path(__file__).resolve().parents[2] / "shared" / "eval" / "mrpc_train.tsv"


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    positives, negatives = scores[labels == 1], np.sort(scores[labels == 0])
    below = np.searchsorted(negatives, positives, side="left")
    ties = np.searchsorted(negatives, positives, side="right") - below
    return float((below + ties / 2).sum() / (len(positives) * len(negatives)))


@pytest.mark.skipif(not MRPC.exists(), reason="MRPC (../shared/eval) not available")
def test_similarity_beats_the_best_rapidfuzz_scorer_on_mrpc() -> None:
    with open(MRPC, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    a, b = [r["#1 String"] for r in rows], [r["#2 String"] for r in rows]
    labels = np.array([int(r["Quality"]) for r in rows])
    ours = _auc(labels, similarity_many(a, b))
    token_sort = _auc(
        labels, process.cpdist(a, b, scorer=fuzz.token_sort_ratio, processor=utils.default_process)
    )
    assert token_sort == pytest.approx(0.769, abs=0.001)
    assert ours >= 0.80  # reached: 0.806 (5-fold cross-validated: 0.805)
