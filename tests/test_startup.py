"""A fast start: the command line and the annotation interface import no alignment or agreement code.

Each check runs a fresh interpreter, since this test session has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from nato_compare.cli import LAZY_COMMANDS, main

HEAVY = ("numpy", "rapidfuzz", "krippendorff")

# sqlite-utils (which the interface needs to open the database) imports NumPy itself when it
# is installed, and pandas (a test dependency, which imports NumPy too) when that is. This
# finder records which file first asks for NumPy, so the check is that none of ours does.
WATCH_NUMPY = """
import importlib.abc, sys, traceback
numpy_importer = None
class WatchNumpy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        global numpy_importer
        if name == "numpy" and numpy_importer is None:
            files = [f.filename for f in traceback.extract_stack()[:-1] if not f.filename.startswith("<")]
            numpy_importer = files[-1] if files else "?"
        return None
sys.meta_path.insert(0, WatchNumpy())
"""


def loaded_after(statements: str) -> tuple[list[str], str | None]:
    """The heavy modules in sys.modules after ``statements`` run in a fresh interpreter,
    and the file that imported NumPy (None if nothing did)."""
    code = (
        f"{WATCH_NUMPY}\n{statements}\nimport json\n"
        f"print(json.dumps([[m for m in {HEAVY!r} if m in sys.modules], numpy_importer]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, numpy_importer = json.loads(done.stdout.splitlines()[-1])
    return heavy, numpy_importer


def numpy_only_from_sqlite_utils(heavy: list[str], numpy_importer: str | None) -> bool:
    if "numpy" not in heavy:
        return True
    parts = Path(numpy_importer).parts
    return "nato_compare" not in parts and ("sqlite_utils" in parts or "pandas" in parts)


def test_command_line_imports_no_alignment_agreement_or_numpy() -> None:
    assert loaded_after("import nato_compare.cli") == ([], None)


def test_interface_imports_no_alignment_or_agreement_code() -> None:
    heavy, numpy_importer = loaded_after("import nato_compare.cli\nimport nato_compare.tui.app")
    assert "rapidfuzz" not in heavy and "krippendorff" not in heavy
    assert numpy_only_from_sqlite_utils(heavy, numpy_importer), numpy_importer


OPEN_THE_INTERFACE = (
    "from nato_compare.cli import main\n"
    "import click\n"
    "main.get_command(click.Context(main), 'tui')\n"
    "import nato_compare.tui.app"
)


def test_opening_the_interface_from_the_command_imports_no_numpy_pandas_or_alignment_code() -> None:
    # What `nato-compare tui` imports before the app runs: the tui command, then the app.
    # sqlite-utils is imported there with pandas and NumPy hidden from it (tui_cmd).
    heavy, numpy_importer = loaded_after(
        OPEN_THE_INTERFACE + "\nassert 'pandas' not in sys.modules"
    )
    assert heavy == [] and numpy_importer is None


def test_numpy_and_pandas_stay_importable_after_the_interface_is_opened() -> None:
    pytest.importorskip("pandas")
    heavy, _ = loaded_after(
        OPEN_THE_INTERFACE + "\nimport numpy, pandas\n"
        "assert pandas.DataFrame({'a': [1]}).shape == (1, 1)"
    )
    assert "numpy" in heavy


def test_package_functions_are_imported_when_used() -> None:
    assert loaded_after("import nato_compare") == ([], None)
    heavy, _ = loaded_after(
        "from nato_compare.alignment import similarity\n"
        "text = 'Allies pledged military aid to Ukraine'\n"
        "assert similarity(text, text) > similarity(text, 'Energy prices fell in May')"
    )
    assert "rapidfuzz" in heavy


def test_help_lists_every_command_with_its_short_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("\nCommands:\n", 1)[1]
    names = [line.split()[0] for line in listed.splitlines() if line.strip()]
    assert names == main.list_commands(click.Context(main)) and set(LAZY_COMMANDS) <= set(names)
    context = click.Context(main)
    for name in names:
        short_help = main.get_command(context, name).get_short_help_str(45)
        assert short_help and short_help.rstrip(".") in listed, name


def test_the_alignment_api_is_the_functions_whatever_was_imported_first() -> None:
    code = (
        "import nato_compare.alignment.aligner, nato_compare.alignment.evidence\n"
        "from nato_compare.alignment import align, evidence, similarity\n"
        "print([(f.__module__, f.__name__) for f in (align, evidence, similarity)])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(
        [
            ("nato_compare.alignment.aligner", "align"),
            ("nato_compare.alignment.evidence", "evidence"),
            ("nato_compare.alignment.similarity", "similarity"),
        ]
    )
