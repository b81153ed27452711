"""Per-outlet distribution of frames and stance: a table, a terminal chart and a PNG.

The unit counted is an annotation: one label one annotator gave one passage
(two annotators who both mark a passage ``Economic`` count twice). ``share`` is
the label's part of all the outlet's labels in that dimension, so an outlet's
shares add up to 1 per dimension, for the multi-label ``frame`` as well (a
passage with two frames gives two frame labels). Notes are not counted.
Outlets recorded as ``unknown`` are shown per article (``unknown:<article id>``).

Plotting libraries are imported inside the functions that draw, so importing
this module (and the core) stays light.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from pathlib import Path

from .errors import NatoCompareError, require
from .store import open_db
from .store import exchange as sql

# One character per label in the terminal chart (plotext cycles through them).
_MARKERS = ["#", "=", ".", "+", "*", "o", "x", "%", "@", "~", ":", "/", "\\", "&", "$"]


def distribution(db_path: str | Path, *, annotator: str | None = None) -> list[dict]:
    """Rows ``outlet, dimension, label, count, share`` ordered by dimension, outlet, label order."""
    db = open_db(db_path, create=False)
    try:
        if annotator is not None and annotator not in (known := sql.annotators(db)):
            raise NatoCompareError(
                f"unknown annotator {annotator!r} (annotators in {db_path}: {', '.join(known) or 'none'})"
            )
        rows = [r for r in sql.coded_rows(db) if annotator is None or r["annotator"] == annotator]
    finally:
        db.close()
    if not rows:
        raise NatoCompareError(f"no frame or stance annotations in {db_path}")
    counts = Counter((r["dimension"], r["outlet_key"], r["label"]) for r in rows)
    totals = Counter((r["dimension"], r["outlet_key"]) for r in rows)
    order = _label_order(rows)
    table = [
        {
            "outlet": outlet,
            "dimension": dimension,
            "label": label,
            "count": n,
            "share": n / totals[(dimension, outlet)],
        }
        for (dimension, outlet, label), n in counts.items()
    ]
    table.sort(key=lambda r: (r["dimension"], r["outlet"], order[r["dimension"]].index(r["label"])))
    return table


def _label_order(rows: list[dict]) -> dict[str, list[str]]:
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


def _series(table: list[dict]) -> dict[str, tuple[list[str], list[str], list[list[float]]]]:
    """Per dimension: outlets, labels and shares[label][outlet] for stacked bars."""
    out = {}
    for dimension in sorted({r["dimension"] for r in table}):
        rows = [r for r in table if r["dimension"] == dimension]
        outlets = sorted({r["outlet"] for r in rows})
        labels = list(dict.fromkeys(r["label"] for r in rows))
        share = {(r["label"], r["outlet"]): r["share"] for r in rows}
        out[dimension] = (
            outlets,
            labels,
            [[share.get((label, o), 0.0) for o in outlets] for label in labels],
        )
    return out


def terminal_chart(table: list[dict], width: int = 100, height: int | None = None) -> str:
    """Stacked horizontal bars of label shares per outlet, one chart per dimension (plain text)."""
    import plotext as plt

    figure = plt.figure
    parts = []
    for dimension, (outlets, labels, shares) in _series(table).items():
        figure.clear()
        plt.terminal.limit(False, False)  # draw at the size asked, not the terminal's
        figure.plot_size(width, height or 4 + 3 * len(outlets))
        figure.theme("colorless")
        figure.title(f"{dimension}: share of labels per outlet")
        markers = (_MARKERS * (len(labels) // len(_MARKERS) + 1))[: len(labels)]
        names = _short_names(outlets)
        figure.draw(figure.bar(names, shares, orientation="h", stacked=True, marker=markers))
        figure.ruler("x").lim(0, 1)
        legend = "  ".join(f"{m} {label}" for m, label in zip(markers, labels))
        parts.append(figure.build().string(colorless=True).rstrip() + "\n" + legend)
    return "\n\n".join(parts) + "\n"


def _short_names(outlets: list[str], limit: int = 30) -> list[str]:
    """Outlet names cut to ``limit`` characters (unknown outlets carry a long article id), kept distinct."""
    names: list[str] = []
    for outlet in outlets:
        name = outlet if len(outlet) <= limit else outlet[: limit - 1] + "…"
        while name in names:
            name = name[:-2] + "…" + str(len(names))[-1]
        names.append(name)
    return names


def render_image(table: list[dict]) -> bytes:
    """A PNG with one stacked bar chart per dimension (matplotlib, Agg backend)."""
    matplotlib = require("matplotlib", "plot", "the report's PNG")
    matplotlib.use("Agg")
    plt = require("matplotlib.pyplot", "plot", "the report's PNG")

    series = _series(table)
    heights = [1.2 + 0.45 * len(outlets) for outlets, _, _ in series.values()]
    fig, axes = plt.subplots(
        len(series),
        1,
        figsize=(11, sum(heights) + 0.6 * len(series)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    colours = plt.get_cmap("tab10").colors + plt.get_cmap("Set2").colors
    for ax, (dimension, (outlets, labels, shares)) in zip(axes[:, 0], series.items()):
        left = [0.0] * len(outlets)
        for i, (label, values) in enumerate(zip(labels, shares)):
            ax.barh(
                _short_names(outlets, 40),
                values,
                left=left,
                label=label,
                color=colours[i % len(colours)],
            )
            left = [a + b for a, b in zip(left, values)]
        ax.set_xlim(0, 1)
        ax.set_title(f"{dimension}: share of labels per outlet")
        ax.invert_yaxis()
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def write_image(table: list[dict], path: Path) -> None:
    """Render the PNG and write it atomically (a temp file beside ``path``, then a rename)."""
    from .output_files import atomic_output

    image = render_image(table)
    with atomic_output(path, binary=True) as stream:
        stream.write(image)
