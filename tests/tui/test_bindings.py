"""One list of keys: the codebook may not take the interface's keys, and the help shows them all."""

from __future__ import annotations

import string

from textual.binding import Binding, BindingsMap

from nato_compare.codebook import RESERVED_KEYS, load_codebook
from nato_compare.tui.bindings import COMMAND_BINDINGS, key_rows, label_bindings


def bound_key(character: str) -> str:
    """The key name Textual binds for a character ("+" -> "plus")."""
    (key,) = BindingsMap([Binding(character, "bell")]).key_to_bindings
    return key


# Textual's key names back to the characters that type them (a comma separates keys).
CHARACTER = {bound_key(c): c for c in string.printable if c.isprintable() and c not in " ,"}
CHARACTER["comma"] = ","  # Textual's name for the comma key (bound_key cannot spell it)


def key_to_character(key: str) -> str | None:
    return CHARACTER.get(key)


def command_characters() -> set[str]:
    chars = set()
    for binding in COMMAND_BINDINGS:
        for key in binding.key.split(","):
            char = key_to_character(key)
            if char is not None and char.isprintable():
                chars.add(char)
    return chars


def test_every_command_key_is_reserved_from_codebooks():
    assert command_characters() <= RESERVED_KEYS
    assert RESERVED_KEYS - {" "} <= command_characters()


def test_label_bindings_follow_the_codebook():
    book = load_codebook()
    bindings = label_bindings(book)
    # The keys Textual binds (it names single characters: "+" -> "plus").
    bound = BindingsMap(bindings).key_to_bindings
    assert [key_to_character(key) for key in bound] == [
        label.key for d in book.dimensions for label in d.labels
    ]
    assert len({b.id for b in bindings}) == len(bindings)
    assert bindings[0].action == "label('frame', 'Economic')"


def test_help_rows_cover_every_binding_and_label():
    book = load_codebook()
    rows = dict(key_rows(book))
    for binding in COMMAND_BINDINGS:
        assert rows[binding.key_display or binding.key] == binding.description
    assert rows["+"] == "set (again: clear) stance FAVOR"
    assert rows["1"] == "toggle frame Economic"


def test_manual_documents_every_key():
    """The manual's key table names every key of the binding list and of the default codebook."""
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "annotating.md").read_text("utf-8")
    table = page.split("### Keys", 1)[1].split("### ", 1)[0]
    for binding in COMMAND_BINDINGS:
        assert f"`{binding.key_display or binding.key}`" in table, binding
    for dim in load_codebook().dimensions:
        for label in dim.labels:
            assert f"`{label.key}`" in table, label
