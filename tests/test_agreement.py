"""Agreement figures equal the reference implementations (krippendorff, scikit-learn)."""

from __future__ import annotations

import json
import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from tests.exchange_helpers import annotate, passage_ids
from nato_compare.agreement import agreement, cohen_kappa, compute_agreement, krippendorff_alpha
from nato_compare.errors import NatoCompareError

NAN = np.nan


def rows(
    codes: dict[str, list], dimension: str = "stance", outlets: list[str] | None = None
) -> list[dict]:
    """Coded rows from coder → one code per unit (None = missing; a set = several labels)."""
    out = []
    for coder, values in codes.items():
        for unit, value in enumerate(values):
            if value is None:
                continue
            for label in sorted(value) if isinstance(value, set) else [value]:
                out.append(
                    {
                        "annotator": coder,
                        "passage_id": f"p{unit:02d}",
                        "dimension": dimension,
                        "label": label,
                        "outlet_key": outlets[unit] if outlets else "CGTN",
                    }
                )
    return out


def figure(figures, measure="alpha", label="", outlet="all", coders=None):
    found = [
        f
        for f in figures
        if (f.measure, f.label, f.outlet) == (measure, label, outlet)
        and (coders is None or f.coders == coders)
    ]
    assert len(found) == 1, found
    return found[0]


def reference_alpha(codes: dict[str, list]) -> float:
    """krippendorff.alpha on the coders × units matrix, built independently of the code under test."""
    domain = sorted({v for values in codes.values() for v in values if v is not None})
    matrix = [[NAN if v is None else domain.index(v) for v in values] for values in codes.values()]
    return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")


def test_krippendorff_published_example_with_missing_codes():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: 0.743
    data = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
            [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
        ]
    )
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)
    codes = {
        c: [None if np.isnan(v) else f"L{int(v)}" for v in data[i]] for i, c in enumerate("abcd")
    }
    result = figure(compute_agreement(rows(codes)))
    assert result.value == pytest.approx(reference_alpha(codes), abs=1e-12)
    assert (result.coders, result.units, result.pairable) == (("a", "b", "c", "d"), 12, 11)


def test_kappa_equals_scikit_learn_on_random_codes():
    rng = random.Random(5)
    for _ in range(200):
        n = rng.randint(2, 40)
        labels = ["FAVOR", "AGAINST", "NONE"][: rng.randint(2, 3)]
        a = [rng.choice(labels) for _ in range(n)]
        b = [x if rng.random() < 0.6 else rng.choice(labels) for x in a]
        ours = cohen_kappa(a, b)
        if ours is None:
            assert len(set(a) | set(b)) == 1
            continue
        assert ours == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)


def test_perfect_agreement_gives_one():
    codes = {
        "alice": ["FAVOR", "AGAINST", "NONE", "FAVOR"],
        "bob": ["FAVOR", "AGAINST", "NONE", "FAVOR"],
    }
    figures = compute_agreement(rows(codes))
    assert figure(figures).value == pytest.approx(1.0)
    kappa = figure(figures, "kappa")
    assert (
        kappa.value == pytest.approx(1.0) and kappa.units == 4 and kappa.coders == ("alice", "bob")
    )
    assert kappa.value == pytest.approx(cohen_kappa_score(codes["alice"], codes["bob"]), abs=1e-9)


def test_chance_agreement_gives_zero_kappa_and_the_reference_alpha():
    # every combination once: observed agreement equals what chance predicts
    codes = {
        "alice": ["FAVOR", "FAVOR", "AGAINST", "AGAINST"],
        "bob": ["FAVOR", "AGAINST", "FAVOR", "AGAINST"],
    }
    figures = compute_agreement(rows(codes))
    assert figure(figures, "kappa").value == pytest.approx(0.0, abs=1e-12)
    assert cohen_kappa_score(codes["alice"], codes["bob"]) == pytest.approx(0.0, abs=1e-12)
    alpha = figure(figures)
    assert alpha.value == pytest.approx(reference_alpha(codes), abs=1e-12)
    assert alpha.value == pytest.approx(0.125)  # alpha's small-sample correction: 1 - (4/8)/(4/7)


def test_missing_codes_use_the_units_each_figure_can_use():
    codes = {
        "alice": ["FAVOR", "AGAINST", None, "NONE", "FAVOR", None],
        "bob": ["FAVOR", "NONE", "NONE", None, "FAVOR", "AGAINST"],
        "carol": [None, "AGAINST", "NONE", "NONE", "AGAINST", None],
    }
    figures = compute_agreement(rows(codes))
    alpha = figure(figures)
    assert alpha.value == pytest.approx(reference_alpha(codes), abs=1e-12)
    assert (alpha.units, alpha.pairable, len(alpha.coders)) == (6, 5, 3)
    for first, second in [("alice", "bob"), ("alice", "carol"), ("bob", "carol")]:
        shared = [i for i in range(6) if codes[first][i] and codes[second][i]]
        kappa = figure(figures, "kappa", coders=(first, second))
        assert kappa.units == len(shared)
        a, b = [codes[first][i] for i in shared], [codes[second][i] for i in shared]
        assert kappa.value == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)


def test_undefined_figures_say_why():
    same = {"alice": ["NONE", "NONE"], "bob": ["NONE", "NONE"]}
    figures = compute_agreement(rows(same))
    assert (figure(figures).value, figure(figures).reason) == (None, "no variation in the codes")
    assert figure(figures, "kappa").value is None
    apart = {"alice": ["NONE", None], "bob": [None, "FAVOR"]}
    figures = compute_agreement(rows(apart))
    assert (figure(figures).value, figure(figures).reason) == (None, "no unit coded by two coders")
    assert figure(figures, "kappa").reason == "no unit coded by both"


def test_multi_label_per_label_and_pooled_equal_binary_references():
    frames = {
        "alice": [{"Economic"}, {"Economic", "Morality"}, {"Morality"}, None, {"Economic"}],
        "bob": [{"Economic"}, {"Morality"}, {"Economic", "Morality"}, {"Economic"}, {"Morality"}],
    }
    figures = compute_agreement(rows(frames, "frame"), multi=["frame"])
    for label in ("Economic", "Morality"):
        binary = {
            c: [None if v is None else int(label in v) for v in values]
            for c, values in frames.items()
        }
        assert figure(figures, label=label).value == pytest.approx(
            reference_alpha(binary), abs=1e-12
        )
        shared = [i for i in range(5) if frames["alice"][i] and frames["bob"][i]]
        kappa = figure(figures, "kappa", label=label)
        assert kappa.value == pytest.approx(
            cohen_kappa_score(
                [binary["alice"][i] for i in shared], [binary["bob"][i] for i in shared]
            ),
            abs=1e-9,
        )
    pooled = {
        c: [
            None if v is None else int(label in v)
            for v in values
            for label in ("Economic", "Morality")
        ]
        for c, values in frames.items()
    }
    overall = figure(figures, label="*")
    assert overall.value == pytest.approx(reference_alpha(pooled), abs=1e-12)
    assert (overall.units, overall.pairable) == (10, 8)


def test_figures_per_outlet_use_only_that_outlets_passages():
    codes = {
        "alice": ["FAVOR", "AGAINST", "NONE", "FAVOR"],
        "bob": ["FAVOR", "AGAINST", "FAVOR", "NONE"],
    }
    figures = compute_agreement(rows(codes, outlets=["CGTN", "CGTN", "unknown:a", "unknown:a"]))
    assert figure(figures, outlet="CGTN").value == pytest.approx(1.0)
    assert figure(figures, "kappa", outlet="unknown:a").units == 2
    sub = {c: v[2:] for c, v in codes.items()}
    assert figure(figures, outlet="unknown:a").value == pytest.approx(
        reference_alpha(sub), abs=1e-12
    )


def test_agreement_from_a_database_and_its_refusals(seed_db):
    p = passage_ids(seed_db)
    with pytest.raises(
        NatoCompareError, match=r"needs annotations by two or more annotators; .* has 0$"
    ):
        agreement(seed_db)
    annotate(
        seed_db,
        [
            ("alice", p[0], "stance", "FAVOR"),
            ("alice", p[1], "stance", "NONE"),
            ("alice", p[1], "note", "", "a note is not a code"),
        ],
    )
    with pytest.raises(NatoCompareError, match=r"has 1 \(alice\)$"):
        agreement(seed_db)
    annotate(
        seed_db,
        [
            ("bob", p[0], "stance", "FAVOR"),
            ("bob", p[1], "stance", "AGAINST"),
            ("bob", p[2], "frame", "Economic"),
        ],
    )
    figures = agreement(seed_db, "stance")
    assert {f.dimension for f in figures} == {"stance"}
    assert figure(figures, "kappa").value == pytest.approx(
        cohen_kappa_score(["FAVOR", "NONE"], ["FAVOR", "AGAINST"])
    )
    with pytest.raises(
        NatoCompareError,
        match=r"no annotations for dimension 'tone' .*\(coded dimensions: frame, stance\)",
    ):
        agreement(seed_db, "tone")


def test_per_label_figures_follow_the_codebook_order():
    frames = {
        "alice": [{"Morality"}, {"Economic"}, {"Zeta"}],
        "bob": [{"Morality"}, {"Economic"}, {"Zeta"}],
    }
    figures = compute_agreement(
        rows(frames, "frame"), ["frame"], label_order=["Morality", "Economic"]
    )
    labels = [f.label for f in figures if f.measure == "alpha" and f.outlet == "all"]
    assert labels == ["Morality", "Economic", "Zeta", "*"]


def tone_codebook(path, multi: bool):
    path.write_text(
        '[codebook]\nname = "Tone"\n[[dimensions]]\nname = "tone"\n'
        f"multi = {str(multi).lower()}\n"
        '[[dimensions.labels]]\nname = "negative"\nkey = "1"\n'
        '[[dimensions.labels]]\nname = "positive"\nkey = "2"\n'
    )
    return path


def test_agreement_command_reads_multi_label_dimensions_from_the_given_codebook(seed_db, tmp_path):
    from click.testing import CliRunner

    from nato_compare.cli import main

    p = passage_ids(seed_db)
    annotate(
        seed_db,
        [
            ("alice", p[0], "tone", "positive"),
            ("alice", p[1], "tone", "negative"),
            ("alice", p[2], "tone", "positive"),
            ("bob", p[0], "tone", "positive"),
            ("bob", p[1], "tone", "negative"),
            ("bob", p[2], "tone", "negative"),
        ],
    )
    runner = CliRunner()

    def alpha_labels(*options):
        result = runner.invoke(
            main, ["agreement", "--db", str(seed_db), "--format", "jsonl", *options]
        )
        assert result.exit_code == 0, result.output
        return [
            json.loads(line)["label"]
            for line in result.stdout.splitlines()
            if json.loads(line)["measure"] == "alpha" and json.loads(line)["outlet"] == "all"
        ]

    # the default codebook does not know "tone", and every coder gave one label per passage
    assert alpha_labels() == [""]
    # the annotators' codebook says tone is multi-label: a figure per label, in its order
    codebook = tone_codebook(tmp_path / "tone.toml", multi=True)
    assert alpha_labels("--codebook", str(codebook)) == ["negative", "positive", "*"]

    bad = tmp_path / "bad.toml"
    bad.write_text("[codebook]\nname = 'x'\n")
    result = runner.invoke(main, ["agreement", "--db", str(seed_db), "--codebook", str(bad)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: invalid codebook {bad}: no dimensions: add at least one [[dimensions]] table\n"
    )
