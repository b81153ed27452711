"""Every key of the annotation screen, in one list: the footer, the help screen and the
key table of docs/annotating.md are generated from it, and binding ids let users remap keys.

Codebook labels get their keys from the codebook (:func:`label_bindings`);
the keys below are the ones a codebook may not use
(:data:`nato_compare.codebook.RESERVED_KEYS`).
"""

from __future__ import annotations

from textual.binding import Binding

from ..codebook import Codebook

#: Reviewing the alignment (see ``screens/review.py`` and docs/reviewing.md).
REVIEW_BINDINGS: list[Binding] = [
    Binding(
        "y",
        "judge_link('same')",
        "Accept link",
        id="review.accept",
        tooltip="The focused passage and its partner report the same event.",
    ),
    Binding(
        "d",
        "judge_link('different')",
        "Reject link",
        id="review.reject",
        tooltip="The focused passage and its partner report different events.",
    ),
    Binding(
        "comma",
        "link_partner(-1)",
        "Previous partner",
        show=False,
        key_display=",",
        id="review.partner_previous",
    ),
    Binding(
        "full_stop",
        "link_partner(1)",
        "Next partner",
        show=False,
        key_display=".",
        id="review.partner_next",
        tooltip="The other passage the link keys act on.",
    ),
    Binding(
        "b",
        "detach",
        "Detach",
        id="review.detach",
        tooltip="Take the focused passage out of the event (apart from each member).",
    ),
    Binding(
        "s",
        "attach",
        "Attach",
        id="review.attach",
        tooltip="Add a passage: the aligner's suggestions, or type to search.",
    ),
    Binding(
        "N",
        "new_event",
        "New event",
        show=False,
        id="review.new_event",
        tooltip="A new event of two passages of different outlets that report the same fact:"
        " the focused one (Enter) or any you search for, then its partner.",
    ),
    Binding("F", "judge_event('same_fact')", "Same fact", show=False, id="review.same_fact"),
    Binding(
        "T", "judge_event('same_theme')", "Same theme only", show=False, id="review.same_theme"
    ),
    Binding("U", "judge_event('unrelated')", "Unrelated", show=False, id="review.unrelated"),
    Binding("R", "edit_title", "Edit title", show=False, id="review.title"),
    Binding(
        "w",
        "why",
        "Why together",
        id="review.why",
        tooltip="Scores against every member and the evidence, the matched sentence marked.",
    ),
]

COMMAND_BINDINGS: list[Binding] = [
    Binding("right_square_bracket", "next_event", "Next event", key_display="]", id="event.next"),
    Binding(
        "left_square_bracket", "previous_event", "Prev event", key_display="[", id="event.previous"
    ),
    Binding(
        "n",
        "next_unannotated",
        "Next to code",
        id="passage.next_unannotated",
        tooltip="The next passage you have not coded completely (a frame-only passage too): in"
        " this event, else in the next event that has one (wrapping round; filters apply).",
    ),
    Binding(
        "down,j", "move(0, 1)", "Passage below", show=False, key_display="↓ j", id="passage.down"
    ),
    Binding("up,k", "move(0, -1)", "Passage above", show=False, key_display="↑ k", id="passage.up"),
    Binding(
        "right,l", "move(1, 0)", "Next outlet", show=False, key_display="→ l", id="passage.right"
    ),
    Binding(
        "left,h", "move(-1, 0)", "Previous outlet", show=False, key_display="← h", id="passage.left"
    ),
    Binding(
        "pagedown",
        "scroll_column(1)",
        "Scroll column down",
        show=False,
        key_display="PgDn",
        id="column.page_down",
    ),
    Binding(
        "pageup",
        "scroll_column(-1)",
        "Scroll column up",
        show=False,
        key_display="PgUp",
        id="column.page_up",
    ),
    Binding("u", "undo", "Undo", id="annotation.undo", tooltip="Also after a restart."),
    Binding("r", "redo", "Redo", id="annotation.redo"),
    Binding(
        "m",
        "passage_note",
        "Note",
        id="annotation.passage_note",
        tooltip="Note on the focused passage (Ctrl+S saves, Esc cancels, empty removes it).",
    ),
    Binding(
        "e",
        "event_note",
        "Event note",
        id="annotation.event_note",
        tooltip="Note on the whole event.",
    ),
    Binding(
        "slash",
        "search",
        "Search",
        key_display="/",
        id="events.search",
        tooltip="Events whose passages contain the words.",
    ),
    Binding(
        "f",
        "filter",
        "Filter",
        id="events.filter",
        tooltip="By outlet, by a label you gave, by annotated or not (and the search).",
    ),
    Binding(
        "a",
        "toggle_adjudication",
        "All annotators",
        id="annotation.adjudication",
        tooltip="Every annotator's labels for the focused passage (adjudication); again to hide.",
    ),
    Binding(
        "tab",
        "toggle_focus",
        "Event list ⇄ passages",
        show=False,
        key_display="Tab",
        id="focus.next",
        tooltip="The event list (shown if it was collapsed), and back to the passage.",
    ),
    Binding(
        "v",
        "toggle_list",
        "Events",
        id="events.toggle_list",
        tooltip="Show or collapse the event list (collapsed at first on a narrow terminal).",
    ),
    Binding(
        "greater_than_sign",
        "page_outlets(1)",
        "More outlets",
        show=False,
        key_display=">",
        id="column.page_right",
        tooltip="The next outlet columns, when not all fit (at 80 columns: two at a time).",
    ),
    Binding(
        "less_than_sign",
        "page_outlets(-1)",
        "Previous outlets",
        show=False,
        key_display="<",
        id="column.page_left",
    ),
    *REVIEW_BINDINGS,
    Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
    Binding("q", "app.quit", "Quit", id="app.quit"),
]


def binding_key(character: str) -> str:
    """The key string of a binding for the key that types ``character``: Textual turns a single
    character into its key name ("+" → "plus") itself, but reads a comma as a separator."""
    return "comma" if character == "," else character


def label_bindings(codebook: Codebook) -> list[Binding]:
    """One binding per codebook label; hidden from the footer, which cannot hold them all
    (the label bar above it shows every label key with its state)."""
    return [
        Binding(
            binding_key(label.key),
            f"label({dim.name!r}, {label.name!r})",
            f"{dim.title}: {label.name}",
            show=False,
            key_display=label.key,
            id=f"label.{dim.name}.{label.name}",
        )
        for dim in codebook.dimensions
        for label in dim.labels
    ]


def key_rows(codebook: Codebook | None = None) -> list[tuple[str, str]]:
    """(keys, what they do) for the help screen and the manual, commands first."""
    rows = [(b.key_display or b.key, b.description) for b in COMMAND_BINDINGS]
    rows.append(("Enter", "in the event list: open the highlighted event"))
    rows.append(("Esc", "close a dialog without saving"))
    if codebook is not None:
        for dim in codebook.dimensions:
            how = "toggle" if dim.multi else "set (again: clear)"
            for label in dim.labels:
                rows.append((label.key, f"{how} {dim.title.lower()} {label.name}"))
    return rows
