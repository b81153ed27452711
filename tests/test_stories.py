"""The stories command: which articles report the same story, before any passage is compared."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from tests.test_align import FLOOD, PLEDGE

from nato_compare.cli import main
from nato_compare.pipeline import ingest_sources


def stories(*args: str):
    return CliRunner().invoke(main, ["stories", *args])


def two_event_db(tmp_path: Path, *, lone: bool = False) -> Path:
    corpus = tmp_path / "corpus.jsonl"
    outlets = ["Outlet A", "Outlet B", "Outlet C"]
    rows = [
        {"id": f"{event}-{k}", "outlet": outlets[k % 3], "title": f"{event} {k}", "text": text}
        for event, texts in (("pledge", PLEDGE), ("flood", FLOOD))
        for k, text in enumerate(texts)
    ]
    if lone:
        rows.append(
            {
                "id": "harvest",
                "outlet": "Outlet A",
                "title": "Harvest festival",
                "text": "The harvest festival in the village drew record crowds, with "
                "pumpkins, cider and a brass band playing until late.",
            }
        )
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "stories.db"
    ingest_sources([corpus], db)
    return db


def test_two_events_are_two_stories_and_a_lone_article_is_listed_only_with_all(tmp_path) -> None:
    db = two_event_db(tmp_path, lone=True)
    result = stories("--db", str(db), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(sorted(s["articles"]) for s in found) == [
        ["flood-0", "flood-1", "flood-2", "flood-3"],
        ["pledge-0", "pledge-1", "pledge-2"],
    ]
    everything = stories("--db", str(db), "--format", "jsonl", "--all")
    lone = [json.loads(line) for line in everything.stdout.splitlines()]
    assert ["harvest"] in [s["articles"] for s in lone] and len(lone) == 3


def test_csv_lists_one_story_a_row(tmp_path) -> None:
    result = stories("--db", str(two_event_db(tmp_path)), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2
    assert {r["outlets"] for r in rows} == {"Outlet A; Outlet B; Outlet C"}
    assert all(r["id"].startswith("st-") for r in rows)


def test_the_seeds_are_one_declared_story(seed_db: Path) -> None:
    result = stories("--db", str(seed_db))
    assert result.exit_code == 0, result.output
    head = result.stdout.splitlines()[0]
    assert "5 articles, 5 outlets" in head and head.endswith(": nato-ukraine-aid-2024")
    assert result.stderr == "1 story\n"


def test_a_missing_database_is_one_line(tmp_path: Path) -> None:
    result = stories("--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "database not found" in result.stderr
