"""One --format vocabulary: every command that writes data names its formats alike."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from tests.exchange_helpers import annotate, passage_ids
from nato_compare.cli import main
from nato_compare.cli.common import FORMATS, format_option

COMMANDS = main.list_commands(click.Context(main))


def format_choices(name: str) -> list[str] | None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    for param in command.params:
        if "--format" in getattr(param, "opts", []):
            assert isinstance(param.type, click.Choice)
            return list(param.type.choices)
    return None


def test_every_format_option_speaks_the_one_vocabulary() -> None:
    offered = {name: format_choices(name) for name in COMMANDS}
    with_format = {name: choices for name, choices in offered.items() if choices}
    assert {"align", "export", "agreement", "report", "adjudicate"} <= set(with_format)
    for name, choices in with_format.items():
        assert set(choices) <= set(FORMATS), f"{name} --format {choices}"


def test_a_word_outside_the_vocabulary_is_refused_when_the_command_is_made() -> None:
    with pytest.raises(ValueError, match="json"):
        format_option("text", "json", default="text")


def test_jsonl_means_one_object_per_line_in_every_command(seed_db) -> None:
    p = passage_ids(seed_db)
    annotate(
        seed_db,
        [
            ("alice", p[0], "stance", "FAVOR"),
            ("bob", p[0], "stance", "AGAINST"),
            ("alice", p[1], "stance", "NONE"),
            ("bob", p[1], "stance", "NONE"),
        ],
    )
    for command in (["export"], ["agreement"], ["report"], ["adjudicate"]):
        result = CliRunner().invoke(main, [*command, "--db", str(seed_db), "--format", "jsonl"])
        assert result.exit_code == 0, result.stderr
        records = [json.loads(line) for line in result.stdout.splitlines()]
        assert records and all(isinstance(r, dict) for r in records), command
    refused = CliRunner().invoke(main, ["agreement", "--db", str(seed_db), "--format", "json"])
    assert refused.exit_code == 2
    assert "'json' is not one of 'text', 'csv', 'jsonl'" in refused.stderr
