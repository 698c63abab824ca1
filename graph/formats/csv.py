"""A table as CSV text (RFC 4180, a header row), safe to open in a spreadsheet.

A text cell that a spreadsheet would run as a formula (it starts with = + - @, or a tab
or carriage return that some strip first) is written with a leading apostrophe, the
mark spreadsheets read as "this is text" (OWASP, CSV injection). Numbers are ours, never
input, and are written as Python's shortest round-tripping form. Unknown is an empty
cell, never 0; booleans are `true` / `false`; dates ISO 8601.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from graph.formats.tables import Cell, Table

MEDIA_TYPE = "text/csv; charset=utf-8; header=present"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.names)
    writer.writerows([cell_text(v) for v in row] for row in table.rows)
    return buffer.getvalue()
