"""The diary as CSV, one row per day (docs/reference/exports.md lists the columns).

Cells: dates ISO 8601 (``2026-03-02``); numbers as written (``12`` or ``7.5``); yes/no
answers as ``yes``, ``no`` or empty when not answered; empty for "not recorded". Free text
(the note) is quoted by the ``csv`` module, so commas, quotes and line breaks survive.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or
carriage return) as a formula: CSV formula injection. As OWASP advises
(https://owasp.org/www-community/attacks/CSV_Injection), any such cell is prefixed with a
single quote ``'`` so that it is shown as text. Only free text can start that way here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final

from backstride.domain.diary import DiaryEntry

__all__ = ["DIARY_COLUMNS", "diary_csv"]

#: The header, fixed: new columns are only ever added at the end.
DIARY_COLUMNS: Final[tuple[str, ...]] = (
    "date",
    "pain_now",
    "pain_walking",
    "walk_minutes",
    "walk_tolerance_min",
    "walk_no_limit",
    "steps",
    "exercises_done",
    "exercises_planned",
    "settled_by_morning",
    "red_flag",
    "note",
)

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` (OWASP)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def diary_csv(entries: Sequence[DiaryEntry]) -> str:
    """The diary as CSV text (header first, one row per entry, in day order).

    ``exercises_planned`` counts the exercises logged that day, ``exercises_done`` those
    marked done. Lines end with ``\\r\\n``, as RFC 4180 and the ``csv`` module's default.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(DIARY_COLUMNS)
    for entry in sorted(entries, key=lambda e: e.day):
        row = (
            entry.day.isoformat(),
            _number(entry.pain_now),
            _number(entry.pain_walking),
            _number(entry.walk_minutes),
            _number(entry.walk_tolerance_min),
            _yes_no(entry.walk_no_limit),
            _number(entry.steps),
            str(sum(1 for log in entry.exercises if log.done)),
            str(len(entry.exercises)),
            _yes_no(entry.settled_by_morning),
            _yes_no(entry.red_flag),
            entry.note,
        )
        writer.writerow([_neutralise(cell) for cell in row])
    return buffer.getvalue()
