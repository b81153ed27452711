"""Import (round trip, idempotence, unknown passages, conflicts) and merge of databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.common import SOURCES, dump
from tests.exchange_helpers import (
    AWKWARD_TEXTS,
    add_events,
    annotate,
    annotation_rows,
    awkward_db,
    passage_ids,
    set_schema_version,
)
from nato_compare.errors import NatoCompareError
from nato_compare.export import export_annotations, import_annotations, merge_databases
from nato_compare.pipeline import ingest_sources


def annotated_awkward(path: Path) -> Path:
    awkward_db(path)
    ids = passage_ids(path)
    annotate(path, [("alice", p, "note", "", AWKWARD_TEXTS[i]) for i, p in enumerate(ids)])
    annotate(
        path,
        [
            ("alice", ids[0], "frame", "Economic"),
            ("alice", ids[0], "frame", "Morality"),
            ("bob", ids[0], "frame", "Economic"),
            ("bob", ids[1], "stance", "AGAINST"),
            ("alice", ids[1], "stance", "FAVOR"),  # a label in the codebook: import checks
        ],
    )
    add_events(path, {"e-1": [(ids[0], 0.8125), (ids[2], 0.5)]})
    return path


def fresh(path: Path) -> Path:
    """The same sources and events, no annotations."""
    awkward_db(path)
    ids = passage_ids(path)
    add_events(path, {"e-1": [(ids[0], 0.8125), (ids[2], 0.5)]})
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_round_trip_export_import_export_gives_the_same_rows(tmp_path, fmt):
    first = annotated_awkward(tmp_path / "first.db")
    exported = tmp_path / f"first.{fmt}"
    export_annotations(first, exported, fmt=fmt)
    second = fresh(tmp_path / "second.db")
    result = import_annotations(exported, second)
    assert (result.inserted, result.already_present, result.unknown, result.conflicts) == (
        len(AWKWARD_TEXTS) + 5,
        0,
        [],
        [],
    )
    again = tmp_path / f"second.{fmt}"
    export_annotations(second, again, fmt=fmt)
    assert again.read_bytes() == exported.read_bytes()
    assert annotation_rows(second) == annotation_rows(first)


def test_excel_export_imports_too(tmp_path):
    first = annotated_awkward(tmp_path / "first.db")
    exported = tmp_path / "excel.csv"
    export_annotations(first, exported, excel=True)
    second = fresh(tmp_path / "second.db")
    import_annotations(exported, second)
    assert annotation_rows(second) == annotation_rows(first)


def test_import_twice_is_the_same_as_once(tmp_path):
    first = annotated_awkward(tmp_path / "first.db")
    exported = tmp_path / "first.csv"
    export_annotations(first, exported)
    second = fresh(tmp_path / "second.db")
    import_annotations(exported, second)
    before = dump(second)
    result = import_annotations(exported, second)
    assert (result.inserted, result.already_present) == (0, len(AWKWARD_TEXTS) + 5)
    assert dump(second) == before


def test_same_label_under_another_id_is_already_present(tmp_path):
    first = annotated_awkward(tmp_path / "first.db")
    exported = tmp_path / "first.csv"
    export_annotations(first, exported)
    second = fresh(tmp_path / "second.db")
    ids = passage_ids(second)
    annotate(second, [("bob", ids[0], "frame", "Economic")])  # same natural key, own id
    result = import_annotations(exported, second)
    assert result.already_present == 1 and result.inserted == len(AWKWARD_TEXTS) + 4
    rows = [r for r in annotation_rows(second) if r[1:5] == ("bob", ids[0], "frame", "Economic")]
    assert len(rows) == 1


def test_rows_of_unknown_passages_are_reported_and_the_rest_imported(tmp_path, seed_db):
    first = annotated_awkward(tmp_path / "first.db")
    exported = tmp_path / "first.csv"
    export_annotations(first, exported)
    half = fresh(tmp_path / "half.db")
    conn = sqlite3.connect(half)
    gone = passage_ids(half)[-2:]
    conn.execute("DELETE FROM passages WHERE id IN (?, ?)", gone)
    conn.commit()
    conn.close()
    result = import_annotations(exported, half)
    assert sorted(r["passage_id"] for r in result.unknown) == sorted(gone)
    assert result.inserted == len(AWKWARD_TEXTS) + 5 - 2
    before = dump(seed_db)
    refused = rf"^{len(AWKWARD_TEXTS) + 5} row\(s\) match no passage in .*seed.db \(first: p-0-00\); nothing imported$"
    with pytest.raises(NatoCompareError, match=refused):
        import_annotations(exported, seed_db, strict=True)
    assert dump(seed_db) == before


def test_a_second_stance_with_the_same_time_is_a_conflict(tmp_path):
    first = annotated_awkward(tmp_path / "first.db")
    exported = tmp_path / "first.csv"
    export_annotations(first, exported)
    second = fresh(tmp_path / "second.db")
    ids = passage_ids(second)
    annotate(second, [("bob", ids[1], "stance", "FAVOR")])  # same created_at as the export's
    result = import_annotations(exported, second)
    assert [(r["annotator"], r["label"], why) for r, why in result.conflicts] == [
        ("bob", "AGAINST", "'FAVOR' is stored with the same time")
    ]
    stances = [r[4] for r in annotation_rows(second) if r[1] == "bob" and r[3] == "stance"]
    assert stances == ["FAVOR"]


def set_time(path: Path, annotator: str, dimension: str, stamp: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE annotations SET created_at = ? WHERE annotator = ? AND dimension = ?",
        [stamp, annotator, dimension],
    )
    conn.commit()
    conn.close()


def test_the_annotators_later_stance_wins_and_an_earlier_one_is_skipped(tmp_path):
    first = annotated_awkward(tmp_path / "first.db")  # bob: AGAINST on ids[1]
    set_time(first, "bob", "stance", "2026-03-01T10:00:00+00:00")
    exported = tmp_path / "first.csv"
    export_annotations(first, exported)
    second = fresh(tmp_path / "second.db")
    ids = passage_ids(second)
    annotate(second, [("bob", ids[1], "stance", "FAVOR")])
    set_time(second, "bob", "stance", "2026-02-01T10:00:00+00:00")  # earlier than the export's
    result = import_annotations(exported, second)
    assert (result.replaced, result.outdated, result.conflicts) == (1, 0, [])
    assert [r[4] for r in annotation_rows(second) if r[1] == "bob" and r[3] == "stance"] == [
        "AGAINST"
    ]
    # the older FAVOR, imported back, changes nothing
    older = tmp_path / "older.db"
    fresh(older)
    annotate(older, [("bob", ids[1], "stance", "FAVOR")])
    set_time(older, "bob", "stance", "2026-02-01T10:00:00+00:00")
    before = dump(second)
    result = merge_databases([older], second).per_database[str(older)]
    assert (result.inserted, result.replaced, result.outdated) == (0, 0, 1)
    assert dump(second) == before


# ---------------------------------------------------------------- merge


@pytest.fixture
def laptops(tmp_path: Path) -> tuple[Path, Path, Path]:
    """alice's and bob's databases and the team's, all from the seed sources."""
    paths = []
    for name in ("alice", "bob", "team"):
        path = tmp_path / f"{name}.db"
        ingest_sources([SOURCES], path)
        paths.append(path)
    alice, bob, team = paths
    p = passage_ids(team)
    annotate(
        alice,
        [
            ("alice", p[0], "stance", "FAVOR"),
            ("alice", p[0], "frame", "Economic"),
            ("alice", p[1], "note", "", "check the figure"),
        ],
    )
    annotate(
        bob,
        [
            ("bob", p[0], "stance", "AGAINST"),
            ("bob", p[0], "frame", "Morality"),
            ("bob", p[2], "stance", "NONE"),
        ],
    )
    conn = sqlite3.connect(bob)
    conn.execute("INSERT INTO event_notes VALUES ('bob', 'e-1', 'all three outlets', '2026-01-01')")
    conn.commit()
    conn.close()
    return alice, bob, team


def test_merge_keeps_both_annotators_labels(laptops):
    alice, bob, team = laptops
    merged = merge_databases([alice, bob], team)
    assert merged.per_database[str(alice)].inserted == 3
    assert merged.per_database[str(bob)].inserted == 3
    assert merged.per_database[str(bob)].notes_inserted == 1
    rows = {(r[1], r[3], r[4]) for r in annotation_rows(team) if r[2] == passage_ids(team)[0]}
    assert rows == {
        ("alice", "stance", "FAVOR"),
        ("bob", "stance", "AGAINST"),
        ("alice", "frame", "Economic"),
        ("bob", "frame", "Morality"),
    }
    assert sorted(annotation_rows(team)) == sorted(annotation_rows(alice) + annotation_rows(bob))


def test_merge_twice_is_the_same_as_once(laptops):
    alice, bob, team = laptops
    merge_databases([alice, bob], team)
    once = dump(team)
    merged = merge_databases([alice, bob], team)
    assert dump(team) == once
    assert [r.inserted for r in merged.per_database.values()] == [0, 0]
    assert [r.already_present for r in merged.per_database.values()] == [3, 3]
    assert merged.per_database[str(bob)].notes_present == 1
    # and merging the merged database back into a laptop brings only the other's rows
    result = merge_databases([team], alice).per_database[str(team)]
    assert (result.inserted, result.already_present) == (3, 3)


def test_merge_reports_passages_the_target_lacks(laptops, tmp_path):
    alice, _, _ = laptops
    small = tmp_path / "small.db"
    ingest_sources(
        [
            SOURCES / "cgtn-2024-03-nato-dilemma-invest-in-ukraine.txt",
            SOURCES / "icaro-2024-stoltenberg-pushes-ukraine-support.txt",
        ],
        small,
    )
    p = passage_ids(alice)
    last_article = (
        sqlite3.connect(alice)
        .execute("SELECT article_id FROM passages WHERE id = ?", [p[-1]])
        .fetchone()[0]
    )
    annotate(alice, [("alice", p[-1], "stance", "NONE")])
    merged = merge_databases([alice], small)
    result = merged.per_database[str(alice)]
    assert [r["passage_id"] for r in result.unknown] == [p[-1]]
    assert merged.missing_articles == {last_article: 1}
    assert result.inserted == 3


def test_merge_refuses_itself_a_newer_schema_and_a_missing_file_leaving_the_target_as_is(
    laptops, tmp_path
):
    alice, bob, team = laptops
    before = dump(team)
    with pytest.raises(NatoCompareError, match=r"^cannot merge .*team.db into itself$"):
        merge_databases([alice, team], team)
    set_schema_version(bob, 99)
    with pytest.raises(NatoCompareError, match=r"bob.db has schema version 99, newer than"):
        merge_databases([alice, bob], team)
    with pytest.raises(NatoCompareError, match=r"^database not found: .*carol.db$"):
        merge_databases([alice, tmp_path / "carol.db"], team)
    assert dump(team) == before
    assert not (tmp_path / "carol.db").exists()


def test_merge_takes_a_later_note_and_reports_one_with_the_same_time(laptops):
    alice, bob, team = laptops
    merge_databases([alice, bob], team)
    conn = sqlite3.connect(alice)  # alice edits her note after the first merge, same time stamp
    conn.execute(
        "UPDATE annotations SET note = 'figure checked: 40 billion' WHERE dimension = 'note'"
    )
    conn.commit()
    conn.close()
    conn = sqlite3.connect(bob)
    conn.execute("UPDATE event_notes SET note = 'two outlets only'")
    conn.commit()
    conn.close()
    before = dump(team)
    merged = merge_databases([alice, bob], team)
    assert [(row["note"], why) for row, why in merged.per_database[str(alice)].conflicts] == [
        ("figure checked: 40 billion", "another version of it with the same time is stored")
    ]
    assert [why for _, why in merged.per_database[str(bob)].note_conflicts] == [
        "another note with the same time is stored"
    ]
    assert dump(team) == before  # neither can be told to be later: the stored ones are kept
    # now the edits carry a later time, as the annotation interface writes them
    conn = sqlite3.connect(alice)
    conn.execute(
        "UPDATE annotations SET created_at = '2026-05-01T00:00:00+00:00' WHERE dimension = 'note'"
    )
    conn.commit()
    conn.close()
    conn = sqlite3.connect(bob)
    conn.execute("UPDATE event_notes SET updated_at = '2026-05-01T00:00:00+00:00'")
    conn.commit()
    conn.close()
    merged = merge_databases([alice, bob], team)
    assert merged.per_database[str(alice)].replaced == 1
    assert merged.per_database[str(bob)].notes_replaced == 1
    conn = sqlite3.connect(team)
    assert conn.execute("SELECT note FROM annotations WHERE dimension = 'note'").fetchall() == [
        ("figure checked: 40 billion",)
    ]
    assert conn.execute("SELECT note FROM event_notes").fetchall() == [("two outlets only",)]
    conn.close()
    once = dump(team)
    merge_databases([alice, bob], team)
    assert dump(team) == once


def test_import_command_takes_single_label_dimensions_from_the_given_codebook(tmp_path):
    from click.testing import CliRunner

    from nato_compare.cli import main

    codebook = tmp_path / "tone.toml"
    codebook.write_text(
        '[codebook]\nname = "Tone"\n[[dimensions]]\nname = "tone"\nmulti = false\n'
        '[[dimensions.labels]]\nname = "negative"\nkey = "1"\n'
        '[[dimensions.labels]]\nname = "positive"\nkey = "2"\n'
    )
    first = fresh(tmp_path / "first.db")
    ids = passage_ids(first)
    annotate(first, [("bob", ids[1], "tone", "negative")])
    set_time(first, "bob", "tone", "2026-03-01T10:00:00+00:00")  # bob changed his mind later
    exported = tmp_path / "bob.csv"
    export_annotations(first, exported)
    targets = {}
    for name in ("default", "tone"):
        targets[name] = fresh(tmp_path / f"{name}.db")
        annotate(targets[name], [("bob", ids[1], "tone", "positive")])
        set_time(targets[name], "bob", "tone", "2026-02-01T10:00:00+00:00")
    runner = CliRunner()

    def tones(path):
        return sorted(r[4] for r in annotation_rows(path) if r[1] == "bob" and r[3] == "tone")

    # the default codebook does not know "tone": the file is refused, nothing imported ...
    result = runner.invoke(main, ["import", str(exported), "--db", str(targets["default"])])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {exported}: 1 row(s) with labels not in the codebook (tone/negative); nothing "
        "imported: give the codebook they were made with (--codebook), or accept them "
        "(--accept-unknown-labels)\n"
    )
    assert tones(targets["default"]) == ["positive"]
    # ... unless accepted: then, not known as single-label, it is added beside the first
    result = runner.invoke(
        main, ["import", str(exported), "--db", str(targets["default"]), "--accept-unknown-labels"]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"warning: 1 row(s) of {exported} with labels not in the codebook imported: tone/negative"
        in result.stderr.splitlines()
    )
    assert tones(targets["default"]) == ["negative", "positive"]
    # with the annotators' codebook tone is single-label: the later label replaces the first
    result = runner.invoke(
        main, ["import", str(exported), "--db", str(targets["tone"]), "--codebook", str(codebook)]
    )
    assert result.exit_code == 0, result.output
    assert tones(targets["tone"]) == ["negative"]
    assert result.stderr == (
        f"0 annotations imported, 0 already present, 1 replaced by a later "
        f"version, 0 older than the stored one, 0 on unknown passages, "
        f"0 conflict(s) -> {targets['tone']}\n"
    )

    # a missing codebook is one line, and nothing is written
    before = dump(targets["default"])
    result = runner.invoke(
        main,
        [
            "import",
            str(exported),
            "--db",
            str(targets["default"]),
            "--codebook",
            str(tmp_path / "none.toml"),
        ],
    )
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: invalid codebook {tmp_path / 'none.toml'}")
    assert dump(targets["default"]) == before
