"""Plain-text tables for people; scripts use --json."""

from __future__ import annotations

from collections.abc import Sequence

from schemas.common import visible


def usd(value: float) -> str:
    """$1.23B style, readable at a glance."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= scale:
            return f"${value / scale:,.2f}{suffix}"
    return f"${value:,.0f}"


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
