"""``adjudicate``: list where coders disagree, side by side, and record the final labels."""

from __future__ import annotations

import json
import textwrap

import click

from ..adjudication import PassageCoding, decide, disagreements
from ..codebook import Codebook, load_codebook
from .codebook_cmd import codebook_option
from .common import db_option, format_option, reports_errors


def _shown(text: str) -> str:
    """Text from sources and coders as data: control characters (escape sequences, bells)
    shown as spaces, never sent to the terminal."""
    return "".join(c if c.isprintable() else " " for c in text)


def _unit_text(number: int, total: int, unit: PassageCoding, width: int = 100) -> str:
    lines = [f"[{number}/{total}] {unit.dimension} · {_shown(unit.outlet)} · {unit.passage_id}"]
    if unit.decision:
        lines.append(
            f"  decided by {_shown(unit.adjudicator)}: {', '.join(unit.decision)}"
            f" — {_shown(unit.reason)} ({unit.decided_at})"
        )
    excerpt = textwrap.shorten(_shown(unit.text), width=3 * width, placeholder=" …")
    lines += textwrap.wrap(excerpt, width=width, initial_indent="  ", subsequent_indent="  ")
    coders = list(unit.labels)
    name_width = max(len("coder"), *(len(c) for c in coders))
    label_texts = {c: ", ".join(unit.labels[c]) for c in coders}
    label_width = max(len("labels"), *(len(t) for t in label_texts.values()))
    lines.append(f"  {'coder'.ljust(name_width)}  {'labels'.ljust(label_width)}  note")
    for coder in coders:
        note = _shown(unit.notes.get(coder, ""))
        lines.append(
            f"  {_shown(coder).ljust(name_width)}  {label_texts[coder].ljust(label_width)}  {note}".rstrip()
        )
    return "\n".join(lines)


def _record(unit: PassageCoding) -> dict:
    return {
        "passage_id": unit.passage_id,
        "dimension": unit.dimension,
        "outlet": unit.outlet,
        "coders": {c: list(v) for c, v in unit.labels.items()},
        "notes": unit.notes,
        "decision": list(unit.decision),
        "adjudicator": unit.adjudicator,
        "reason": unit.reason,
        "decided_at": unit.decided_at,
        "passage_text": unit.text,
    }


def _parse_labels(answer: str, dimension: str, book: Codebook) -> list[str]:
    """Labels typed as keys or names, separated by commas (keys may also be run together)."""
    dim = book.dimension(dimension)
    by_key = {label.key: label.name for label in dim.labels}
    by_name = {label.name.casefold(): label.name for label in dim.labels}
    chosen = []
    for part in (p.strip() for p in answer.split(",")):
        if not part:
            continue
        if part.casefold() in by_name:
            chosen.append(by_name[part.casefold()])
        elif all(c in by_key for c in part.replace(" ", "")):
            chosen += [by_key[c] for c in part.replace(" ", "")]
        else:
            raise click.BadParameter(f"{part!r} is neither a {dimension} label nor its key")
    return list(dict.fromkeys(chosen))


def _interactive(db: str, units: list[PassageCoding], by: str, book: Codebook) -> int:
    decided = 0
    for number, unit in enumerate(units, 1):
        click.echo("\n" + _unit_text(number, len(units), unit))
        dim = book.dimension(unit.dimension)
        keys = "  ".join(f"{label.key}={label.name}" for label in dim.labels)
        click.echo(textwrap.fill(f"  keys: {keys}", width=100, subsequent_indent="        "))
        while True:
            answer = click.prompt(
                f"  final {unit.dimension} (keys or names, Enter skips, q stops)",
                default="",
                show_default=False,
            ).strip()
            if answer.lower() == "q":
                return decided
            if not answer:
                break
            try:
                labels = _parse_labels(answer, unit.dimension, book)
            except click.BadParameter as problem:
                click.echo(f"  {problem.message}", err=True)
                continue
            if not dim.multi and len(labels) != 1:
                click.echo(f"  {unit.dimension} takes exactly one label", err=True)
                continue
            reason = ""
            while not reason:
                reason = click.prompt("  why", default="", show_default=False).strip()
            decide(db, unit.passage_id, unit.dimension, labels, by, reason, book)
            click.echo(f"  recorded: {', '.join(labels)}")
            decided += 1
            break
    return decided


@click.command()
@db_option
@click.option("--dimension", help="Only this dimension (e.g. frame or stance).")
@click.option("--undecided", is_flag=True, help="List only the units nobody has decided yet.")
@format_option("text", "jsonl", default="text", note="(the list of disagreements)")
@click.option("--by", "adjudicator", metavar="NAME", help="Who decides (records decisions).")
@click.option("--passage", metavar="ID", help="The passage to decide (with --by, --label).")
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="LABEL",
    help="A final label of the unit (repeat for several frames).",
)
@click.option("--reason", default="", help="Why this is the final label (required to decide).")
@codebook_option("whose labels the decisions use")
@reports_errors
def adjudicate(
    db: str,
    dimension: str | None,
    undecided: bool,
    fmt: str,
    adjudicator: str | None,
    passage: str | None,
    labels: tuple[str, ...],
    reason: str,
    codebook_path: str | None,
) -> None:
    """List the units where coders disagree and record the final (adjudicated) labels.

    A unit is a passage in one dimension; coders disagree when two or more
    coded it with different labels. Without --by, every disagreement is
    listed with each coder's labels and notes side by side (and the decision,
    if made). With --by NAME and --passage, --dimension, --label and --reason,
    one decision is recorded; with --by NAME alone, the undecided units are
    walked through one by one, asking for the final labels and the reason.
    Decisions are stored in the adjudications table (who, why, when); 'report'
    and 'export' use them with --labels adjudicated. 'agreement' always
    reports the coders' own labels, before adjudication.

    \b
    Example:
      nato-compare adjudicate --db annotations.db --dimension stance
      nato-compare adjudicate --by carol
      nato-compare adjudicate --by carol --passage p-2853d3a2 --dimension stance \\
          --label AGAINST --reason "quotes the minister approvingly"
    """
    book = load_codebook(codebook_path)
    if passage is not None or labels:
        if not (adjudicator and passage and dimension and labels):
            raise click.UsageError(
                "recording a decision needs --by, --passage, --dimension and --label"
            )
        decide(db, passage, dimension, list(labels), adjudicator, reason, book)
        click.echo(f"recorded: {passage} {dimension} = {', '.join(labels)} (by {adjudicator})")
        return
    units = disagreements(db, dimension, undecided_only=undecided or adjudicator is not None)
    if adjudicator is not None:
        if not units:
            click.echo("No undecided disagreements.", err=True)
            return
        decided = _interactive(db, units, adjudicator, book)
        click.echo(f"\n{decided} of {len(units)} undecided units decided.", err=True)
        return
    if fmt == "jsonl":
        for unit in units:
            click.echo(json.dumps(_record(unit), ensure_ascii=False))
        return
    if not units:
        click.echo("No disagreements" + (" left undecided." if undecided else "."), err=True)
        return
    click.echo("\n\n".join(_unit_text(i, len(units), u) for i, u in enumerate(units, 1)))
    open_units = sum(1 for u in units if not u.decision)
    click.echo(f"\n{len(units)} disagreements, {open_units} undecided.", err=True)
