"""Import hygiene, in one place: every core module is under the import-linter contracts (which
`lint-imports` checks in .ci/run), and loading the whole core pulls in no user interface and
none of the heavy libraries only some commands need."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.common import REPO

UI_PACKAGES = {"cli", "tui"}


def core_modules_in_contract() -> set[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (ui_contract,) = [c for c in contracts if "nato_compare.tui" in c["forbidden_modules"]]
    return set(ui_contract["source_modules"])


def test_every_core_module_is_under_the_contract() -> None:
    package = REPO / "nato_compare"
    core = {
        f"nato_compare.{path.stem}" for path in package.glob("*.py") if path.stem != "__init__"
    } | {
        f"nato_compare.{path.name}"
        for path in package.iterdir()
        if (path / "__init__.py").exists() and path.name not in UI_PACKAGES
    }
    missing = core - core_modules_in_contract()
    assert not missing, f"add these to [tool.importlinter] source_modules: {sorted(missing)}"


#: Libraries the core may use only inside the functions that need them.
NOT_ON_IMPORT = ("textual", "matplotlib", "plotext", "krippendorff", "sklearn", "trafilatura")


def test_the_core_loads_without_the_interface_or_heavy_libraries() -> None:
    """In a fresh interpreter (nothing cached), importing every core module of the contract
    imports neither Textual nor the libraries of single commands. (click is not checked:
    sqlite-utils itself imports it; the contract forbids our core modules to.)"""
    modules = sorted(core_modules_in_contract())
    code = (
        f"import importlib, sys; [importlib.import_module(m) for m in {modules!r}]; "
        f"print(sorted(m for m in {NOT_ON_IMPORT!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"the core imported {result.stdout.strip()}"
