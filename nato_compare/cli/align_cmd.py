from __future__ import annotations

import click

from ..alignment.aligner import AlignParams
from ..alignment.database import FORMATS, align_db
from .common import db_option, format_option, reports_errors, stderr_progress

DEFAULTS = AlignParams()


class NumberRange(click.FloatRange):
    """A number in a range, and a number at all: FloatRange lets 'nan' through."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if number != number:
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


@click.command()
@db_option
@click.option(
    "--threshold",
    type=NumberRange(0, 100),
    default=DEFAULTS.threshold,
    show_default=True,
    help="Probability (in percent) that two sentences state the same fact from which "
    "they are paired; higher pairs fewer, surer.",
)
@click.option(
    "--neighbours",
    type=click.IntRange(min=1),
    default=DEFAULTS.neighbours,
    show_default=True,
    help="Most similar articles of other outlets an article considers for its story "
    "(linked only when each is among the other's).",
)
@click.option(
    "--date-window",
    type=click.IntRange(min=0),
    default=DEFAULTS.date_window,
    show_default=True,
    help="Articles whose known dates lie more days apart are not the same story.",
)
@click.option(
    "--per-article",
    type=click.IntRange(min=1),
    default=DEFAULTS.per_article,
    show_default=True,
    help="Passages of one article an event may hold, consecutive paragraphs only "
    "(1 = one per article).",
)
@click.option(
    "--processes",
    type=int,
    default=-1,
    show_default=True,
    help="Worker processes for counting words, comparing articles, normalising sentences "
    "and the evidence on large corpora (-1 = every core, 1 = none); the results are the same "
    "with any number.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the aligned pairs to this file ('-' = stdout).",
)
@format_option(*FORMATS, default="csv", note="(of --output)")
@click.option(
    "--ignore-judgements",
    is_flag=True,
    help="Align without the analysts' accepted and rejected links (by default accepted links "
    "are kept together and rejected ones apart).",
)
@click.option(
    "--evaluate",
    is_flag=True,
    help="Align nothing: print the precision and recall of the current run against the "
    "stored link judgements, per outlet pair, with 95% intervals.",
)
@reports_errors
def align(
    db: str,
    threshold: float,
    neighbours: int,
    date_window: int,
    per_article: int,
    processes: int,
    output: str | None,
    fmt: str,
    ignore_judgements: bool,
    evaluate: bool,
) -> None:
    """Find what different outlets report about the same event.

    First, articles that tell the same story are linked: each is among the
    other's NEIGHBOURS most similar articles (whole-article wording, names and
    numbers), published within DATE-WINDOW days when both dates are known; a
    'story' column in manifest.csv (or field in a corpus) declares stories by
    hand and wins. Then, inside linked articles, each sentence is paired with
    its best counterpart when the two report the same fact with a probability
    of at least THRESHOLD percent; anything less stays unpaired ("no
    counterpart" is the common answer; a sentence of fewer than three content
    words, or one sharing fewer than two with the other, is never paired).
    Paired sentences are grouped into events (a paragraph that states two facts
    can stand in two; at most PER_ARTICLE consecutive paragraphs of one article
    each) and stored in the database, replacing the previous run's; an
    analyst's accepted and rejected links are kept. With --output, the pairs are also written one per
    row: event_id, score, both passages and the evidence (the matching
    sentences, shared numbers, words and names).

    The analysts' link judgements (made in 'nato-compare tui' or imported)
    steer the run: accepted links end in one event, rejected or detached ones
    never do (--ignore-judgements: not). --evaluate measures the current run
    against the judgements instead of aligning (see docs/reviewing.md).

    \b
    Example:
      nato-compare align --db annotations.db --output alignments.csv
      nato-compare align --threshold 60 --output - --format jsonl   # surer pairs only
      nato-compare align --ignore-judgements && nato-compare align --evaluate
    """
    if evaluate:
        if output or ignore_judgements:
            raise click.UsageError(
                "--evaluate aligns nothing: it takes no --output or --ignore-judgements"
            )
        from ..alignment.evaluation import evaluate_run, evaluation_table

        result = evaluate_run(db)
        click.echo(evaluation_table(result), nl=False)
        must, cannot = result.steered
        if must or cannot:
            click.echo(
                f"warning: run {result.run_id} was made with {must} accepted and {cannot} "
                "rejected links steering it, so those pairs are right by construction; "
                "run 'nato-compare align --ignore-judgements' for an independent measure",
                err=True,
            )
        return
    params = AlignParams(
        threshold=threshold,
        neighbours=neighbours,
        date_window=date_window,
        per_article=per_article,
        processes=processes,
    )
    with stderr_progress("aligning") as update:
        summary = align_db(
            db,
            params,
            progress=update,
            output=output,
            fmt=fmt,
            use_judgements=not ignore_judgements,
        )
    where = {None: "", "-": " -> stdout"}.get(summary.output, f" -> {summary.output}")
    click.echo(
        f"{summary.passages} passages from {summary.outlets} outlets: "
        f"{_count(summary.candidates, 'sentence pair')} scored, "
        f"{_count(summary.pairs, 'pair')} kept (probability >= {threshold:g} %), "
        f"{_count(summary.events, 'event')} "
        f"in {summary.seconds:.1f} s{where}"
        + (
            f"; {summary.must_link} accepted and {summary.cannot_link} rejected links kept"
            if summary.must_link or summary.cannot_link
            else ""
        ),
        err=True,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
