"""Why two passages are in one event: the score and the evidence, compact (the bar under the
columns, the columns' headers) and in full (the ``w`` dialog, with the matched sentence marked
inside each passage).

Scores are the aligner's calibrated probability, in percent, that the two passages' matched
sentences state the same fact; they are shown as such ("62% same fact"), in whole percent
rounded down, so that the number and its colour agree: green from 50 (more likely the same
fact than not), yellow from 32 (the default threshold), red below. A pair the aligner never
scored directly (the two joined the event through others) says so.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import Static

from ...store.judgements import EVENT_VERDICT_NAMES

LINK_MARKS = {"same": ("✓ accepted", "bold green"), "different": ("✗ rejected", "bold red")}


def whole_percent(score: float) -> int:
    """A score as the interface shows it: rounded down, so 49.5 reads 49 (below the 50 that
    turns it green) and 31.9 reads 31 (below the default threshold of 32)."""
    return math.floor(score)


def score_text(score: float | None) -> Text:
    if score is None:
        return Text("not scored", style="dim")
    # green: more likely than not; yellow: kept at the default threshold (32 %)
    style = "bold green" if score >= 50 else "yellow" if score >= 32 else "red"
    return Text(f"{whole_percent(score)}%", style=style)


def header_mark(score: float | None, verdict: str | None) -> str:
    """A column header's few cells: the pair's score and the annotator's verdict on it."""
    text = "–" if score is None else f"{whole_percent(score)}%"
    if verdict == "same":
        text += " ✓"
    elif verdict == "different":
        text += " ✗"
    return text


def shared_line(evidence: dict, width: int | None = None) -> Text:
    """Shared amounts, names and words, the strongest evidence first."""
    parts = []
    for key, name, style in (
        ("shared_numbers", "amounts", "bold magenta"),
        ("shared_entities", "names", "bold cyan"),
        ("shared_words", "words", ""),
    ):
        values = [str(v) for v in evidence.get(key, [])]
        if values:
            parts.append(Text.assemble((f"{name}: ", "dim"), (", ".join(values), style)))
    if evidence.get("number_conflict"):
        parts.append(Text("amounts differ", style="bold red"))
    if not parts:
        return Text("no shared amounts, names or words recorded", style="dim italic")
    line = Text(" · ").join(parts)
    if width:
        line.truncate(width, overflow="ellipsis")
    return line


def claim_span(evidence: dict, side: str) -> tuple[int, int] | None:
    """The matched sentence's offsets in passage ``side`` ("a" or "b"), if the pair has one."""
    claim = evidence.get(f"claim_{side}")
    if isinstance(claim, dict) and isinstance(claim.get("start"), int):
        end = claim.get("end")
        if isinstance(end, int) and end > claim["start"]:
            return claim["start"], end
    return None


def marked_passage(text: str, span: tuple[int, int] | None) -> Text:
    """A passage with the matched sentence marked (reverse video and underlined)."""
    shown = Text(text)
    if span is not None:
        start, end = max(0, span[0]), min(len(text), span[1])
        if start < end:
            shown.stylize("reverse underline", start, end)
    return shown


def matched_sentence(evidence: dict, side: str, text: str) -> str | None:
    span = claim_span(evidence, side)
    return text[span[0] : span[1]] if span else None


def verdict_name(verdict: str | None) -> str:
    return EVENT_VERDICT_NAMES.get(verdict or "", "not reviewed")


class EvidenceBar(Static):
    """Under the columns: the focused passage's link to the partner the link keys act on.

    Three lines, each cut to the width: a fixed height, so showing another passage's evidence
    repaints the bar alone instead of laying the screen out again on every key press."""

    LINES = 3
    DEFAULT_CSS = """
    EvidenceBar { height: 3; padding: 0 1; background: $panel; }
    """

    def show(self, lines: list[Text]) -> None:
        width = max(10, self.size.width - 2) if self.size.width else None
        shown = []
        for line in lines[: self.LINES]:
            line = line.copy()
            line.no_wrap = True
            if width:
                line.truncate(width, overflow="ellipsis")
            shown.append(line)
        self.update(Text("\n").join(shown), layout=False)
