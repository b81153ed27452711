from __future__ import annotations

import click

from ..alignment.aligner import AlignParams
from ..alignment.database import FORMATS, align_db
from .common import db_option, reports_errors, stderr_progress

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
    help="Minimum similarity (0-100) for a pair to be kept.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=DEFAULTS.top,
    show_default=True,
    help="Best counterparts each passage keeps in every other outlet.",
)
@click.option(
    "--min-links",
    type=click.IntRange(min=1),
    default=DEFAULTS.min_links,
    show_default=True,
    help="Pairs two articles must share for any of them to be kept (1 = no such rule).",
)
@click.option(
    "--common-share",
    type=NumberRange(0, 1, min_open=True),
    default=DEFAULTS.common_share,
    show_default=True,
    help="Words in more than this share of the passages name the corpus's topic and "
    "are set aside before scoring (1 = keep every word).",
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
    help="Worker processes for tokenising, normalising and evidence on large corpora "
    "(-1 = every core, 1 = none); the results are the same with any number.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the aligned pairs to this file ('-' = stdout).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="Format of --output.",
)
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
    top: int,
    min_links: int,
    common_share: float,
    per_article: int,
    processes: int,
    output: str | None,
    fmt: str,
    ignore_judgements: bool,
    evaluate: bool,
) -> None:
    """Find the passages that report the same event in different outlets.

    Every passage keeps its best counterpart(s) in every other outlet that
    score at least THRESHOLD (0-100: the probability, in percent, that the two
    report the same event), when their two articles share at least MIN_LINKS
    such pairs. Words found in more than COMMON_SHARE of the passages (the
    corpus's topic) are set aside before scoring. The pairs are grouped into
    events (at most PER_ARTICLE consecutive paragraphs of one article each) and
    stored in the database, replacing the previous run's (notes stay attached to
    events found again). With --output, the pairs are also written one per row:
    event_id, score, article/outlet/passage/text of both sides, and the
    evidence (shared numbers, words and names). Without --output nothing is
    written to stdout.

    The analysts' link judgements (made in 'nato-compare tui' or imported)
    steer the run: accepted links end in one event, rejected or detached ones
    never do (--ignore-judgements: not). --evaluate measures the current run
    against the judgements instead of aligning (see docs/reviewing.md).

    \b
    Example:
      nato-compare align --db annotations.db --output alignments.csv
      nato-compare align --threshold 50 --top 2 --output - --format jsonl
      nato-compare align --threshold 5 --min-links 1   # small, loosely related corpora
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
        top=top,
        min_links=min_links,
        common_share=common_share,
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
        f"{summary.candidates} candidate pairs scored, {summary.pairs} pairs kept "
        f"(score >= {threshold:g}, top {top}, min links {min_links}), {summary.events} events "
        f"in {summary.seconds:.1f} s{where}"
        + (
            f"; {summary.must_link} accepted and {summary.cannot_link} rejected links kept"
            if summary.must_link or summary.cannot_link
            else ""
        ),
        err=True,
    )
