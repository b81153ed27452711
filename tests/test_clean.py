"""Cleaning the real seed articles: boilerplate goes, every body paragraph stays."""

from __future__ import annotations

import pytest

from tests.common import SOURCES
from nato_compare.clean import boilerplate_rule, clean_lines, paragraph_lines
from nato_compare.ingest import read_text

CGTN_CAPTION = (
    "NATO Secretary General Jens Stoltenberg gives a press conference on the Annual Report of 2023 "
    "at NATO Headquarters in Brussels, Belgium, March 14, 2024. /CFP"
)
# Every line of page furniture in the seeds, read by hand. The tests below check that each one is
# removed and that every other line of the file (the article body) is kept, word for word.
BOILERPLATE = {
    "cgtn-2024-03-nato-dilemma-invest-in-ukraine.txt": {
        "Our Privacy Statement & Cookie Policy",
        "By continuing to browse our site you agree to our use of cookies, revised Privacy Policy "
        "and Terms of Use. You can change your cookie settings through your browser.",
        "I agree",
        "NATO's dilemma: Whether to further invest in Ukraine crisis",
        "CGTN",
        CGTN_CAPTION,
        "Ukrainian soldiers prepare to fire a 122-mm howitzer D-30 in Adiivka, Donetsk region, "
        "March 13, 2024. /CFP",
        "(Cover: NATO Secretary General Jens Stoltenberg (L) shakes hands with Ukrainian President "
        "Volodymyr Zelenskyy at the end of a joint press conference in Kyiv, Ukraine, April 20, "
        "2023. /CFP)",
        "Search Trends",
    },
    "icaro-2024-stoltenberg-pushes-ukraine-support.txt": {
        "NATO Secretary-General Pushes for International Support to Bolster Ukraine's Security",
        "ICARO Media Group",
    },
    "unknown-2024-10-rutte-40-billion-pledge.txt": set(),
    "eastern-herald-2024-06-21-no-imminent-russian-threat.txt": {
        "Leading the Alternative World Order",
        "Reshaping Perspectives and Catalyzing Diplomatic Evolution",
        "Friday, June 21, 2024",
        "-Advertisement-",
        "Conflicts, Military and WarNATO affirms no immediate Russian military threat, considers "
        "enhanced support for Ukraine",
        "NATO affirms no immediate Russian military threat, considers enhanced support for Ukraine",
        "– Published on:",
        "For the latest updates and news follow The Eastern Herald on Google NewsInstagramFacebook, "
        "and Twitter. To show your support for The Eastern Herald click here.",
        "Russia Desk",
        "The Eastern Herald’s Russia Desk validates the stories published under this byline. That "
        "includes editorials, news stories, letters to the editor, and multimedia features on "
        "easternherald.com.",
        "Public Reaction",
        "Subscribe to our Newsletter",
        "- Gain full access to our premium content",
        "- Never miss a story with active notifications",
        "- Exclusive stories right into your inbox",
        "Latest News",
        "Discover more from The Eastern Herald",
        "Subscribe now to keep reading and get access to the full archive.",
        "Continue reading",
    },
    "unknown-2024-06-defence-ministers-ukraine-aid.txt": {
        "Latest News",
        "NATO Defense Ministers Discuss Ukraine’s Security Aid And Training Plan",
        "Published on",
        "Related Article: Putin Will Go To War With NATO After Ukraine – Former CIA Director",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Exit mobile version",
    },
}


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_seed_boilerplate_removed_and_body_kept(name: str) -> None:
    lines = paragraph_lines(read_text(SOURCES / name))
    kept, removed = clean_lines(lines)
    body = [line for line in lines if line not in BOILERPLATE[name]]
    assert kept == body  # every body paragraph survives, in order, word for word
    assert {r.line for r in removed} == BOILERPLATE[name]  # and every boilerplate line goes
    assert len(kept) >= 8


def test_repeated_caption_removed_all_three_times() -> None:
    lines = paragraph_lines(read_text(SOURCES / "cgtn-2024-03-nato-dilemma-invest-in-ukraine.txt"))
    assert lines.count(CGTN_CAPTION) == 3
    kept, removed = clean_lines(lines)
    assert CGTN_CAPTION not in kept
    assert [r.rule for r in removed if r.line == CGTN_CAPTION] == ["repeated"] * 3


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            "We use cookies to improve your experience. Accept our cookie policy to continue.",
            "phrase",
        ),
        (
            "Sign up for our daily briefing and never miss a story from the front line today.",
            "phrase",
        ),
        ("Troops patrol the border near Kharkiv on Monday, May 6, 2024. /AFP", "caption"),
        ("Copyright 2024 Example News Ltd. All rights reserved.", "phrase"),
        ("Share this article", "phrase"),
        ("World | Europe | Ukraine", "furniture"),
    ],
)
def test_rules_generalise_to_other_outlets(line: str, rule: str) -> None:
    assert boilerplate_rule(line) == rule


def test_body_sentence_is_not_boilerplate() -> None:
    sentence = (
        "Rutte said the alliance would keep its support for Kyiv at 40 billion euros a year, "
        "as long as necessary."
    )
    assert boilerplate_rule(sentence) is None


def test_hard_wrapped_text_is_joined_into_paragraphs() -> None:
    text = "NATO defence ministers met in Brussels on Thursday to discuss\naid to Ukraine.\n\nNext one."
    assert paragraph_lines(text) == [
        "NATO defence ministers met in Brussels on Thursday to discuss aid to Ukraine.",
        "Next one.",
    ]
