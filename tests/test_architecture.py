"""The domain core stays free of the UI: checked by import-linter on every test run."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import REPO

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


def test_import_contract_is_kept() -> None:
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
