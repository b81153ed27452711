"""nato-compare: compare how outlets cover the same events; annotate framing and stance.

``from nato_compare import align, evidence, similarity`` gives the three functions. They are
imported on first use (PEP 562), so importing another part of the package (the command line,
the annotation interface, the store) does not pay for NumPy and RapidFuzz.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

# Exported name -> the submodule defining a function of the same name.
_LAZY_FUNCTIONS = {"align": ".align", "evidence": ".evidence", "similarity": ".similarity"}

__all__ = ["align", "evidence", "similarity"]


def __getattr__(name: str) -> Any:
    if name in _LAZY_FUNCTIONS:
        function = getattr(import_module(_LAZY_FUNCTIONS[name], __name__), name)
        globals()[name] = function  # later look-ups find it directly
        return function
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_FUNCTIONS))


class _Package(types.ModuleType):
    """Keeps ``nato_compare.align`` (and the other two) the function, not the submodule.

    Importing a submodule binds it to the package attribute of the same name once it has
    loaded; with the functions imported lazily that would happen after (or instead of)
    exporting the function, so which one ``from nato_compare import align`` gave would
    depend on import order.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY_FUNCTIONS and isinstance(value, types.ModuleType) \
                and value.__name__ == f"{__name__}.{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
