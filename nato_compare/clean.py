"""Boilerplate removal for web copy saved as plain text.

Web copy arrives with the page's furniture around the article: cookie banners,
photo captions (often repeated), advertising markers, newsletter and subscribe
blocks, bylines of desks, "Exit mobile version". The rules below remove it
line by line and record every line removed, so tests and analysts can audit
what was dropped. They are general rules, not the seeds' exact lines:

1. ``repeated``    a line that occurs more than once in the document (captions
                   printed three times, "Continue reading" blocks)
2. ``caption``     photo captions: a trailing picture-agency credit (" /CFP",
                   "/AFP", "(Photo: …)") or a leading "(Cover:", "Photo:", …
3. ``phrase``      prose-like boilerplate recognised by its wording: cookie
                   consent, subscribe/newsletter/sign-up, "follow X on Google
                   News", comment forms, desk bylines, copyright lines
4. ``furniture``   lines that are not prose: fewer than ``MIN_PROSE_WORDS``
                   words, or no sentence-final punctuation (menus, taglines,
                   "Published on", category crumbs, "Related Article: …")

A body sentence is prose and matches none of the patterns, so it survives.
The title, date and outlet are read from the header *before* cleaning
(see :mod:`nato_compare.ingest`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

MIN_PROSE_WORDS = 8
#: Repeated lines shorter than this are left to the other rules (a body may
#: legitimately repeat a very short sentence such as a one-word quote).
MIN_REPEATED_CHARS = 12

_CREDIT = r"(?:CFP|AFP|AP|Reuters|Getty Images|Getty|EPA|Xinhua|VCG|IC|Shutterstock|TASS|Sputnik)"
CAPTION_PATTERNS = [
    re.compile(rf"\s/\s?{_CREDIT}\)?\s*$"),
    re.compile(r"^\(?(?:Cover|Photo|Image|File photo|Picture|Video)\s*:", re.I),
    re.compile(r"\((?:Photo|Image|Picture)\s*(?:by|:)[^)]*\)\s*$", re.I),
]

PHRASE_PATTERNS = [
    # cookie and privacy banners
    re.compile(r"\bcookies?\b.*\b(?:policy|consent|settings|agree|use of|accept)", re.I),
    re.compile(
        r"\b(?:privacy (?:policy|statement)|terms of (?:use|service))\b.*\b(?:agree|continu)", re.I
    ),
    # subscription, newsletter and paywall blocks
    re.compile(r"\bsubscribe\b.*\b(?:keep reading|newsletter|full archive|access)\b", re.I),
    re.compile(r"^(?:sign up|subscribe)\b", re.I),
    re.compile(r"\bnewsletter\b", re.I),
    # social promotion
    re.compile(r"\bfollow\b.*\bon (?:Google News|Twitter|X|Facebook|Instagram|Telegram)\b", re.I),
    re.compile(r"\bclick here\b", re.I),
    re.compile(r"^share (?:this|on)\b", re.I),
    # comment forms
    re.compile(r"\byour email address will not be published\b", re.I),
    re.compile(r"\brequired fields are marked\b", re.I),
    # desk bylines and outlet self-description
    re.compile(r"\bvalidates the stories published under this byline\b", re.I),
    # copyright and rights lines
    re.compile(r"(?:©|\(c\)|copyright\b).*\b(?:rights reserved|\d{4})", re.I),
    re.compile(r"\ball rights reserved\b", re.I),
    # navigation that reads like a sentence
    re.compile(r"^exit mobile version\b", re.I),
    re.compile(r"^(?:-\s*)?advertisement\s*-?$", re.I),
]

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"”’]\s*$")
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


@dataclass(frozen=True)
class RemovedLine:
    line: str
    rule: str


def is_prose(line: str) -> bool:
    """A line reads like article prose: enough words and sentence-final punctuation."""
    return len(_WORD.findall(line)) >= MIN_PROSE_WORDS and bool(_SENTENCE_END.search(line))


def boilerplate_rule(line: str, counts: Counter[str] | None = None) -> str | None:
    """The name of the rule that removes ``line``, or None if it is body text."""
    key = line.strip()
    if counts is not None and counts[key] > 1 and len(key) >= MIN_REPEATED_CHARS:
        return "repeated"
    if any(p.search(key) for p in CAPTION_PATTERNS):
        return "caption"
    if any(p.search(key) for p in PHRASE_PATTERNS):
        return "phrase"
    if not is_prose(key):
        return "furniture"
    return None


def clean_lines(lines: list[str]) -> tuple[list[str], list[RemovedLine]]:
    """Split paragraph lines into (kept body paragraphs, removed lines with their rule)."""
    stripped = [ln.strip() for ln in lines]
    counts = Counter(s for s in stripped if s)
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for line in stripped:
        if not line:
            continue
        rule = boilerplate_rule(line, counts)
        if rule is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(line, rule))
    return kept, removed


def paragraph_lines(text: str) -> list[str]:
    """Turn raw text into one line per paragraph.

    Web copy saved as text has one paragraph per line. Hard-wrapped text
    (a line that does not end a sentence followed by one that starts in lower
    case, inside a block) is joined back into paragraphs first.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        current = ""
        for line in lines:
            if current and _is_wrap_continuation(current, line):
                current = f"{current} {line}"
            else:
                if current:
                    out.append(current)
                current = line
        if current:
            out.append(current)
    return out


def _is_wrap_continuation(previous: str, line: str) -> bool:
    return not _SENTENCE_END.search(previous) and line[:1].islower()
