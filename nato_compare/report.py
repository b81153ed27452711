"""Per-outlet distribution of frames and stance: a table, a terminal chart and a PNG.

The unit counted is an annotation: one label one coder gave one passage. Whose labels are
counted is always said, never summed silently (``labels``):

- ``all`` (the default): every coder's labels, **each coder on their own rows and bars**;
- ``adjudicated``: the final labels (:mod:`nato_compare.adjudication`): a decision, or the
  coders' shared labels where they agree; undecided disagreements are left out and counted;
- an annotator's name: that coder's labels only.

``share`` is the label's part of all the labels in that dimension for that outlet (and coder),
so shares add up to 1 per bar, for the multi-label ``frame`` as well (a passage with two frames
gives two frame labels). ``n`` is that number of labels and ``passages`` the passages they were
given to; every table row and every bar carries them. Notes are not counted. Outlets recorded
as ``unknown`` are shown per article (``unknown:<article id>``), their names never cut.

Plotting libraries are imported inside the functions that draw, so importing
this module (and the core) stays light.
"""

from __future__ import annotations

from typing import Any

import io
import textwrap
from collections import Counter, defaultdict
from pathlib import Path

from .adjudication import ALL, label_rows
from .errors import NatoCompareError, require
from .store import open_db
from .store import exchange as sql

# One character per label in the terminal chart (plotext cycles through them).
_MARKERS = ["#", "=", ".", "+", "*", "o", "x", "%", "@", "~", ":", "/", "\\", "&", "$"]


def distribution(
    db_path: str | Path, *, labels: str = ALL, annotator: str | None = None
) -> list[dict[str, Any]]:
    """Rows ``labels, dimension, outlet, label, count, share, n, passages`` ordered by
    dimension, outlet, coder and label order. ``annotator`` is the same as ``labels=NAME``."""
    if annotator is not None:
        labels = annotator
    db = open_db(db_path, create=False)
    try:
        if labels not in (ALL, "adjudicated") and labels not in (known := sql.annotators(db)):
            raise NatoCompareError(
                f"unknown annotator {labels!r} (annotators in {db_path}: "
                f"{', '.join(known) or 'none'})"
            )
        rows, bases = label_rows(db, labels)
    finally:
        db.close()
    if not rows:
        left = f" ({bases['open']} undecided disagreements left out)" if bases else ""
        raise NatoCompareError(f"no frame or stance labels to count in {db_path}{left}")
    counts = Counter((r["annotator"], r["dimension"], r["outlet_key"], r["label"]) for r in rows)
    totals = Counter((r["annotator"], r["dimension"], r["outlet_key"]) for r in rows)
    passages: dict[tuple, set] = defaultdict(set)
    for r in rows:
        passages[(r["annotator"], r["dimension"], r["outlet_key"])].add(r["passage_id"])
    order = _label_order(rows)
    table = [
        {
            "labels": source,
            "dimension": dimension,
            "outlet": outlet,
            "label": label,
            "count": n,
            "share": n / totals[(source, dimension, outlet)],
            "n": totals[(source, dimension, outlet)],
            "passages": len(passages[(source, dimension, outlet)]),
        }
        for (source, dimension, outlet, label), n in counts.items()
    ]
    table.sort(
        key=lambda r: (
            r["dimension"],
            r["outlet"],
            r["labels"],
            order[r["dimension"]].index(r["label"]),
        )
    )
    return table


def open_disagreements(db_path: str | Path) -> int:
    """Undecided disagreements, which ``labels='adjudicated'`` leaves out."""
    db = open_db(db_path, create=False)
    try:
        _, bases = label_rows(db, "adjudicated")
    finally:
        db.close()
    return bases["open"] if bases is not None else 0


def _label_order(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Labels per dimension in codebook order when the codebook knows them, then by frequency."""
    from .codebook import load_codebook

    book = {d.name: [label.name for label in d.labels] for d in load_codebook().dimensions}
    frequency: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        frequency[row["dimension"]][row["label"]] += 1
    order = {}
    for dimension, seen in frequency.items():
        known = [name for name in book.get(dimension, []) if name in seen]
        order[dimension] = known + [name for name, _ in seen.most_common() if name not in known]
    return order


def _series(
    table: list[dict[str, Any]],
) -> dict[str, tuple[list[str], list[str], list[list[float]]]]:
    """Per dimension: bar names (outlet, and the coder when there are several, with n), labels
    and shares[label][bar] for stacked bars."""
    out = {}
    for dimension in sorted({r["dimension"] for r in table}):
        rows = [r for r in table if r["dimension"] == dimension]
        sources = sorted({r["labels"] for r in rows})
        bars = list(dict.fromkeys((r["outlet"], r["labels"]) for r in rows))
        size = {(r["outlet"], r["labels"]): (r["n"], r["passages"]) for r in rows}
        names = []
        for outlet, source in bars:
            n, passages = size[(outlet, source)]
            who = f" · {source}" if len(sources) > 1 or source == "adjudicated" else ""
            names.append(f"{outlet}{who} (n={n}, {passages} passages)")
        labels = list(dict.fromkeys(r["label"] for r in rows))
        share = {(r["label"], r["outlet"], r["labels"]): r["share"] for r in rows}
        out[dimension] = (
            names,
            labels,
            [[share.get((label, *bar), 0.0) for bar in bars] for label in labels],
        )
    return out


def terminal_chart(table: list[dict[str, Any]], width: int = 100, height: int | None = None) -> str:
    """Stacked horizontal bars of label shares per outlet (and coder), one chart per dimension
    (plain text). Bars are numbered; the names, never cut, are listed under each chart."""
    import plotext as plt

    figure = plt.figure
    parts = []
    for dimension, (names, labels, shares) in _series(table).items():
        figure.clear()
        plt.terminal.limit(False, False)  # draw at the size asked, not the terminal's
        figure.plot_size(width, height or 4 + 3 * len(names))
        figure.theme("colorless")
        figure.title(f"{dimension}: share of labels per outlet")
        markers = (_MARKERS * (len(labels) // len(_MARKERS) + 1))[: len(labels)]
        numbers = [str(i) for i in range(1, len(names) + 1)]
        figure.draw(figure.bar(numbers, shares, orientation="h", stacked=True, marker=markers))
        figure.ruler("x").lim(0, 1)
        legend = "  ".join(f"{m} {label}" for m, label in zip(markers, labels))
        bars = "\n".join(
            textwrap.fill(f"{i}  {name}", width=width, subsequent_indent="   ")
            for i, name in zip(numbers, names)
        )
        parts.append(figure.build().string(colorless=True).rstrip() + "\n" + legend + "\n" + bars)
    return "\n\n".join(parts) + "\n"


#: Colour sets, one per dimension in turn; no colour is in two sets, so a colour names one
#: label of one dimension (the stance colours are not frame colours).
PALETTES = [
    [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#bcbd22",
        "#17becf",
        "#aec7e8",
        "#ffbb78",
        "#98df8a",
        "#c5b0d5",
        "#c49c94",
        "#f7b6d2",
        "#dbdb8d",
        "#9edae5",
    ],
    # the second set (stance: FAVOR, AGAINST, NONE) dark green, dark red, dark grey first
    ["#1b7837", "#b2182b", "#4d4d4d", "#762a83", "#2166ac", "#f4a582", "#92c5de", "#bababa"],
]


def dimension_colours(index: int, count: int) -> list[str]:
    """``count`` colours for the labels of the ``index``-th dimension of the chart."""
    palette = PALETTES[index % len(PALETTES)]
    return [palette[i % len(palette)] for i in range(count)]


def render_image(table: list[dict[str, Any]]) -> bytes:
    """A PNG with one stacked bar chart per dimension (matplotlib, Agg backend)."""
    matplotlib = require("matplotlib", "plot", "the report's PNG")
    matplotlib.use("Agg")
    plt = require("matplotlib.pyplot", "plot", "the report's PNG")

    series = _series(table)
    heights = [1.2 + 0.5 * len(names) for names, _, _ in series.values()]
    fig, axes = plt.subplots(
        len(series),
        1,
        figsize=(12, sum(heights) + 0.6 * len(series)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for index, (ax, (dimension, (names, labels, shares))) in enumerate(
        zip(axes[:, 0], series.items())
    ):
        colours = dimension_colours(index, len(labels))
        # Long names (unknown:<article id>) wrap onto more lines instead of being cut.
        ticks = [textwrap.fill(name, width=42) for name in names]
        left = [0.0] * len(names)
        for colour, label, values in zip(colours, labels, shares):
            ax.barh(ticks, values, left=left, label=label, color=colour)
            left = [a + b for a, b in zip(left, values)]
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of the bar's labels (n = labels, and the passages they were given to)")
        ax.set_title(f"{dimension}: share of labels per outlet")
        ax.invert_yaxis()
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def write_image(table: list[dict[str, Any]], path: Path) -> None:
    """Render the PNG and write it atomically (a temp file beside ``path``, then a rename)."""
    from .output_files import atomic_output

    image = render_image(table)
    with atomic_output(path, binary=True) as stream:
        stream.write(image)
