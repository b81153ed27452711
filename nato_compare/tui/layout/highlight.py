"""Highlighting passages for comparison: shared words, words only this outlet uses, amounts.

Within one event, a content word of an outlet's passages is *shared* when at
least one other outlet column of the event uses it too, and *own* when no other
column does. Numbers and amounts ("€40 billion", "2%", "1,000-kilometer")
stand out whatever else. Function words stay plain so the colours mark what
carries meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rich.text import Text

SHARED_STYLE = "#5fafd7"
OWN_STYLE = "bold #ffaf00"
AMOUNT_STYLE = "bold #000000 on #d7d75f"
#: The words searched for (`/`), over whatever else marks them.
SEARCH_STYLE = "bold #000000 on #ff87d7"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_AMOUNT = re.compile(
    r"(?:[$€£¥]\s?)?\d(?:[\d,.]*\d)?"
    r"(?:\s?(?:%|per\s?cent|percent|billion|million|trillion|thousand|bn|tn|euros?|dollars?|"
    r"pounds?|yuan|troops|soldiers|kilomet(?:er|re)s?|km|shells|rounds))?",
    re.IGNORECASE,
)
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own said says same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    mr ms mrs s t""".split()
)


def word_key(word: str) -> str:
    """The form words are compared in: case-folded, without a possessive ending."""
    key = word.casefold().replace("’", "'")
    return key[:-2] if key.endswith("'s") else key


def content_words(text: str) -> set[str]:
    return {k for k in (word_key(m.group()) for m in _WORD.finditer(text)) if k not in STOPWORDS}


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
    for match in _WORD.finditer(text):
        if taken[match.start()]:
            if run_style:
                styled.stylize(run_style, run_start, run_end)
            run_style = None
            continue
        key = word_key(match.group())
        if key in STOPWORDS:
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


def legend() -> Text:
    return Text.assemble(
        ("shared with other outlets", SHARED_STYLE),
        "  ",
        ("only this outlet", OWN_STYLE),
        "  ",
        ("40 billion", AMOUNT_STYLE),
    )
