"""What a writer most likely meant by a value the schema refused, in the form it takes.

A deal copied from a news story comes with the story's words: "$10 billion", "Jan 5
2026", "OpenAI". graph.messages says what to write instead, and these read the words
as the value they stand for, so the message can show it (`usd: 10e9`, `2026-01-05`,
`openai`). Each returns None rather than guess: an ambiguous date (01/05/2026) or a
figure in another currency gets the rule, not a wrong value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, NamedTuple

_SCALE = {
    "thousand": 3,
    "k": 3,
    "million": 6,
    "mn": 6,
    "mm": 6,
    "m": 6,
    "billion": 9,
    "bn": 9,
    "b": 9,
    "trillion": 12,
    "tn": 12,
    "t": 12,
}
_MONEY = re.compile(
    r"(?P<up_to>up\s+to\s+)?(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+)?"
    r"(?:US\s?\$|USD\s*|\$)?\s*"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<scale>thousand|million|billion|trillion|mn|mm|bn|tn|[kmbt])?\.?"
    r"(?:\s*(?:USD|US\s+dollars|dollars))?",
    re.IGNORECASE,
)


class Money(NamedTuple):
    usd: Decimal
    up_to: bool


def read_money(text: str) -> Money | None:
    """A figure in US dollars as a story writes it: `$10 billion`, `US$1.5bn`, `up to
    $100B`, `300 million`. None for anything else (`€10 billion`, `lots`).

    >>> read_money("up to $100 billion")
    Money(usd=Decimal('1.00E+11'), up_to=True)
    """
    found = _MONEY.fullmatch(text.strip())
    if found is None:
        return None
    number = Decimal(found["number"].replace(",", ""))
    scale = _SCALE[found["scale"].lower()] if found["scale"] else 0
    return Money(number.scaleb(scale), up_to=found["up_to"] is not None)


def figure(value: float | int | Decimal) -> str:
    """A number as a writer types it in YAML: a round figure of millions and up with an
    exponent in steps of three (`10e9`, `1.5e9`, `300e6`), any other as it is.

    >>> figure(10_000_000_000.0), figure(Decimal("1.5E+9")), figure(1234567.25), figure(-17)
    ('10e9', '1.5e9', '1234567.25', '-17')
    """
    number = Decimal(str(value)).normalize()
    if not number.is_finite():
        return str(value)
    if abs(number) >= 10**6 and len(number.as_tuple().digits) <= 4:
        exponent = (number.adjusted() // 3) * 3
        return f"{number.scaleb(-exponent).normalize():f}e{exponent}"
    return f"{number:f}"


class Day(NamedTuple):
    date: dt.date
    precision: str  # "day", "month" or "year": what the writer gave


_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
# Tried on the text with commas and dots as spaces: `Jan. 5, 2026` is `Jan 5 2026`, and
# `05.01.2026` (day first, as Europe dots it) is `05 01 2026`.
_DAYS = (
    *("%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y", "%Y %b %d", "%Y %B %d"),
    *("%Y-%m-%d", "%Y/%m/%d", "%Y %m %d", "%d %m %Y"),
)
_MONTHS = ("%b %Y", "%B %Y", "%Y-%m", "%Y/%m")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def read_date(value: Any) -> Day | None:
    """A date as stories and people write it (`Jan 5 2026`, `5 January 2026`, `2026-1-5`,
    `January 2026`, the year 2026 as a number), or None when it is not one or the day and
    month could be either way round (`01/05/2026`).

    >>> read_date("Jan. 5th, 2026")
    Day(date=datetime.date(2026, 1, 5), precision='day')
    """
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return Day(dt.date(value, 1, 1), "year")
    if not isinstance(value, str) or len(value) > 40:
        return None
    text = " ".join(_ORDINAL.sub("", value.replace(",", " ").replace(".", " ")).split())
    text = re.sub(r"\bsept\b", "Sep", text, flags=re.IGNORECASE)
    for formats, precision in ((_DAYS, "day"), (_MONTHS, "month")):
        for form in formats:
            try:
                return Day(dt.datetime.strptime(text, form).date(), precision)
            except ValueError:
                continue
    slashed = _SLASHED.fullmatch(text)
    if slashed:
        first, second, year = (int(g) for g in slashed.groups())
        if first > 12 >= second:
            return _day(year, second, first)
        if second > 12 >= first:
            return _day(year, first, second)
    return None


def _day(year: int, month: int, day: int) -> Day | None:
    try:
        return Day(dt.date(year, month, day), "day")
    except ValueError:
        return None


def slug_of(text: str) -> str:
    """The id a name would have under the id rule: `OpenAI` -> `openai`, `Thrive Capital`
    -> `thrive-capital`; empty when nothing of it is a-z or 0-9 (`英偉達`).

    >>> slug_of("Microsoft_Azure 2026")
    'microsoft-azure-2026'
    """
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


_PLAIN = re.compile(r"[^\W\d_][\w .()'&/-]*[\w.)]|[^\W\d_]|\d{4}-\d{2}-\d{2}")
_KEYWORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def flow(value: Any) -> str:
    """`value` written as YAML flow, as a user would type it on one line.

    >>> flow({"url": "https://example.com/x", "publisher": "Reuters", "date": "2026-01-05"})
    '{url: "https://example.com/x", publisher: Reuters, date: 2026-01-05}'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return figure(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _KEYWORDS:
        return text
    return json.dumps(text, ensure_ascii=False)
