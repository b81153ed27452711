"""Reviewing the alignment on the event view: why passages are together, and the analyst's
verdicts on it, one key each.

A mixin of :class:`~.event_screen.EventScreen`. The *link* the keys act on joins the focused
passage and a *partner*: another member of the event (``,`` and ``.`` step through them, best
scored first). ``y`` accepts the link, ``d`` rejects it, ``b`` detaches the focused passage from
the event, ``s`` attaches a passage from the suggestions or a search, ``N`` makes a new event of
the focused passage and one chosen the same way, ``F``/``T``/``U`` mark the
whole event same fact / same theme only / unrelated, ``R`` edits its title, ``w`` shows the
evidence in full. Every judgement is queued on the database thread in the key's handler (key
order), saved at once and undone with ``u`` like a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message

from .. import data, review_data
from ..widgets.evidence import (
    LINK_MARKS,
    EvidenceBar,
    header_mark,
    matched_sentence,
    score_text,
    shared_line,
    verdict_name,
)
from .event_screen_parts import EventScreenParts

if TYPE_CHECKING:
    from ..widgets.outlet_column import PassageRef


@dataclass
class ReviewLoaded(Message):
    view: review_data.ReviewView


@dataclass
class CandidatesLoaded(Message):
    candidates: list[review_data.Candidate]


class ReviewMixin(EventScreenParts):
    review: review_data.ReviewView | None = None
    #: (focused passage, the partner chosen for it with , and .); otherwise the best scored
    chosen_partner: tuple[str, str] | None = None

    # --- reading ---------------------------------------------------------------------------

    def _review_event_shown(self) -> None:
        """Called when an event is on screen: read its scores, judgements and changes."""
        if self.view is None:
            return
        if self.review is not None and self.review.event_id != self.view.summary.id:
            self.review = None
        self._show_review()
        self._load_review(self.view.summary.id, [p.id for p in self.view.passages])

    @work(group="review", exclusive=True, exit_on_error=False)
    async def _load_review(self, event_id: str, passage_ids: list[str]) -> None:
        view = await self.app.db.call(
            review_data.load_review, self.annotator, event_id, passage_ids
        )
        self.post_message(ReviewLoaded(view))

    def on_review_loaded(self, message: ReviewLoaded) -> None:
        if self.view is None or message.view.event_id != self.view.summary.id:
            return
        self.review = message.view
        if message.view.notice:
            self.notify(message.view.notice, title="This event changed", timeout=8, markup=False)
        self._update_header()
        self._show_review()

    # --- the link the keys act on ------------------------------------------------------------

    def _partners(self) -> list:
        """The focused passage's fellow members: other outlets first, best scored first."""
        focused = self.focused_passage
        if focused is None or self.view is None:
            return []
        me = focused.passage

        def rank(p):
            info = self.review.pair(me.id, p.id) if self.review else None
            return (p.column == me.column, -(info.score if info else -1), p.column, p.seq)

        return sorted((p for p in self.view.passages if p.id != me.id), key=rank)

    def _partner(self):
        partners = self._partners()
        if not partners:
            return None
        focused = self.focused_passage
        if self.chosen_partner and focused and self.chosen_partner[0] == focused.passage.id:
            for p in partners:
                if p.id == self.chosen_partner[1]:
                    return p
        return partners[0]

    def action_link_partner(self, step: int) -> None:
        partners = self._partners()
        if not partners:
            self.notify("No other passage in this event.", severity="warning")
            return
        focused, partner = self.focused_passage, self._partner()
        if focused is None or partner is None:
            return
        ids = [p.id for p in partners]
        current = ids.index(partner.id)
        self.chosen_partner = (focused.passage.id, ids[(current + step) % len(ids)])
        self._show_review()

    # --- showing ------------------------------------------------------------------------------

    def _show_review(self) -> None:
        bar = self.query_one(EvidenceBar)
        focused, partner = self.focused_passage, self._partner()
        self._column_marks()
        if focused is None or self.view is None:
            bar.show([])
            return
        me = focused.passage
        status = self.review_header()
        if partner is None:
            alone = Text("alone in the event: s attaches another · ", style="dim")
            bar.show([alone + status])
            return
        info = self.review.pair(me.id, partner.id) if self.review else None
        verdict = self.review.link(me.id, partner.id) if self.review else None
        if info is not None:
            how = " same fact"
        else:  # never scored: together through other members, or by the analyst's own link
            how = " (your link)" if verdict == "same" else " (joined through others)"
        line = Text.assemble(
            (f"¶{me.seq + 1}", "bold"),
            " ↔ ",
            (f"{partner.outlet} ¶{partner.seq + 1}", "bold"),
            ": ",
            score_text(info.score if info else None),
            (how, "dim"),
        )
        if verdict:
            line.append(" ")
            line.append(*LINK_MARKS[verdict])
        line.append(" · ", style="dim")
        line.append_text(status)
        lines = [line]
        if self.review is None:
            lines.append(Text("reading the evidence …", style="dim"))
        elif info is not None:
            lines.append(shared_line(info.evidence))
            a_side = "a" if me.id <= partner.id else "b"
            sentence = matched_sentence(info.evidence, a_side, me.text)
            if sentence:
                quote = Text.assemble(("matched: ", "dim"), (" ".join(sentence.split()), "italic"))
                lines.append(quote)
        if self.review is not None and self.review.notice:
            notice = Text("⚠ " + self.review.notice, style="bold yellow")
            lines.insert(0, notice)
        bar.show(lines)

    def _column_marks(self) -> None:
        """Each other column's header: its best score against the focused passage, and the
        annotator's verdict on that link."""
        focused = self.focused_passage
        for column in (refs[0].column for refs in self.grid if refs):
            if focused is None or column is focused.column or self.review is None:
                column.border_subtitle = ""
                continue
            me = focused.passage.id
            best = None
            for ref in column.refs:
                info = self.review.pair(me, ref.passage.id)
                verdict = self.review.link(me, ref.passage.id)
                score = info.score if info else None
                if best is None or (score or -1) > (best[0] or -1):
                    best = (score, verdict)
            column.border_subtitle = header_mark(*best) if best else ""

    def review_header(self) -> Text:
        """The annotator's verdict on the whole event."""
        if self.view is None:
            return Text()
        verdict = self.view.summary.verdict
        return Text.assemble(
            ("event: ", "dim"), (verdict_name(verdict), "bold" if verdict else "dim")
        )

    # --- judging ------------------------------------------------------------------------------

    def _judged(self) -> tuple[data.EventView, PassageRef] | None:
        """The event and the focused passage a judgement is about; ``None``, with a warning,
        when there is none."""
        view, focused = self.view, self.focused_passage
        if view is None or focused is None:
            self.notify("No passage to judge here.", severity="warning")
            return None
        return view, focused

    def action_judge_link(self, verdict: str) -> None:
        judged = self._judged()
        if judged is None:
            return
        view, focused = judged
        partner = self._partner()
        if partner is None:
            self.notify("No other passage in this event to link to.", severity="warning")
            return
        self._write(
            "Saved",
            review_data.judge_link,
            self.annotator,
            view.summary.id,
            focused.passage.id,
            partner.id,
            verdict,
            self.codebook.required,
        )

    def action_detach(self) -> None:
        judged = self._judged()
        if judged is None:
            return
        view, focused = judged
        passage = focused.passage
        event_id, required = view.summary.id, self.codebook.required
        self._write("Saved", review_data.detach, self.annotator, event_id, passage.id, required)

    def action_judge_event(self, verdict: str) -> None:
        if self.view is None:
            return
        event_id, required = self.view.summary.id, self.codebook.required
        self._write("Saved", review_data.judge_event, self.annotator, event_id, verdict, required)

    def action_edit_title(self) -> None:
        if self.view is None:
            return
        event_id = self.view.summary.id
        current = self.view.summary.title or ""

        def save(title: str | None) -> None:
            if title is not None and " ".join(title.split()) != current:
                self._write(
                    "Saved",
                    review_data.set_title,
                    self.annotator,
                    event_id,
                    title,
                    self.codebook.required,
                )

        from .review_dialogs import TitleScreen

        self.app.push_screen(TitleScreen(self.view.summary.label, current), save)

    def action_attach(self) -> None:
        judged = self._judged()
        if judged is None:
            return
        view, focused = judged
        event_id = view.summary.id
        members = [p.id for p in view.passages]
        anchor = focused.passage

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                passage_id, anchor_id = choice
                self._write(
                    "Saved",
                    review_data.attach,
                    self.annotator,
                    event_id,
                    passage_id,
                    anchor_id,
                    self.codebook.required,
                )

        from .review_dialogs import AttachScreen

        self.app.push_screen(AttachScreen(event_id, members, anchor), chosen)

    def action_new_event(self) -> None:
        judged = self._judged()
        if judged is None:
            return
        _, focused = judged
        from .review_dialogs import NewEventStartScreen

        start = NewEventStartScreen(focused.passage)
        self.app.push_screen(start, lambda choice: self._pick_partner(start.chosen, choice))

    def _pick_partner(self, first, choice: tuple[str, str] | None) -> None:
        """The second step of a new event: a partner for the passage it starts from."""
        if choice is None or first is None:
            return
        from .review_dialogs import NewEventScreen

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                other_id, _ = choice
                self._write(
                    "Saved",
                    review_data.new_event,
                    self.annotator,
                    first.id,
                    other_id,
                    self.codebook.required,
                )

        self.app.push_screen(NewEventScreen(first), chosen)

    def action_why(self) -> None:
        judged = self._judged()
        if judged is None:
            return
        view, focused = judged
        from .review_dialogs import EvidenceScreen

        me = focused.passage
        others = self._partners()
        self.app.push_screen(EvidenceScreen(me, others, self._partner(), self.review))

    def _review_changed(self, change, verb: str) -> None:
        """A judgement was written (or undone): show the event as it is now."""
        if verb:
            self.notify(f"{verb}: {change.description}", markup=False)
        if change.summary is not None:
            self.event_list.update_event(change.summary)
        if change.events:  # an event made or undone: the list gains or loses it
            if change.event_id is not None:
                self.wanted_event = change.event_id  # the list's cursor goes there
                self.stay_on = change.event_id  # even where the filter leaves it out
            self.load_events()
        if change.event_id is not None:
            focus = change.passage_id
            if self.view is not None and change.event_id == self.view.summary.id:
                focused = self.focused_passage
                if focused is not None and focus is None:
                    focus = focused.passage.id
            self.open_event(change.event_id, focus_passage=focus)
