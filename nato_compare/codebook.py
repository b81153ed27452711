"""Codebooks: the dimensions and labels annotators choose from, read from TOML.

A codebook is a plain TOML file (``nato_compare/codebooks/default.toml`` is the
default: the 15 frames of the Policy Frames Codebook and a stance toward "NATO
military support to Ukraine")::

    [codebook]
    name = "Policy frames and stance"

    [[dimensions]]
    name = "frame"          # stored in annotations.dimension
    title = "Frame"
    multi = true            # several labels per passage (false: one, replacing the last)
    description = "..."
    required = true         # a passage is coded completely only with a label here (default)

    [[dimensions.labels]]
    name = "Economic"       # stored in annotations.label
    key = "1"               # the single key that toggles it in the TUI
    description = "..."

:func:`validate_codebook` explains everything wrong with a file in plain
sentences; :func:`load_codebook` refuses an invalid file with the first problems.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import NatoCompareError

#: Keys the annotation interface uses for its own commands and navigation; a
#: codebook may not take them (arrows, tab, escape and enter are not characters
#: and cannot be codebook keys anyway). The TUI's tests check its bindings use
#: only these.
RESERVED_KEYS = frozenset("hjkl[]nurmefav<>/?q ydbswNFTUR,.")

#: Dimension names the store uses for other purposes.
RESERVED_DIMENSIONS = frozenset({"note"})

_CODEBOOK_FIELDS = {"name", "description"}
_DIMENSION_FIELDS = {"name", "title", "multi", "description", "target", "labels", "required"}
_LABEL_FIELDS = {"name", "key", "description"}


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    description: str = ""


@dataclass(frozen=True)
class Dimension:
    name: str
    title: str
    multi: bool
    labels: list[Label] = field(default_factory=list)
    description: str = ""
    target: str | None = None
    #: A passage is coded completely only when it has a label of every required dimension.
    required: bool = True

    def label(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        raise KeyError(f"dimension {self.name!r} has no label {name!r}")


@dataclass(frozen=True)
class Codebook:
    name: str
    dimensions: list[Dimension]
    description: str = ""
    path: str | None = None

    def dimension(self, name: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.name == name:
                return dimension
        raise KeyError(f"the codebook has no dimension {name!r}")

    @property
    def required(self) -> tuple[str, ...]:
        """The dimensions a passage needs a label of to count as coded completely."""
        return tuple(d.name for d in self.dimensions if d.required)

    def by_key(self) -> dict[str, tuple[Dimension, Label]]:
        """Every label's key → (dimension, label)."""
        return {label.key: (dim, label) for dim in self.dimensions for label in dim.labels}


def default_codebook_path() -> Path:
    return Path(__file__).with_name("codebooks") / "default.toml"


def _read_toml(path: Path) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [f"{path}: file not found"]
    except OSError as exc:
        return None, [f"{path}: cannot read ({exc.strerror})"]
    try:
        return tomllib.loads(raw.decode("utf-8")), []
    except UnicodeDecodeError:
        return None, [f"{path}: not a UTF-8 text file"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{path}: not valid TOML: {exc}"]


def _problems(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    header = data.get("codebook")
    if not isinstance(header, dict):
        problems.append("missing [codebook] table with a name")
    else:
        if not isinstance(header.get("name"), str) or not header["name"].strip():
            problems.append("[codebook] needs a non-empty name")
        for extra in sorted(set(header) - _CODEBOOK_FIELDS):
            problems.append(f"[codebook] has an unknown field {extra!r}")
    for extra in sorted(set(data) - {"codebook", "dimensions"}):
        problems.append(f"unknown top-level field {extra!r}")

    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        problems.append("no dimensions: add at least one [[dimensions]] table")
        return problems

    seen_dimensions: set[str] = set()
    keys: dict[str, str] = {}  # key -> "dimension/label" that took it
    for number, dim in enumerate(dimensions, 1):
        if not isinstance(dim, dict):
            problems.append(f"dimension {number} is not a table")
            continue
        name = dim.get("name")
        where = f"dimension {name!r}" if isinstance(name, str) and name else f"dimension {number}"
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where} needs a non-empty name")
        elif name in seen_dimensions:
            problems.append(f"{where} appears twice")
        elif name in RESERVED_DIMENSIONS:
            problems.append(f"{where}: the name {name!r} is reserved for notes")
        else:
            seen_dimensions.add(name)
        for extra in sorted(set(dim) - _DIMENSION_FIELDS):
            problems.append(f"{where} has an unknown field {extra!r}")
        for flag in ("multi", "required"):
            if flag in dim and not isinstance(dim[flag], bool):
                problems.append(f"{where}: {flag} must be true or false, not {dim[flag]!r}")
        for text_field in ("title", "description", "target"):
            if text_field in dim and not isinstance(dim[text_field], str):
                problems.append(f"{where}: {text_field} must be a string")

        labels = dim.get("labels")
        if not isinstance(labels, list) or not labels:
            problems.append(f"{where} has no labels: add [[dimensions.labels]] tables")
            continue
        seen_labels: set[str] = set()
        for label_number, label in enumerate(labels, 1):
            if not isinstance(label, dict):
                problems.append(f"{where}: label {label_number} is not a table")
                continue
            label_name = label.get("name")
            label_where = (
                f"label {label_name!r} of {where}"
                if isinstance(label_name, str) and label_name
                else f"label {label_number} of {where}"
            )
            if not isinstance(label_name, str) or not label_name.strip():
                problems.append(f"{label_where} needs a non-empty name")
            elif label_name in seen_labels:
                problems.append(f"{label_where} appears twice")
            else:
                seen_labels.add(label_name)
            for extra in sorted(set(label) - _LABEL_FIELDS):
                problems.append(f"{label_where} has an unknown field {extra!r}")
            key = label.get("key")
            if not isinstance(key, str) or len(key) != 1 or not key.isprintable():
                problems.append(f"{label_where}: key must be one printable character, not {key!r}")
            elif key in RESERVED_KEYS:
                problems.append(
                    f"{label_where}: key {key!r} is used by the interface "
                    f"(reserved: {' '.join(sorted(RESERVED_KEYS - {' '}))} and space)"
                )
            elif key in keys:
                problems.append(f"{label_where}: key {key!r} is already used by {keys[key]}")
            else:
                keys[key] = f"{name}/{label_name}"
    return problems


def validate_codebook(path: str | Path) -> list[str]:
    """Everything wrong with the codebook at ``path``, as sentences; empty when valid."""
    data, problems = _read_toml(Path(path))
    if data is None:
        return problems
    return _problems(data)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read a codebook (``None``: the default one); raise :class:`NatoCompareError` if invalid."""
    path = Path(path) if path is not None else default_codebook_path()
    data, problems = _read_toml(path)
    if data is None:
        raise NatoCompareError(f"invalid codebook {problems[0]}")
    problems = _problems(data)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise NatoCompareError(f"invalid codebook {path}: {problems[0]}{more}")
    header = data["codebook"]
    return Codebook(
        name=header["name"],
        description=header.get("description", ""),
        path=str(path),
        dimensions=[
            Dimension(
                name=dim["name"],
                title=dim.get("title") or dim["name"].capitalize(),
                multi=dim.get("multi", False),
                description=dim.get("description", ""),
                target=dim.get("target"),
                required=dim.get("required", True),
                labels=[
                    Label(label["name"], label["key"], label.get("description", ""))
                    for label in dim["labels"]
                ],
            )
            for dim in data["dimensions"]
        ],
    )
