"""A deal written from a news story as a new user writes it (issue 17, "Error messages that
say how to fix"), and the problems one run must report, worked out by hand.

Lines and columns are counted by hand in STORY (1-based; a value's column is where the
value starts, a missing field's is where its record's first key starts). The lists of
allowed values are schemas/enums.py's, in its order. The CLI test and the HTTP test
both assert these, word for word.
"""

from __future__ import annotations

from typing import NamedTuple

# What the store already holds: the entities the story means.
BASE = b"""version: 1
entities:
  - {id: microsoft, name: Microsoft}
  - {id: openai, name: OpenAI}
"""

STORY = b"""version: 1
entities:
  - id: Thrive-Capital
    name: Thrive Capital
commitments:
  - id: microsoft-openai-azure-2026
    from: microsfot
    to: openai
    kind: compute
    amount: "$10 billion"
    announced: Jan 5 2026
    binding: yes
    status:
      - {date: 2026-01-05, status: Signed}
  - id: thrive-capital-openai-2026
    from: thrive-capital
    to: openai
    to: openai
    kind: equity_investment
    announced: 2026-01-05
    status: [{date: 2026-01-05, status: announced}]
    sources: [{url: "https://example.com/x", publisher: Example}]
"""

# STORY with every message's advice taken (and a source added where it was missing).
FIXED = b"""version: 1
entities:
  - id: thrive-capital
    name: Thrive Capital
commitments:
  - id: microsoft-openai-azure-2026
    from: microsoft
    to: openai
    kind: compute_purchase
    amount: {usd: 10e9, as_written: "$10 billion"}
    announced: 2026-01-05
    binding: true
    status:
      - {date: 2026-01-05, status: signed}
    sources: [{url: "https://www.reuters.com/x", publisher: Reuters, date: 2026-01-05}]
  - id: thrive-capital-openai-2026
    from: thrive-capital
    to: openai
    kind: equity_investment
    announced: 2026-01-05
    status: [{date: 2026-01-05, status: announced}]
    sources: [{url: "https://example.com/x", publisher: Example}]
"""


class Expected(NamedTuple):
    line: int
    column: int
    field: str
    message: str


KINDS = (
    "equity_investment, compute_purchase, cloud_contract, chip_supply, warrant, loan, "
    "backstop, other, stock_merger"
)
STATUSES = "proposed, announced, signed, active, paused, cancelled, completed"

# In file order. Not here: `from: thrive-capital` (line 16) names the entity whose id
# breaks the rule on line 3 by the id its message says to write, so it is no second problem.
PROBLEMS = [
    Expected(
        3,
        9,
        "entities[0].id",
        "'Thrive-Capital' is not an id: an id is lower-case letters a-z and digits, words "
        "joined by single hyphens (no capitals, spaces, underscores or accents): "
        "write id: thrive-capital",
    ),
    Expected(
        6,
        5,
        "commitments[0].sources",
        'missing: add sources: [{url: "https://www.reuters.com/...", publisher: Reuters, '
        "date: 2026-01-05}]",
    ),
    Expected(7, 11, "commitments[0].from", "unknown entity 'microsfot'; did you mean 'microsoft'?"),
    Expected(
        9,
        11,
        "commitments[0].kind",
        f"'compute' is not a value of kind: write kind: compute_purchase (the values: {KINDS})",
    ),
    Expected(
        10,
        13,
        "commitments[0].amount",
        "'$10 billion' is text, but an amount is a mapping: "
        'write amount: {usd: 10e9, as_written: "$10 billion"}',
    ),
    Expected(
        11,
        16,
        "commitments[0].announced",
        "'Jan 5 2026' is not a date: write announced: 2026-01-05 (dates are written YYYY-MM-DD)",
    ),
    Expected(
        12,
        14,
        "commitments[0].binding",
        "'yes' is not true or false: write binding: true or binding: false "
        "(files are read as YAML 1.2, where yes is text)",
    ),
    Expected(
        14,
        36,
        "commitments[0].status[0].status",
        f"'Signed' is not a value of status: write status: signed (the values: {STATUSES})",
    ),
    Expected(
        18,
        5,
        "commitments[1].to",
        "duplicate key 'to' (first on line 17): write each key once; delete one of them",
    ),
]
