"""Annotating on the event view: label keys, notes, undo/redo, and the adjudication panel.

A mixin of :class:`~.event_screen.EventScreen` (kept apart so each file stays readable).
Every write is queued on the database thread in the key's handler, so writes happen in
key-press order; a worker waits for the result and posts :class:`~..messages.Changed`.
"""

from __future__ import annotations

from concurrent.futures import Future

from textual import work

from .. import data
from ..messages import AdjudicationLoaded, Changed
from ..widgets.label_bar import AdjudicationPanel, DefinitionLine
from .event_screen_parts import EventScreenParts

_NOTHING_TO = {"Undone": "Nothing to undo.", "Redone": "Nothing to redo."}


class AnnotatingMixin(EventScreenParts):
    # --- annotating ------------------------------------------------------------

    def action_label(self, dimension: str, label: str) -> None:
        passage = self.focused_passage
        if passage is None or self.view is None:
            self.notify("No passage to label here.", severity="warning")
            return
        dim = self.codebook.dimension(dimension)
        self.query_one(DefinitionLine).label_given(passage.passage.id, dimension, label)
        self._write(
            "",
            data.apply_label,
            self.annotator,
            dim,
            label,
            passage.passage.id,
            self.view.summary.id,
            self.codebook.required,
        )

    def action_undo(self) -> None:
        self._write("Undone", data.apply_undo, self.annotator, False, self.codebook.required)

    def action_redo(self) -> None:
        self._write("Redone", data.apply_undo, self.annotator, True, self.codebook.required)

    def action_passage_note(self) -> None:
        passage = self.focused_passage
        if passage is None or self.view is None:
            return
        event_id, passage_id = self.view.summary.id, passage.passage.id
        note = passage.labels.note if passage.labels else ""

        def save(text: str | None) -> None:
            if text is not None and text.strip() != note:
                self._write(
                    "",
                    data.apply_passage_note,
                    self.annotator,
                    passage_id,
                    event_id,
                    text,
                    self.codebook.required,
                )

        # Imported here: the note editor (Textual's TextArea) is not needed for the first screen.
        from .note_screen import NoteScreen

        # The dialog takes the bottom of the screen: the passage goes to the column's top.
        top, _ = passage.span
        passage.column.scroll_to(y=top, animate=False, immediate=True)

        self.app.push_screen(
            NoteScreen(f"Note on {passage.passage.outlet} ¶{passage.passage.seq + 1}", note), save
        )

    def action_event_note(self) -> None:
        if self.view is None:
            return
        event_id, note = self.view.summary.id, self.view.note

        def save(text: str | None) -> None:
            if text is not None and text.strip() != note:
                self._write("", data.apply_event_note, self.annotator, event_id, text)

        from .note_screen import NoteScreen

        self.app.push_screen(NoteScreen(f"Note on event {self.view.summary.seq}", note), save)

    def _write(self, verb: str, fn, *args) -> None:
        """Queue a write now, in key-press order; prefetched events may be stale after it."""
        self.read_ahead.written()
        self._finish_write(self.app.db.submit_write(fn, *args), verb)

    @work(group="write", exit_on_error=False)
    async def _finish_write(self, future: Future, verb: str) -> None:
        change = await self.app.saved(future)
        self.post_message(Changed(change, verb))

    def on_changed(self, message: Changed) -> None:
        change = message.change
        if change is None:
            self.notify(_NOTHING_TO.get(message.verb, "Nothing changed."), severity="warning")
            return
        if change.review:  # a judgement on the alignment (see review.py)
            self._review_changed(change, message.verb)
            return
        if message.verb:
            self.notify(f"{message.verb}: {change.description}", markup=False)
        if change.summary is not None:
            self.event_list.update_event(change.summary)
        for other in change.others:  # the passage's other events (other facts it states)
            self.event_list.update_event(other)
        shown = self.view
        in_view = shown is not None and change.event_id == shown.summary.id
        if change.passage_id is not None:
            if shown is not None and in_view:
                if change.summary is not None:
                    shown.summary = change.summary
                for ref in (r for column in self.grid for r in column):
                    if ref.passage.id == change.passage_id and change.labels is not None:
                        ref.set_labels(change.labels)
                        shown.labels[change.passage_id] = change.labels
                        shown.prepared.pop(ref.column.key, None)  # painted before the change
                if message.verb:
                    self._focus_passage_id(change.passage_id)
                self._after_focus()
            elif change.event_id is not None and message.verb:
                self.open_event(change.event_id, focus_passage=change.passage_id)
        elif change.event_note is not None:
            if shown is not None and in_view:
                shown.note = change.event_note
            elif message.verb and change.event_id:
                self.open_event(change.event_id)
        self._update_header()

    # --- blind coding: every annotator's labels -------------------------------
    # Another annotator's labels on a passage are shown only once this annotator has coded it
    # completely (the database thread checks, see ``store.annotations.compare_labels``), or
    # to an annotator who opened the database as adjudicator (logged in ``role_log``).

    def action_toggle_adjudication(self) -> None:
        if self.show_all:
            self.close_all_annotators()
            return
        passage = self.focused_passage
        if passage is None:
            return
        self.show_all = True
        self._load_adjudication(passage.passage.id)

    def close_all_annotators(self) -> None:
        self.show_all = False
        self.query_one(AdjudicationPanel).set_class(True, "hidden")

    @work(group="adjudication", exclusive=True, exit_on_error=False)
    async def _load_adjudication(self, passage_id: str) -> None:
        comparison = await self.app.db.call(
            data.compare_labels,
            self.annotator,
            passage_id,
            self.codebook.required,
            self.app.adjudicator,
        )
        self.post_message(AdjudicationLoaded(comparison))

    def on_adjudication_loaded(self, message: AdjudicationLoaded) -> None:
        comparison = message.comparison
        passage = self.focused_passage
        if not self.show_all or passage is None or passage.passage.id != comparison.passage_id:
            return
        panel = self.query_one(AdjudicationPanel)
        where = f"{passage.passage.outlet} ¶{passage.passage.seq + 1}"
        if comparison.by_annotator is None:
            if panel.has_class("hidden"):  # asked for on a passage not yet coded: refused
                self.show_all = False
                self.notify(comparison.refused, title="Blind coding", severity="warning")
                return
            panel.show_refusal(where, comparison.refused)
        else:
            panel.show_annotators(where, comparison.by_annotator)
        panel.set_class(False, "hidden")
