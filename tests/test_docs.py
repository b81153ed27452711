"""Every command explains itself (--help with an example) and is documented in the README."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from conftest import REPO
from nato_compare.cli import main

# The commands are imported lazily: list them as --help does, not from main.commands.
COMMANDS = main.list_commands(click.Context(main))


def test_there_are_commands() -> None:
    assert "ingest" in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"`nato-compare {name} --help` shows no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_documented_in_readme(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"nato-compare {name}" in readme, f"README does not mention `nato-compare {name}`"
