"""Highlighting passages for comparison: shared words, words only this outlet uses, amounts.

Within one event, a content word of an outlet's passages is *shared* when at
least one other outlet column of the event uses it too, and *own* when no other
column does. Numbers and amounts ("€40 billion", "2%", "1,000-kilometer")
stand out whatever else. Function words stay plain so the colours mark what
carries meaning. Words are compared in the aligner's normalised form
(:func:`nato_compare.normalize.word_form`: stems, stop words), so the screen and the evidence
agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rich.text import Text

from ...normalize import is_content, word_form

SHARED_STYLE = "#5fafd7"
OWN_STYLE = "bold #ffaf00"
AMOUNT_STYLE = "bold #000000 on #d7d75f"
#: The sentences (claims) that put a passage in the event on screen.
CLAIM_STYLE = "underline"
#: The words searched for (`/`), over whatever else marks them.
SEARCH_STYLE = "bold #000000 on #ff87d7"

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_AMOUNT = re.compile(
    r"(?:[$€£¥]\s?)?\d(?:[\d,.]*\d)?"
    r"(?:\s?(?:%|per\s?cent|percent|billion|million|trillion|thousand|bn|tn|euros?|dollars?|"
    r"pounds?|yuan|troops|soldiers|kilomet(?:er|re)s?|km|shells|rounds))?",
    re.IGNORECASE,
)


def word_key(word: str) -> str:
    """The form words are compared in: the aligner's own (stems, spelling variants joined), so
    "coordinating" and "coordinate" are one word here as in the evidence."""
    return word_form(word)


def content_words(text: str) -> set[str]:
    return {k for k in (word_key(m.group()) for m in WORD.finditer(text)) if k and is_content(k)}


def shared_words(columns: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """For each column (outlet) of an event, its words that some other column uses too.

    ``columns`` maps a column key to that column's passage texts. With a single
    column nothing is shared (and nothing is marked as its own either).
    """
    vocab = {key: set().union(*(content_words(t) for t in texts)) for key, texts in columns.items()}
    counts: dict[str, int] = {}
    for words in vocab.values():
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    return {key: {w for w in words if counts[w] > 1} for key, words in vocab.items()}


def highlight(text: str, shared: set[str], *, compare: bool = True) -> Text:
    """``text`` styled: amounts, then runs of shared and of own content words (if ``compare``).

    Neighbouring words of the same kind are styled as one run, function words between them
    included: phrases read as phrases, and a line has a few styled runs rather than one per
    word (each run is a segment the terminal renderer must draw).
    """
    styled = Text(text)
    taken = [False] * len(text)
    for match in _AMOUNT.finditer(text):
        if any(ch.isdigit() for ch in match.group()):
            styled.stylize(AMOUNT_STYLE, match.start(), match.end())
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    if not compare:
        return styled
    run_style, run_start, run_end = None, 0, 0
    for match in WORD.finditer(text):
        if taken[match.start()]:
            if run_style:
                styled.stylize(run_style, run_start, run_end)
            run_style = None
            continue
        key = word_key(match.group())
        if not key or not is_content(key):
            continue  # joins the run if the next content word is of the same kind
        style = SHARED_STYLE if key in shared else OWN_STYLE
        if style == run_style and not any(taken[run_end : match.start()]):
            run_end = match.end()
            continue
        if run_style:
            styled.stylize(run_style, run_start, run_end)
        run_style, run_start, run_end = style, match.start(), match.end()
    if run_style:
        styled.stylize(run_style, run_start, run_end)
    return styled


def legend(compact: bool = False) -> Text:
    """What the marks mean; ``compact`` for a narrow terminal (80 columns), where the full
    legend would be cut after its first words."""
    names = (
        ("shared", "own", "40bn", "claim")
        if compact
        else ("shared with other outlets", "only this outlet", "40 billion", "the claim aligned")
    )
    styles = (SHARED_STYLE, OWN_STYLE, AMOUNT_STYLE, CLAIM_STYLE)
    return Text("  ").join(Text(name, style=style) for name, style in zip(names, styles))
