"""The review's dialogs: choose a passage (suggestions or a search) to attach to the event or
to make a new event with, the evidence in full, and the event's title."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from .. import review_data
from ..widgets.evidence import (
    LINK_MARKS,
    claim_span,
    marked_passage,
    score_text,
    shared_line,
)

if TYPE_CHECKING:
    from ..app import AnnotateApp


SEARCH_PAUSE = 0.15  # seconds of no typing before the passages are searched


def _widen(dialog) -> None:
    """Lists and passages need more room than the app's standard dialog (set on the widget:
    the app's stylesheet outranks a screen's default CSS)."""
    dialog.styles.width = 120
    dialog.styles.height = "90%"


def _one_line(text: str, width: int = 200) -> str:
    return " ".join(text.split())[:width]


class PassagePicker(ModalScreen[tuple[str, str] | None]):
    """Choose a passage: the aligner's best candidates for the anchor passage(s), with score
    and evidence; typing searches every passage instead. Enter takes the highlighted one;
    returns (passage id, the anchor it goes with) or None. Subclasses say what for."""

    DEFAULT_CSS = """
    PassagePicker .dialog OptionList { height: 1fr; }
    """
    if TYPE_CHECKING:
        app: AnnotateApp  # Textual types it App[object]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="attach.cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]
    DIALOG_ID = "pick-dialog"
    VERB = "choose"  # what Enter does, in the dialog's last line
    NONE_FOUND = "no passage contains that"
    NO_SUGGESTIONS = "no suggestions: the aligner scored no other candidate; type to search"
    SCORED = True  # each candidate is shown with its score against the anchor

    def __init__(self) -> None:
        super().__init__()
        self.candidates: list[review_data.Candidate] = []

    def title_text(self) -> str:
        raise NotImplementedError

    def suggestions(self, db) -> list[review_data.Candidate]:
        """The candidates shown before anything is typed (on the database thread)."""
        raise NotImplementedError

    def found(self, db, words: str) -> list[review_data.Candidate]:
        """The passages that contain ``words`` (on the database thread)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=self.DIALOG_ID, classes="dialog"):
            yield Label(Text(self.title_text()), classes="dialog-title")
            yield Input(placeholder="type to search all passages; empty: suggestions", id="find")
            yield OptionList(id="candidates")
            yield Label(f"↑↓ choose · Enter {self.VERB} · Esc cancel", classes="dim")

    def on_mount(self) -> None:
        _widen(self.query_one(f"#{self.DIALOG_ID}"))
        self.query_one(Input).focus()
        self._find("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._find(event.value)

    @work(group="attach", exclusive=True, exit_on_error=False)
    async def _find(self, words: str) -> None:
        db = self.app.db
        if words.strip():
            await asyncio.sleep(SEARCH_PAUSE)  # a key typed meanwhile cancels this search
            found = await db.call(self.found, words)
        else:
            found = await db.call(self.suggestions)
        self._show(found, searching=bool(words.strip()))

    def _show(self, found: list[review_data.Candidate], searching: bool) -> None:
        self.candidates = found
        options = self.query_one(OptionList)
        options.clear_options()
        if not found:
            what = self.NONE_FOUND if searching else self.NO_SUGGESTIONS
            options.add_option(Option(Text(what, style="dim italic"), disabled=True))
            return
        width = max(30, (options.size.width or 80) - 4)
        for candidate in found:
            head = Text.assemble(
                score_text(candidate.score) if self.SCORED else "",
                "  " if self.SCORED else "",
                (f"{candidate.outlet} ¶{candidate.seq + 1}", "bold"),
                ": ",
                _one_line(candidate.text),
            )
            head.truncate(width, overflow="ellipsis")
            lines = [head]
            detail = Text("   ")
            if candidate.anchor:
                detail.append(f"with {candidate.anchor}", style="dim")
            if candidate.evidence:
                detail.append(" · " if candidate.anchor else "", style="dim")
                detail.append_text(shared_line(candidate.evidence))
            if candidate.anchor or candidate.evidence:
                detail.truncate(width, overflow="ellipsis")
                lines.append(detail)
            options.add_option(Option(Text("\n").join(lines), id=candidate.passage_id))
        options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def on_input_submitted(self) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.candidates):
            return
        chosen = self.candidates[index]
        self.dismiss((chosen.passage_id, chosen.anchor_id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AttachScreen(PassagePicker):
    """The best candidates from other outlets that the aligner left out of the event; Enter
    attaches the highlighted one (as the same as the member it was suggested for, or as the
    focused passage when found by a search)."""

    DIALOG_ID = "attach-dialog"
    VERB = "attach"
    NONE_FOUND = "no passage outside the event contains that"

    def __init__(self, event_id: str, members: list[str], anchor) -> None:
        super().__init__()
        self.event_id, self.members, self.anchor_passage = event_id, members, anchor

    def title_text(self) -> str:
        anchor = self.anchor_passage
        return (
            "Attach a passage to this event (a search result joins it as the same as "
            f"{anchor.outlet} ¶{anchor.seq + 1})"
        )

    def suggestions(self, db) -> list[review_data.Candidate]:
        return review_data.candidates(db, self.event_id, self.members)

    def found(self, db, words: str) -> list[review_data.Candidate]:
        return review_data.search(db, self.event_id, self.members, self.anchor_passage.id, words)


@dataclass(frozen=True)
class ChosenPassage:
    """The passage a new event starts from, as the next dialog names it."""

    id: str
    outlet: str
    seq: int


class NewEventStartScreen(PassagePicker):
    """The first of the two passages of a new event: the focused one (Enter), or any passage a
    search finds, also one no event holds (a fact the aligner left out everywhere)."""

    DIALOG_ID = "new-event-start-dialog"
    VERB = "start from it"
    NONE_FOUND = "no passage contains that"
    NO_SUGGESTIONS = "type to search every passage"
    SCORED = False  # nothing to score it against yet

    def __init__(self, passage) -> None:
        super().__init__()
        self.passage = passage
        self.chosen: ChosenPassage | None = None

    def title_text(self) -> str:
        return (
            f"New event: start from {self.passage.outlet} ¶{self.passage.seq + 1} (Enter), or "
            "type to find another passage, in an event or not"
        )

    def suggestions(self, db) -> list[review_data.Candidate]:
        return review_data.passage_as_candidate(db, self.passage.id)

    def found(self, db, words: str) -> list[review_data.Candidate]:
        return review_data.any_passage_search(db, self.passage.id, words)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.candidates):
            picked = self.candidates[index]
            self.chosen = ChosenPassage(picked.passage_id, picked.outlet, picked.seq)
        super()._choose(index)


class NewEventScreen(PassagePicker):
    """The passages of other outlets the aligner scored best against the focused passage and
    that no event holds with it; Enter makes a new event of the two."""

    DIALOG_ID = "new-event-dialog"
    VERB = "new event"
    NONE_FOUND = "no passage of another outlet, in no event with this one, contains that"
    NO_SUGGESTIONS = (
        "no suggestions: the aligner scored no passage of another outlet against this one; "
        "type to search"
    )

    def __init__(self, passage) -> None:
        super().__init__()
        self.passage = passage

    def title_text(self) -> str:
        return (
            f"New event with {self.passage.outlet} ¶{self.passage.seq + 1}: choose a passage "
            "of another outlet that reports the same fact"
        )

    def suggestions(self, db) -> list[review_data.Candidate]:
        return review_data.new_event_candidates(db, self.passage.id)

    def found(self, db, words: str) -> list[review_data.Candidate]:
        return review_data.new_event_search(db, self.passage.id, words)


class EvidenceScreen(ModalScreen[None]):
    """The focused passage's score against every other member, and for the partner the whole
    evidence with the matched sentence marked inside both passages."""

    DEFAULT_CSS = """
    #evidence-dialog VerticalScroll { height: 1fr; }
    """
    BINDINGS = [Binding("escape,w,q", "dismiss", "Close", key_display="Esc")]

    def __init__(self, me, others: list, partner, review) -> None:
        super().__init__()
        self.me, self.others, self.partner, self.review = me, others, partner, review

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-dialog", classes="dialog"):
            yield Label(
                Text(f"Why {self.me.outlet} ¶{self.me.seq + 1} is in this event"),
                classes="dialog-title",
            )
            with VerticalScroll():
                yield Static(self._body(), id="evidence-body")
            yield Label("↑↓ PgUp PgDn scroll · Esc close", classes="dim")

    def on_mount(self) -> None:
        _widen(self.query_one("#evidence-dialog"))
        self.query_one(VerticalScroll).focus()  # the arrow keys scroll a long evidence

    def _body(self) -> Text:
        me, review = self.me, self.review
        out = Text()
        out.append("Scores against the other passages ", style="bold")
        out.append(
            "(the probability that their matched sentences state the same fact)\n", style="dim"
        )
        for other in self.others:
            info = review.pair(me.id, other.id) if review else None
            verdict = review.link(me.id, other.id) if review else None
            out.append("  ")
            out.append_text(score_text(info.score if info else None))
            out.append(f"  {other.outlet} ¶{other.seq + 1}")
            if verdict:
                out.append("  ")
                out.append(*LINK_MARKS[verdict])
            out.append("\n")
        partner = self.partner
        if partner is None:
            return out
        info = review.pair(me.id, partner.id) if review else None
        out.append(f"\n{me.outlet} ¶{me.seq + 1} ↔ {partner.outlet} ¶{partner.seq + 1}\n", "bold")
        if info is None:
            out.append(
                "The aligner did not score this pair: the two joined the event through other "
                "passages.\n",
                style="dim",
            )
            evidence = {}
        else:
            evidence = info.evidence
            out.append_text(shared_line(evidence))
            out.append("\n")
        mine, theirs = ("a", "b") if me.id <= partner.id else ("b", "a")
        for passage, side in ((me, mine), (partner, theirs)):
            out.append(f"\n{passage.outlet} ¶{passage.seq + 1}", style="bold")
            span = claim_span(evidence, side)
            out.append("  (the matched sentence is marked)\n" if span else "\n", style="dim")
            out.append_text(marked_passage(passage.text, span))
            out.append("\n")
        return out


class TitleScreen(ModalScreen[str | None]):
    """The annotator's title for an event (empty: the aligner's label again)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="title.cancel")]

    def __init__(self, label: str, title: str) -> None:
        super().__init__()
        self.label, self.title_text = label, title

    def compose(self) -> ComposeResult:
        with Vertical(id="title-dialog", classes="dialog"):
            yield Label("Title of this event", classes="dialog-title")
            yield Label(Text.assemble(("aligner's label: ", "dim"), self.label))
            yield Input(self.title_text, placeholder="e.g. Rutte: €40 billion pledge on track")
            yield Label("Enter save · Esc cancel · empty: the aligner's label", classes="dim")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
