"""Reading sources: metadata, manifest, corpora, HTML, offsets and segmentation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.common import SOURCES
from nato_compare.errors import NatoCompareError
from nato_compare.ingest import read_article_file, read_sources
from nato_compare.segment import MAX_PASSAGE_CHARS, segment, split_claims, split_sentences

SEEDS = sorted(SOURCES.glob("*.txt"))


@pytest.mark.parametrize(
    ("name", "outlet", "title", "date"),
    [
        (
            "cgtn-2024-03-nato-dilemma-invest-in-ukraine.txt",
            "CGTN",
            "NATO's dilemma: Whether to further invest in Ukraine crisis",
            None,
        ),
        (
            "icaro-2024-stoltenberg-pushes-ukraine-support.txt",
            "ICARO Media Group",
            "NATO Secretary-General Pushes for International Support to Bolster Ukraine's Security",
            None,
        ),
        (
            "eastern-herald-2024-06-21-no-imminent-russian-threat.txt",
            "The Eastern Herald",
            "NATO affirms no immediate Russian military threat, considers enhanced support for Ukraine",
            "2024-06-21",
        ),
        (
            "unknown-2024-06-defence-ministers-ukraine-aid.txt",
            "unknown",
            "NATO Defense Ministers Discuss Ukraine’s Security Aid And Training Plan",
            None,
        ),
        ("unknown-2024-10-rutte-40-billion-pledge.txt", "unknown", None, None),
    ],
)
def test_metadata_read_from_the_text(
    name: str, outlet: str, title: str | None, date: str | None
) -> None:
    article = read_article_file(SOURCES / name, manifest={})
    assert (article.outlet, article.title, article.date) == (outlet, title, date)


def test_manifest_overrides_what_the_text_says() -> None:
    articles = {a.id: a for a in read_sources([SOURCES])}
    assert len(articles) == 5
    cgtn = articles["cgtn-2024-03-nato-dilemma-invest-in-ukraine"]
    assert (cgtn.outlet, cgtn.date) == ("CGTN", "2024-03")
    rutte = articles["unknown-2024-10-rutte-40-billion-pledge"]
    assert rutte.outlet == "unknown" and rutte.title.startswith("Rutte")
    # two unknown outlets are not taken for one outlet
    other = articles["unknown-2024-06-defence-ministers-ukraine-aid"]
    assert rutte.outlet_key != other.outlet_key


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_passage_offsets_point_into_the_cleaned_text(path: Path) -> None:
    article = read_article_file(path, manifest={})
    assert article.passages
    for passage in article.passages:
        assert article.cleaned_text[passage.start : passage.end] == passage.text
    assert len({p.id for p in article.passages}) == len(article.passages)


def test_passage_ids_are_stable_and_depend_on_content_not_position() -> None:
    text = "First paragraph of the article.\n\nSecond paragraph of the article."
    first = segment("a1", text)
    assert [p.id for p in first] == [p.id for p in segment("a1", text)]
    moved = segment("a1", "A new opening paragraph.\n\n" + text)
    assert {p.id for p in first} <= {p.id for p in moved}
    assert segment("a2", text)[0].id != first[0].id  # same text in another article: another passage


def test_long_paragraph_split_at_sentence_boundaries() -> None:
    sentence = (
        "The U.S. and Mr. Stoltenberg discussed aid to Ukraine at length on Thursday in Brussels. "
    )
    paragraph = (sentence * 20).strip()
    passages = segment("a", paragraph)
    assert len(passages) > 1
    for passage in passages:
        assert len(passage.text) <= MAX_PASSAGE_CHARS
        assert passage.text.startswith("The U.S. and Mr.") and passage.text.endswith("Brussels.")


def test_sentences_not_split_after_abbreviations() -> None:
    text = "Secretary of State Antony Blinken met the U.S. envoy. Mr. Rutte spoke later. It ended."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Secretary of State Antony Blinken met the U.S. envoy.",
        "Mr. Rutte spoke later.",
        "It ended.",
    ]


@pytest.mark.parametrize(
    "text,claims",
    [
        (
            "The quake struck around 7 p.m. Wednesday. Nobody was hurt.",
            ["The quake struck around 7 p.m. Wednesday.", "Nobody was hurt."],
        ),
        (
            "Two climbers died near Aoraki-Mt. Cook on Sunday. Police named them.",
            ["Two climbers died near Aoraki-Mt. Cook on Sunday.", "Police named them."],
        ),
        (
            "A quake of magnitude 4. 6 was recorded. It was felt in Napa.",
            ["A quake of magnitude 4. 6 was recorded.", "It was felt in Napa."],
        ),
        ("He was born in 1950. He died in 2020.", ["He was born in 1950.", "He died in 2020."]),
    ],
)
def test_claims_are_not_cut_at_times_places_or_spaced_numbers(text: str, claims: list[str]) -> None:
    assert [text[s:e] for s, e in split_claims(text)] == claims


def test_passages_keep_their_sentence_boundaries_whatever_claims_join() -> None:
    # passage ids depend on split_sentences: claims join sentences without moving them
    text = "The quake struck around 7 p.m. Wednesday. Nobody was hurt."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The quake struck around 7 p.m.",
        "Wednesday.",
        "Nobody was hurt.",
    ]


def test_jsonl_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {
            "id": "fox-1",
            "outlet": "Fox News",
            "title": "T1",
            "date": "2016-01-05",
            "url": "u",
            "text": "First paragraph here.\n\nSecond paragraph here.",
        },
        {"id": "nyt-1", "outlet": "The New York Times", "text": "Only one paragraph."},
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    articles = list(read_sources([corpus]))
    assert [a.id for a in articles] == ["fox-1", "nyt-1"]
    assert [p.text for p in articles[0].passages] == [
        "First paragraph here.",
        "Second paragraph here.",
    ]
    assert articles[1].title is None and articles[1].outlet == "The New York Times"


def test_csv_corpus_keeps_commas_and_quotes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.csv"
    corpus.write_text(
        "id,outlet,title,date,url,text\n"
        'r1,Reuters,"Aid, again",2024-06-13,,"He said ""no troops"", not now.\n\nSecond one."\n',
        encoding="utf-8",
    )
    (article,) = read_sources([corpus])
    assert article.title == "Aid, again"
    assert [p.text for p in article.passages] == ['He said "no troops", not now.', "Second one."]


def test_corpus_row_without_text_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "x", "outlet": "A"}) + "\n", encoding="utf-8")
    with pytest.raises(NatoCompareError, match=r"corpus.jsonl:1: row without text"):
        list(read_sources([corpus]))


def test_html_article_main_text_extracted(tmp_path: Path) -> None:
    body = " ".join(["NATO defence ministers agreed on Thursday to coordinate aid to Ukraine."] * 3)
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Ministers agree aid plan</title></head><body>"
        "<nav>Home | World | Subscribe</nav><article><h1>Ministers agree aid plan</h1>"
        f"<p>{body}</p><p>Hungary said it would not veto the plan if it need not take part in it.</p>"
        "</article><footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    (article,) = read_sources([page])
    assert article.title == "Ministers agree aid plan"
    assert "Hungary said it would not veto the plan" in article.cleaned_text
    assert "Subscribe" not in article.cleaned_text and "Copyright" not in article.cleaned_text
