"""Plain-text tables for people; scripts use --json."""

from __future__ import annotations

from collections.abc import Sequence

from schemas.common import visible
from schemas.enums import ValueBasis

# What `basis` means, in a finance reader's words ("basis point" is 0.01% to them).
AMOUNTS = {
    ValueBasis.POINT: "point estimates",
    ValueBasis.LOW: "low ends of ranges",
    ValueBasis.HIGH: "high ends of ranges",
}


def usd(value: float | None) -> str:
    """$1.23B style, readable at a glance; "n/d" (not disclosed) for an unknown amount."""
    if value is None:
        return "n/d"
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= scale:
            return f"${value / scale:,.2f}{suffix}"
    return f"${value:,.0f}"


NOT_KNOWN = "n/k"  # a figure the data cannot give (a share of an undisclosed amount, ...)


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage, or n/k where it is not known: never a blank or 0%."""
    return NOT_KNOWN if value is None else f"{value:.{digits}%}"


def at_least(value: float | None, undisclosed: int) -> str:
    """A sum over disclosed figures, with the commitments it could not include."""
    if not undisclosed:
        return usd(value)
    if value is None:
        return f"n/d ({undisclosed} undisclosed)"
    return f"at least {usd(value)} (+{undisclosed} undisclosed)"


def render(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to their widest cell. No cell writes a control character to the
    terminal (a name holding ESC [2J would clear it): those show as escapes, `\\x1b`."""
    cells = [[visible(str(h)) for h in headers], *[[visible(str(c)) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
