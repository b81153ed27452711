"""Cleaned text → passages with stable, content-derived ids and offsets.

A passage is a paragraph; a paragraph longer than ``MAX_PASSAGE_CHARS`` is cut
at sentence boundaries into runs of sentences of at most that length (a single
longer sentence stays whole).

Passage ids are ``p-`` + the first 16 hex digits of SHA-1 over the article id,
the passage text and its occurrence number among identical passages of that
article. The id therefore depends on the content, not on the position: an
edit elsewhere in the article leaves a passage's id (and its annotations)
unchanged, and the same input always gives the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from .model import Passage

MAX_PASSAGE_CHARS = 700
PARAGRAPH_SEPARATOR = "\n\n"

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "lt",
    "col",
    "sgt",
    "capt",
    "maj",
    "adm",
    "sen",
    "rep",
    "gov",
    "pres",
    "st",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "approx",
    "est",
    "fig",
}
_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``; spans cover the text without the gaps."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_BOUNDARY.finditer(text):
        end = match.start()
        # include closing quotes/brackets in the sentence they close
        end += len(match.group(0)) - len(match.group(0).lstrip("\"'”’)]"))
        last_word = re.search(r"([\w.]+)[.!?…]$", text[start : match.start()])
        if last_word:
            word = last_word.group(1).lower().rstrip(".")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        spans.append((start, end))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if e > s]


# More abbreviations that end no sentence, for claims only (see split_claims): times, titles,
# places and U.S. state abbreviations as news agencies write them; none is also a word ("ill.",
# "Mass.", "ore." end real sentences).
_CLAIM_ABBREVIATIONS = {
    "a.m", "p.m", "mt", "cpl", "pvt", "const", "supt", "insp", "reps", "sens", "govs", "ala",
    "ariz", "calif", "colo", "conn", "fla", "mich", "minn", "okla", "tenn", "wyo", "d.c",
}  # fmt: skip
_ENDS_IN_ABBREVIATION = re.compile(r"([\w.]+)\.[\"'”’)\]]*\s*$")
_ENDS_IN_NUMBER = re.compile(r"\d\.\s*$")


def split_claims(text: str) -> list[tuple[int, int]]:
    """Sentence spans for comparing claims: :func:`split_sentences`, with the sentences that a
    time ("7 p.m. Wednesday"), a title or place ("Mt. Cook", "Cpl. Smith") or a number written
    with a space ("magnitude 4. 6") cut in two joined again. Passages keep
    :func:`split_sentences`: their ids, and so the annotations on them, depend on it."""
    spans = split_sentences(text)
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined:
            before = text[joined[-1][0] : joined[-1][1]]
            word = _ENDS_IN_ABBREVIATION.search(before)
            if (word and word.group(1).lower() in _CLAIM_ABBREVIATIONS) or (
                _ENDS_IN_NUMBER.search(before) and text[start : start + 1].isdigit()
            ):
                joined[-1] = (joined[-1][0], end)
                continue
        joined.append((start, end))
    return joined


def split_paragraph(paragraph: str, max_chars: int = MAX_PASSAGE_CHARS) -> list[tuple[int, int]]:
    """Spans of ``paragraph`` no longer than ``max_chars`` where sentences allow."""
    if len(paragraph) <= max_chars:
        return [(0, len(paragraph))]
    chunks: list[tuple[int, int]] = []
    chunk_start, chunk_end = None, None
    for s, e in split_sentences(paragraph):
        if chunk_start is None:
            chunk_start, chunk_end = s, e
        elif e - chunk_start <= max_chars:
            chunk_end = e
        elif chunk_end is not None:
            chunks.append((chunk_start, chunk_end))
            chunk_start, chunk_end = s, e
    if chunk_start is not None and chunk_end is not None:
        chunks.append((chunk_start, chunk_end))
    return chunks


def passage_id(article_id: str, text: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{article_id}\x1f{occurrence}\x1f{text}".encode()).hexdigest()
    return f"p-{digest[:16]}"


def join_paragraphs(paragraphs: list[str]) -> str:
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def segment(
    article_id: str, cleaned_text: str, max_chars: int = MAX_PASSAGE_CHARS
) -> list[Passage]:
    """Passages of an article's cleaned text (paragraphs separated by a blank line)."""
    passages: list[Passage] = []
    seen: Counter[str] = Counter()
    offset = 0
    for paragraph in cleaned_text.split(PARAGRAPH_SEPARATOR):
        for s, e in split_paragraph(paragraph, max_chars):
            text = paragraph[s:e]
            occurrence = seen[text]
            seen[text] += 1
            passages.append(
                Passage(
                    id=passage_id(article_id, text, occurrence),
                    article_id=article_id,
                    seq=len(passages),
                    start=offset + s,
                    end=offset + e,
                    text=text,
                )
            )
        offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return passages
