from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click

from ..csv_safe import write_csv
from ..safe_text import terminal_safe
from .align_cmd import DEFAULTS
from .common import db_option, reports_errors

STORY_COLUMNS = ["id", "label", "articles", "outlets", "first_date", "last_date"]


@click.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "jsonl"]),
    default="text",
    show_default=True,
    help="text: one story a block; csv/jsonl: one story a row (articles and outlets "
    "'; '-joined in CSV).",
)
@click.option("--all", "include_lone", is_flag=True, help="List articles no one else reports too.")
@click.option(
    "--neighbours",
    type=click.IntRange(min=1),
    default=DEFAULTS.neighbours,
    show_default=True,
    help="As for 'align': most similar articles an article considers.",
)
@click.option(
    "--date-window",
    type=click.IntRange(min=0),
    default=DEFAULTS.date_window,
    show_default=True,
    help="As for 'align': days apart beyond which articles are not one story.",
)
@reports_errors
def stories(db: str, fmt: str, include_lone: bool, neighbours: int, date_window: int) -> None:
    """List the stories: articles of different outlets that report the same story.

    This is the first step of 'align': articles are linked when each is among
    the other's most similar (whole-article wording, names and numbers) and,
    when both are dated, they lie at most DATE-WINDOW days apart; a 'story'
    column in manifest.csv (or field in a corpus) declares stories by hand.
    Passages are compared only inside a story.

    \b
    Example:
      nato-compare stories --db annotations.db
      nato-compare stories --format csv > stories.csv
    """
    from ..alignment import AlignParams
    from ..alignment.database import stories_db

    params = AlignParams(neighbours=neighbours, date_window=date_window)
    found = stories_db(db, params, include_lone=include_lone)
    if fmt == "csv":
        write_csv(
            (
                {**asdict(s), "articles": "; ".join(s.articles), "outlets": "; ".join(s.outlets)}
                for s in found
            ),
            sys.stdout,
            STORY_COLUMNS,
        )
    elif fmt == "jsonl":
        for story in found:
            click.echo(json.dumps(asdict(story), ensure_ascii=False))
    else:
        for story in found:
            dates = " to ".join(dict.fromkeys(d for d in (story.first_date, story.last_date) if d))
            click.echo(
                f"{story.id}  {len(story.articles)} articles, {len(story.outlets)} outlets"
                f"{', ' + dates if dates else ''}: {terminal_safe(story.label)}"
            )
            for article in story.articles:
                click.echo(f"    {terminal_safe(article)}")
    if fmt == "text":
        click.echo(f"{len(found)} {'story' if len(found) == 1 else 'stories'}", err=True)
