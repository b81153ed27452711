"""Inter-coder agreement: Krippendorff's alpha (nominal) and pairwise Cohen's kappa.

Per dimension, over all passages and per outlet:

- **Units** are the passages coded by at least one annotator for the
  dimension; **coders** are the annotators. A coder who did not code a passage
  for the dimension has a *missing* code there (``nan``): alpha uses every unit
  with two or more codes, kappa the units both coders of the pair coded.
- **Single-label** dimensions (``stance``): the code is the label.
- **Multi-label** dimensions (``frame``): a coder has coded a passage when they
  gave it at least one label of the dimension. Each label is then a
  present/absent code per coded passage, with its own alpha and kappas.
  The **overall** figure (label ``*``) pools every passage × label decision
  into one binary alpha (and kappa) over ``units = passages × labels``.
  We pool rather than average per-label alphas because a label nobody or
  everybody used has no variation, so its alpha is undefined and a mean would
  be too (or silently drop it); pooling keeps every decision, weighs labels by
  how often they were at stake, and is still chance-corrected.

Alpha comes from the ``krippendorff`` package; kappa is computed here
(``(p_o - p_e) / (1 - p_e)``) and tested against scikit-learn. A figure is
``None`` when it is undefined: fewer than two coders, no unit coded by two
coders, or no variation at all in the codes (every code the same value).

Annotations with dimension ``note`` are free text and are not coded. The figures are of the
coders' own labels, before adjudication (:mod:`nato_compare.adjudication`); a figure resting
on fewer than :data:`FEW_UNITS` (10) pairable units carries a ``warning``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import NatoCompareError
from .store import exchange as sql

if TYPE_CHECKING:
    from .codebook import Codebook

if TYPE_CHECKING:
    from .codebook import Codebook
from .store import open_db

if TYPE_CHECKING:
    from .codebook import Codebook

ALL_OUTLETS = "all"
POOLED = "*"
#: A figure resting on fewer units than this is flagged: its value may swing with one unit.
FEW_UNITS = 10


@dataclass(frozen=True)
class Figure:
    dimension: str
    label: str  # "" single-label; a label name (present/absent); "*" pooled
    outlet: str  # "all" or an outlet key
    measure: str  # "alpha" or "kappa"
    coders: tuple[str, ...]  # alpha: coders with a code in these units; kappa: the pair
    units: int  # alpha: units coded by >= 1 coder; kappa: units both coders coded
    pairable: int  # units with codes from >= 2 coders (what the figure rests on)
    value: float | None  # None = undefined (see ``reason``)
    reason: str = ""

    @property
    def warning(self) -> str:
        """Why the figure is not to be trusted much: it rests on fewer than 10 units."""
        if self.value is not None and self.pairable < FEW_UNITS:
            return f"rests on {self.pairable} units (fewer than {FEW_UNITS})"
        return ""


def krippendorff_alpha(matrix: np.ndarray) -> float | None:
    """Nominal alpha of a coders × units matrix of integer codes (``nan`` = missing)."""
    import krippendorff

    values = matrix[~np.isnan(matrix)]
    if values.size == 0:
        return None
    pairable = np.sum(~np.isnan(matrix), axis=0) >= 2
    if (
        not pairable.any()
        or np.unique(matrix[:, pairable][~np.isnan(matrix[:, pairable])]).size < 2
    ):
        return None
    domain = np.unique(values)
    return float(
        krippendorff.alpha(
            reliability_data=matrix, value_domain=domain, level_of_measurement="nominal"
        )
    )


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' codes for the same units; ``None`` when ``p_e == 1``."""
    if len(a) != len(b):
        raise ValueError("both coders need a code for every unit")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a: defaultdict[Hashable, int] = defaultdict(int)
    count_b: defaultdict[Hashable, int] = defaultdict(int)
    for x, y in zip(a, b):
        count_a[x] += 1
        count_b[y] += 1
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if expected >= 1.0:
        return None
    return float((observed - expected) / (1.0 - expected))


def _why_undefined(coders: int, pairable: int) -> str:
    if coders < 2:
        return "fewer than two coders"
    if pairable == 0:
        return "no unit coded by two coders"
    return "no variation in the codes"


def _figures(
    dimension: str,
    label: str,
    outlet: str,
    codes: Mapping[str, Mapping[Any, Any]],
    units: list[Any],
) -> list[Figure]:
    """Alpha and pairwise kappas for ``codes`` (coder → unit → code) over ``units``."""
    coders = sorted(c for c in codes if any(u in codes[c] for u in units))
    domain = sorted({codes[c][u] for c in coders for u in units if u in codes[c]})
    index = {v: i for i, v in enumerate(domain)}
    matrix = np.full((len(coders), len(units)), np.nan)
    for i, coder in enumerate(coders):
        for j, unit in enumerate(units):
            if unit in codes[coder]:
                matrix[i, j] = index[codes[coder][unit]]
    pairable = int(np.sum(np.sum(~np.isnan(matrix), axis=0) >= 2))
    alpha = krippendorff_alpha(matrix) if len(coders) >= 2 else None
    out = [
        Figure(
            dimension,
            label,
            outlet,
            "alpha",
            tuple(coders),
            len(units),
            pairable,
            alpha,
            "" if alpha is not None else _why_undefined(len(coders), pairable),
        )
    ]
    for first, second in combinations(coders, 2):
        shared = [u for u in units if u in codes[first] and u in codes[second]]
        kappa = cohen_kappa([codes[first][u] for u in shared], [codes[second][u] for u in shared])
        reason = (
            ""
            if kappa is not None
            else ("no unit coded by both" if not shared else "no variation in the codes")
        )
        out.append(
            Figure(
                dimension,
                label,
                outlet,
                "kappa",
                (first, second),
                len(shared),
                len(shared),
                kappa,
                reason,
            )
        )
    return out


def compute_agreement(
    rows: Iterable[dict[str, Any]],
    multi: Iterable[str] = ("frame",),
    label_order: Sequence[str] = (),
) -> list[Figure]:
    """Figures for coded rows (``annotator``, ``passage_id``, ``dimension``, ``label``, ``outlet_key``).

    ``multi`` names the multi-label dimensions; a dimension where some coder
    gave one passage two labels is treated as multi-label too. Per-label
    figures follow ``label_order`` (the codebook's), then the other labels by name.
    """
    rank = {name: i for i, name in enumerate(label_order)}
    labels: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    outlet_of: dict[str, str] = {}
    for row in rows:
        labels[row["dimension"]][(row["annotator"], row["passage_id"])].add(row["label"])
        outlet_of[row["passage_id"]] = row["outlet_key"]
    multi = set(multi)
    figures: list[Figure] = []
    for dimension in sorted(labels):
        coded = labels[dimension]
        passages = sorted({p for _, p in coded})
        groups = [(ALL_OUTLETS, passages)] + [
            (o, [p for p in passages if outlet_of[p] == o])
            for o in sorted({outlet_of[p] for p in passages})
        ]
        if dimension in multi or any(len(v) > 1 for v in coded.values()):
            names = sorted(set().union(*coded.values()), key=lambda n: (rank.get(n, len(rank)), n))
            for outlet, units in groups:
                for name in names:
                    codes: defaultdict[str, dict[str, int]] = defaultdict(dict)
                    for (coder, passage), given in coded.items():
                        codes[coder][passage] = int(name in given)
                    figures += _figures(dimension, name, outlet, codes, units)
                pooled: defaultdict[str, dict[tuple[str, str], int]] = defaultdict(dict)
                for (coder, passage), given in coded.items():
                    for name in names:
                        pooled[coder][(passage, name)] = int(name in given)
                figures += _figures(
                    dimension, POOLED, outlet, pooled, [(p, n) for p in units for n in names]
                )
        else:
            single: defaultdict[str, dict[str, str]] = defaultdict(dict)
            for (coder, passage), given in coded.items():
                single[coder][passage] = next(iter(given))
            for outlet, units in groups:
                figures += _figures(dimension, "", outlet, single, units)
    return figures


def agreement(
    db_path: str | Path, dimension: str | None = None, codebook: Codebook | None = None
) -> list[Figure]:
    """Agreement figures for the annotations in ``db_path`` (all coded dimensions, or one).

    ``codebook`` (a :class:`~nato_compare.codebook.Codebook`; default: the default one) says
    which dimensions are multi-label and the order of their labels."""
    db = open_db(db_path, create=False)
    try:
        known = [d for d in sql.dimensions(db) if d != "note"]
        if dimension is not None and dimension not in known:
            raise NatoCompareError(
                f"no annotations for dimension {dimension!r} in {db_path} "
                f"(coded dimensions: {', '.join(known) or 'none'})"
            )
        rows = sql.coded_rows(db, dimension)
        coders = sorted({r["annotator"] for r in rows})
    finally:
        db.close()
    if len(coders) < 2:
        raise NatoCompareError(
            f"agreement needs annotations by two or more annotators; {db_path} has "
            f"{len(coders)}{' (' + ', '.join(coders) + ')' if coders else ''}"
        )
    from .codebook import load_codebook

    book = codebook or load_codebook()
    # multi-label per the codebook; a dimension it does not know is multi-label only if the data is
    multi = {d.name for d in book.dimensions if d.multi}
    order = [label.name for d in book.dimensions for label in d.labels]
    return compute_agreement(rows, multi, order)
