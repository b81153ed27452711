"""The package stays readable: a module past 400 lines says at its top why it is that long."""

from __future__ import annotations

import pytest

from tests.common import REPO

LIMIT = 400
REASON = "# Over 400 lines: "

MODULES = sorted((REPO / "nato_compare").rglob("*.py"))


def test_modules_are_found() -> None:
    assert any(path.name == "aligner.py" for path in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_a_long_module_says_why_at_its_top(path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) <= LIMIT:
        return
    top = lines[:60]
    reasons = [line for line in top if line.startswith(REASON) and line[len(REASON) :].strip()]
    assert reasons, f"{len(lines)} lines and no '{REASON}…' line near the top"
