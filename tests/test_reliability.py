"""The claim labels and the statistics of ``benchmarks/reliability.py`` that read them: the
figures docs/claim-labels.md quotes rest on these (the benchmark itself needs ``../shared``)."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from nato_compare.alignment.claims import CLAIM_CALIBRATION

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
LABEL_COLUMNS = [
    "article_a",
    "seq_a",
    "start_a",
    "end_a",
    "article_b",
    "seq_b",
    "start_b",
    "end_b",
    "reader_1",
    "reader_2",
]


@pytest.fixture(scope="module")
def reliability():
    spec = importlib.util.spec_from_file_location(
        "reliability_benchmark", BENCHMARKS / "reliability.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.mark.parametrize("name", ["ecbplus", "basil"])
def test_a_label_file_names_claims_by_offsets_and_holds_no_text_of_the_corpus(name: str) -> None:
    with (BENCHMARKS / "data" / f"{name}_claim_labels.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == LABEL_COLUMNS  # the format docs/claim-labels.md documents
    assert len(rows) == 251
    for row in rows[1:]:
        article_a, seq_a, start_a, end_a, article_b, seq_b, start_b, end_b, one, two = row
        for article in (article_a, article_b):
            assert re.fullmatch(r"[\w-]+", article), article  # an id, never a sentence
        for number in (seq_a, start_a, end_a, seq_b, start_b, end_b):
            assert number.isdigit()
        assert int(start_a) < int(end_a) and int(start_b) < int(end_b)
        assert {one, two} <= {"same", "related", "different"}


def test_a_shipped_score_is_read_back_as_the_similarity_in_its_tenth(reliability) -> None:
    similarity = np.array([0.0, 0.5, 9.0, 10.02, 39.98, 40.0, 40.33, 55.0, 89.98, 99.5, 100.0])
    # as the aligner reports it: a percentage rounded to two decimals
    shipped = np.round(CLAIM_CALIBRATION(similarity), 2) / 100
    back = reliability._similarity(shipped)
    assert back == pytest.approx(similarity / 100, abs=2e-4)
    assert reliability._tenth(back).tolist() == [0, 0, 0, 1, 3, 4, 4, 5, 8, 9, 9]


def test_each_labelled_claim_stands_for_its_tenths_share_of_the_run(reliability) -> None:
    sampled = np.array([0.05, 0.07, 0.15, 0.95])  # two from the first tenth, one from two others
    population = np.array([0.01] * 6 + [0.12] * 3 + [0.91])
    weights = reliability.stratum_weights(sampled, population)
    assert weights.tolist() == [3.0, 3.0, 3.0, 1.0]
    assert weights.sum() == len(population)


def test_the_calibration_error_weighs_each_claim_by_what_it_stands_for(reliability) -> None:
    probability = np.array([0.15, 0.15, 0.85])
    right = np.array([True, False, True])
    weights = np.array([1.0, 3.0, 4.0])
    rows = reliability.curve(probability, right, weights)
    # bin 0.1: mean 0.15, right 1 of 4 (weighted) -> 0.10 off; bin 0.8: 0.85 against 1 -> 0.15
    assert reliability.calibration_error(rows) == pytest.approx((4 * 0.10 + 4 * 0.15) / 8)
    # unweighted it would be (2 * 0.35 + 0.15) / 3
    assert reliability.calibration_error(
        reliability.curve(probability, right, np.ones(3))
    ) == pytest.approx((2 * 0.35 + 0.15) / 3)
    # the first bin's two claims are weighted 1 and 3: worth 1.6 claims in its interval
    assert rows[0][5] == pytest.approx(16 / 10)
