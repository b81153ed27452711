"""Text is data, never control: the one function that makes any text safe for the terminal.

Passages come from the open web and notes from other people's databases (``import``,
``merge``): an ``ESC`` in them would reach the terminal as a command (``ESC]0;…BEL`` sets
the window title, ``ESC[H`` moves the cursor over the header), and ``[red]`` in a title
would be read as Rich markup where a widget parses markup (a border title, a notification).

:func:`terminal_safe` shows every C0 control character but newline and tab as its Unicode
control picture (``ESC`` → ``␛``, ``BEL`` → ``␇``, ``CR`` → ``␍``), ``DEL`` as ``␡``, and the
C1 controls (``U+0080``–``U+009F``, which some terminals obey like ``ESC`` sequences) as
``�``: one visible cell each, so columns stay aligned. :func:`safe_markup` also escapes Rich
markup, for the places that parse it. The database keeps the original text; only what is
drawn is changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from rich.markup import escape

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1_PICTURE = "\ufffd"


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return _C1_PICTURE


def terminal_safe(text: str) -> str:
    """``text`` with its control characters (but ``\\n`` and ``\\t``) shown as visible
    symbols, so that printing it can never command the terminal."""
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


def safe_markup(text: str) -> str:
    """:func:`terminal_safe`, with Rich markup escaped: for text placed inside markup."""
    return escape(terminal_safe(text))


def control_characters(text: str) -> Counter[str]:
    """The control characters :func:`terminal_safe` would neutralise, by name (``ESC``...)."""
    return Counter(_name(c) for c in _CONTROL.findall(text))


def _name(char: str) -> str:
    names = {0x1B: "ESC", 0x07: "BEL", 0x0D: "CR", 0x08: "BS", 0x00: "NUL", 0x7F: "DEL"}
    code = ord(char)
    return names.get(code) or str(unicodedata.name(char, f"U+{code:04X}"))
