"""The one CSV writer of nato-compare: every CSV the tool writes goes through :func:`write_csv`.

**RFC 4180.** Fields are separated by commas; a field holding a comma, a double quote, a
carriage return or a line feed is quoted, its quotes doubled. A bare ``\\r`` is quoted too
(Python's :mod:`csv` module before 3.13 quotes only the characters of its line terminator, so a
note holding a bare CR came out unquoted and split the record). Records end in ``\\n``, or in
``\\r\\n`` with ``excel=True``, which also writes a byte-order mark so Excel reads UTF-8.

**Formula guard.** A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and, per OWASP, a tab or carriage return) as a formula. Such a text cell is written with one
``'`` in front. A text cell that really begins with ``'`` gets one too, so the rule is
unambiguous and exactly reversible: **a CSV cell that begins with ``'`` had one ``'`` added;
``import`` removes exactly one** (:func:`restore`). So ``=SUM(A1)`` is written ``'=SUM(A1)``,
``- a dash`` ``'- a dash`` and ``'quoted'`` ``''quoted'``. Numbers (Python ``int`` and
``float`` values, such as a negative kappa) are written as numbers: they are not formulas.
The header is guarded like any text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"


def neutralise(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula, or that begins with ``'``."""
    return _ESCAPE + cell if cell.startswith(_FORMULA_STARTS + (_ESCAPE,)) else cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise`: drop exactly one leading ``'``."""
    return cell[1:] if cell.startswith(_ESCAPE) else cell


def cell_text(value: object) -> str:
    """What a value looks like in a cell: ``None`` is empty, a float its shortest exact text,
    text guarded by :func:`neutralise`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back to the same float
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


class CsvWriter:
    """Writes records of cells to ``stream`` by the rules of this module."""

    def __init__(self, stream: IO[str], *, excel: bool = False) -> None:
        self._stream = stream
        self._end = "\r\n" if excel else "\n"
        self._buffer = io.StringIO()
        # "\r\n" as the terminator makes the csv module quote every field holding \r or \n;
        # each record is formatted in a buffer and written with the terminator asked for
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def writerow(self, values: Iterable[object]) -> None:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow([cell_text(v) for v in values])
        self._stream.write(self._buffer.getvalue()[:-2] + self._end)


def write_csv(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    stream: IO[str],
    columns: Iterable[str],
    *,
    excel: bool = False,
) -> int:
    """Write a header of ``columns`` and one record per row (a mapping read by column name,
    missing keys empty, or a sequence in column order); return the number of rows."""
    writer = CsvWriter(stream, excel=excel)
    columns = list(columns)
    writer.writerow(columns)
    count = 0
    for row in rows:
        if isinstance(row, Mapping):
            writer.writerow(row.get(c) for c in columns)
        else:
            writer.writerow(row)
        count += 1
    return count
