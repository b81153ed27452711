"""The documentation matches the program: every command explains itself (--help with an
example) and is in the manual, the generated tables are current, the README's test command is
the one CI runs, and the shell examples of every page run as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from nato_compare.cli import main

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]

# The commands are imported lazily: list them as --help does, not from main.commands.
COMMANDS = main.list_commands(click.Context(main))

# A shell block, with the "<!-- not run: reason -->" line that may stand right before it.
SHELL_BLOCK = re.compile(r"(?:<!-- not run: (?P<reason>.*?) -->\n)?```bash\n(?P<code>.*?)```", re.S)


def test_there_are_commands() -> None:
    assert "ingest" in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"`nato-compare {name} --help` shows no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_documented_in_readme_and_manual(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"nato-compare {name}" in readme, f"README does not mention `nato-compare {name}`"
    manual = "".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md"))
    assert f"<!-- generated: options {name} -->" in manual, f"docs/ has no options of {name}"


def test_generated_tables_are_current() -> None:
    """Like sqlite-utils' `cog --check`: the options, keys and schema tables in docs/ are what
    tools/docs_tables.py makes from the code now."""
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "docs_tables.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr


def test_readme_is_a_front_page() -> None:
    readme = (REPO / "README.md").read_bytes()
    assert len(readme) < 12_000
    text = readme.decode("utf-8")
    assert "Python 3.11" in text
    assert "press `q`" in text  # how to quit, on the first screen


def readme_command(number: int) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"```bash\n# {number}\. .*?\n(.*?)\n```", readme, re.S)
    assert match, f"README has no command {number}"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_command(2) in ci


def test_first_command_installs_no_test_extras() -> None:
    first = readme_command(1)
    assert "pip install -e . " in first and "[test]" not in first


def shell_blocks(page: Path) -> list[tuple[str, str | None]]:
    text = page.read_text(encoding="utf-8")
    return [(m.group("code"), m.group("reason")) for m in SHELL_BLOCK.finditer(text)]


@pytest.fixture(scope="module")
def aligned_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as the README's first command leaves it: the shipped sources, ingested and
    aligned into annotations.db."""
    folder = tmp_path_factory.mktemp("aligned")
    shutil.copytree(REPO / "sources", folder / "sources")
    run_shell("nato-compare ingest sources/ && nato-compare align", folder)
    return folder


def run_shell(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = Path(sys.executable).parent  # nato-compare is installed beside this python
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        ["bash", "-e", "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"{code}\nexit {result.returncode}\n{result.stderr[-2000:]}"
    return result


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_page_shell_examples_run(page: Path, aligned_folder: Path, tmp_path: Path) -> None:
    """Every shell block of the page, in order, in a folder as the README's first command
    leaves it (with the page's example script and, for the README's batch example, a corpus
    file). A block marked `<!-- not run: reason -->` is left out, and has to say why."""
    blocks = shell_blocks(page)
    for _, reason in blocks:
        assert reason is None or reason.strip(), "a block left out must say why"
    runnable = [code for code, reason in blocks if reason is None]
    if not runnable:
        pytest.skip("no shell block to run")
    shutil.copytree(aligned_folder, tmp_path, dirs_exist_ok=True)
    shutil.copytree(REPO / "docs" / "example", tmp_path / "docs" / "example")
    write_corpus(tmp_path / "sources", tmp_path / "my-corpus.jsonl")
    for code in runnable:
        run_shell(code, tmp_path)


def write_corpus(sources: Path, target: Path) -> None:
    """The seed articles as a JSONL corpus, one article per line (the README's batch example)."""
    import csv

    with (sources / "manifest.csv").open(encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    with target.open("w", encoding="utf-8") as out:
        for row in manifest:
            text = (sources / row["file"]).read_text(encoding="utf-8")
            article = {"id": Path(row["file"]).stem, "outlet": row["outlet"], "text": text}
            out.write(json.dumps(article) + "\n")
