"""The bounds on what one question may ask, each written once; the API (FastAPI reads the
query models) and the CLI (its options build the same models) both enforce them, and the
README's "Bounds" section lists them.

Past these, a question's time budget (AIFG_QUERY_SECONDS, graph.budget) still stops one
that would take too long on the data at hand, naming the parameter to change.
"""

from __future__ import annotations

MAX_DEPTH = 6
"""Look-through paths of up to six hops (`depth`)."""
MAX_CYCLE_LENGTH = 10
"""Circular financing loops of up to ten hops (`max_length`)."""
CYCLE_SCAN_LIMIT = 100_000
"""Loops enumerated before an answer says `truncated`."""
MAX_ROUNDS = 10_000
"""Rounds a contagion model may run (`max_rounds`); its answer says whether it converged."""
MAX_SHOCKS = 1_000
"""Shocks (failures) or cuts (withdrawals) of one stress scenario."""
MAX_SERIES_POINTS = 240
"""Months of one stress series: twenty years."""
