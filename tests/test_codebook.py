"""The codebook: the default one, validation messages, and the `codebook` command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from nato_compare.cli import main
from nato_compare.codebook import RESERVED_KEYS, load_codebook, validate_codebook
from nato_compare.errors import NatoCompareError

POLICY_FRAMES = [
    "Economic",
    "Capacity and resources",
    "Morality",
    "Fairness and equality",
    "Legality, constitutionality and jurisprudence",
    "Policy prescription and evaluation",
    "Crime and punishment",
    "Security and defense",
    "Health and safety",
    "Quality of life",
    "Cultural identity",
    "Public opinion",
    "Political",
    "External regulation and reputation",
    "Other",
]

GOOD = """
[codebook]
name = "Tone"

[[dimensions]]
name = "tone"
multi = false
[[dimensions.labels]]
name = "positive"
key = "1"
[[dimensions.labels]]
name = "negative"
key = "2"
"""


def test_default_codebook_has_the_15_policy_frames_and_a_stance():
    book = load_codebook()
    frame = book.dimension("frame")
    assert frame.multi is True
    assert [label.name for label in frame.labels] == POLICY_FRAMES
    stance = book.dimension("stance")
    assert stance.multi is False
    assert stance.target == "NATO military support to Ukraine"
    assert [label.name for label in stance.labels] == ["FAVOR", "AGAINST", "NONE"]
    assert all(label.description for dim in book.dimensions for label in dim.labels)
    # complete coding: at least one frame and a stance
    assert book.required == ("frame", "stance")


def test_a_dimension_may_be_optional(tmp_path):
    path = tmp_path / "optional.toml"
    path.write_text(GOOD.replace("multi = false", "multi = false\nrequired = false", 1))
    assert validate_codebook(path) == []
    assert load_codebook(path).required == ()


def test_default_keys_are_single_unique_and_not_the_interfaces():
    keys = [label.key for dim in load_codebook().dimensions for label in dim.labels]
    assert all(len(key) == 1 for key in keys)
    assert len(set(keys)) == len(keys)
    assert not set(keys) & RESERVED_KEYS


def test_a_small_valid_codebook_loads(tmp_path):
    path = tmp_path / "tone.toml"
    path.write_text(GOOD)
    assert validate_codebook(path) == []
    book = load_codebook(path)
    assert book.name == "Tone"
    dim = book.dimension("tone")
    assert dim.title == "Tone" and dim.multi is False
    assert book.by_key()["2"][1].name == "negative"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ('key = "2"', 'key = "1"'),
            "label 'negative' of dimension 'tone': key '1' is already used by tone/positive",
        ),
        (
            ('key = "2"', 'key = "n"'),
            "label 'negative' of dimension 'tone': key 'n' is used by the interface",
        ),
        (
            ('key = "2"', 'key = "ab"'),
            "label 'negative' of dimension 'tone': key must be one printable character, not 'ab'",
        ),
        (
            ("multi = false", 'multi = "no"'),
            "dimension 'tone': multi must be true or false, not 'no'",
        ),
        (
            ("multi = false", 'multi = false\nrequired = "yes"'),
            "dimension 'tone': required must be true or false, not 'yes'",
        ),
        (
            ('name = "negative"', 'name = "positive"'),
            "label 'positive' of dimension 'tone' appears twice",
        ),
        (
            ('name = "tone"', 'name = "note"'),
            "dimension 'note': the name 'note' is reserved for notes",
        ),
        (
            ("multi = false", "multi = false\nmulti_label = true"),
            "dimension 'tone' has an unknown field 'multi_label'",
        ),
    ],
)
def test_validation_explains_what_is_wrong(tmp_path, change, problem):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace(*change, 1))
    problems = validate_codebook(path)
    assert any(p.startswith(problem) for p in problems), problems
    with pytest.raises(NatoCompareError, match="invalid codebook"):
        load_codebook(path)


def test_validation_of_broken_toml_and_missing_parts(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[codebook\nname = 1")
    assert validate_codebook(broken)[0].startswith(f"{broken}: not valid TOML")
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert validate_codebook(empty) == [
        "missing [codebook] table with a name",
        "no dimensions: add at least one [[dimensions]] table",
    ]
    assert validate_codebook(tmp_path / "absent.toml") == [
        f"{tmp_path / 'absent.toml'}: file not found"
    ]


def test_cli_validate_reports_every_problem_and_exits_1(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace('key = "2"', 'key = "1"').replace("multi = false", "multi = 3"))
    result = CliRunner().invoke(main, ["codebook", "--validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: dimension 'tone': multi must be true or false, not 3",
        "error: label 'negative' of dimension 'tone': key '1' is already used by tone/positive",
        f"{path}: 2 problem(s)",
    ]


def test_cli_validate_accepts_a_good_file(tmp_path):
    path = tmp_path / "tone.toml"
    path.write_text(GOOD)
    result = CliRunner().invoke(main, ["codebook", "--validate", str(path)])
    assert result.exit_code == 0
    assert result.stderr.strip() == f"{path}: valid (1 dimensions, 2 labels)"


def test_cli_prints_the_default_codebook():
    result = CliRunner().invoke(main, ["codebook"])
    assert result.exit_code == 0
    assert "  1  Economic — Costs, benefits or other financial implications" in result.stdout
    assert "Stance [stance] (one label; target: NATO military support to Ukraine)" in result.stdout


def test_cli_print_of_a_bad_codebook_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["codebook", "--codebook", str(tmp_path / "x.toml")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: invalid codebook {tmp_path / 'x.toml'}: file not found\n"
