"""The one function that makes text safe for the terminal, and the one CSV writer."""

from __future__ import annotations

import io

import pytest
from rich.text import Text

from nato_compare.csv_safe import write_csv
from nato_compare.safe_text import control_characters, safe_markup, terminal_safe


@pytest.mark.parametrize(
    "text, shown",
    [
        ("\x1b]0;TITLE\x07", "␛]0;TITLE␇"),
        ("a\x1b[Hb", "a␛[Hb"),
        ("bare\rCR", "bare␍CR"),
        ("\x9b31m C1 CSI", "\ufffd31m C1 CSI"),
        ("nul\x00 del\x7f", "nul␀ del␡"),
        ("lines\nand\ttabs stay", "lines\nand\ttabs stay"),
        ("НАТО [red]x[/red]", "НАТО [red]x[/red]"),
    ],
)
def test_control_characters_are_shown_one_visible_cell_each(text, shown):
    assert terminal_safe(text) == shown
    assert len(terminal_safe(text)) == len(text)  # one cell each: columns stay aligned


def test_safe_markup_shows_the_markup_as_written():
    assert Text.from_markup(safe_markup("[red]x[/red] \x1b[H")).plain == "[red]x[/red] ␛[H"


def test_control_characters_are_counted_by_name():
    assert control_characters("\x1b]0;T\x07 \x1b[H\r") == {"ESC": 2, "BEL": 1, "CR": 1}


def test_a_bare_cr_is_quoted_and_a_number_is_not_guarded():
    out = io.StringIO()
    write_csv([{"a": "bare\rCR", "b": -0.25, "c": "-x"}], out, ["a", "b", "c"])
    assert out.getvalue() == 'a,b,c\n"bare\rCR",-0.25,\'-x\n'
