"""What the loader says about a wrong value, word for word, through the real loader: what is
wrong with what was written and what to write instead (graph.messages, graph.readings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from graph.errors import DataError
from graph.load import parse_bytes
from graph.messages import PATTERNS
from graph.readings import Day, Money, read_date, read_money
from schemas.common import text_rule_of
from schemas.dataset import dataset_json_schema
from tests.helpers import GOOD_COMMITMENT as GOOD

KINDS = (
    "equity_investment, compute_purchase, cloud_contract, chip_supply, warrant, loan, "
    "backstop, other, stock_merger"
)

# The line of GOOD replaced, what replaces it, and the one problem: field and message.
CASES: dict[str, tuple[str, str, str, str]] = {
    "up to, in words": (
        "    amount: {usd: 5e9}",
        '    amount: "up to $100 billion"',
        "commitments[0].amount",
        "'up to $100 billion' is text, but an amount is a mapping: "
        'write amount: {usd: 100e9, up_to: true, as_written: "up to $100 billion"}',
    ),
    "dollars in the usd field": (
        "    amount: {usd: 5e9}",
        '    amount: {usd: "$1.5bn"}',
        "commitments[0].amount.usd",
        "'$1.5bn' is not a number: write usd: 1.5e9, and keep the words in as_written: \"$1.5bn\"",
    ),
    "a bare number": (
        "    amount: {usd: 5e9}",
        "    amount: 5e9",
        "commitments[0].amount",
        "5e9 is a number, but an amount is a mapping: write amount: {usd: 5e9}",
    ),
    "another currency: no figure guessed": (
        "    amount: {usd: 5e9}",
        '    amount: "€10 billion"',
        "commitments[0].amount",
        "'€10 billion' is text, but an amount is a mapping of USD figures: write amount: "
        '{usd: <the figure in USD>, as_written: "€10 billion"} (a figure disclosed in '
        "another currency also goes in original: {currency, value, usd_per_unit, rate_date, "
        "rate_source})",
    ),
    "day and month either way round": (
        "    announced: 2025-05-01",
        "    announced: 01/05/2026",
        "commitments[0].announced",
        "'01/05/2026' is not a date: write announced: YYYY-MM-DD (in 01/05/2026, which is "
        "the day and which the month?)",
    ),
    "a month only": (
        "    announced: 2025-05-01",
        "    announced: January 2026",
        "commitments[0].announced",
        "'January 2026' is not a date: write announced: 2026-01-01 and "
        "announced_precision: month (dates are written YYYY-MM-DD)",
    ),
    "a day that does not exist": (
        "    announced: 2025-05-01",
        "    announced: 2025-02-30",
        "commitments[0].announced",
        "'2025-02-30' is not a date (day value is outside expected range): "
        "write announced: YYYY-MM-DD, a day that exists",
    ),
    "a typo in a kind": (
        "    kind: chip_supply",
        "    kind: chip_suply",
        "commitments[0].kind",
        f"'chip_suply' is not a value of kind: write kind: chip_supply (the values: {KINDS})",
    ),
    "a kind in words": (
        "    kind: chip_supply",
        "    kind: Cloud Contract",
        "commitments[0].kind",
        f"'Cloud Contract' is not a value of kind: write kind: cloud_contract (the values: "
        f"{KINDS})",
    ),
    "no kind near": (
        "    kind: chip_supply",
        "    kind: banana",
        "commitments[0].kind",
        f"'banana' is not a value of kind: write one of {KINDS}",
    ),
    "a typo in a field name": (
        "    kind: chip_supply",
        "    kind: chip_supply\n    amout: 3",
        "commitments[0].amout",
        "unknown field 'amout': did you mean 'amount'?",
    ),
    "a YAML 1.1 no": (
        "    kind: chip_supply",
        "    kind: chip_supply\n    binding: no",
        "commitments[0].binding",
        "'no' is not true or false: write binding: true or binding: false "
        "(files are read as YAML 1.2, where no is text)",
    ),
    "a number where text goes": (
        "    kind: chip_supply",
        "    kind: chip_supply\n    notes: 12",
        "commitments[0].notes",
        '12 is read as a number, not text: put it in quotes, notes: "12"',
    ),
    "an empty status history": (
        "    status: [{date: 2025-05-01, status: signed}]",
        "    status: []",
        "commitments[0].status",
        "is empty: write status: [{date: 2026-01-05, status: announced}]",
    ),
    "an id with spaces and capitals": (
        "  - id: labco-chipco-chips",
        "  - id: LabCo Chips_2025",
        "commitments[0].id",
        "'LabCo Chips_2025' is not an id: an id is lower-case letters a-z and digits, words "
        "joined by single hyphens (no capitals, spaces, underscores or accents): "
        "write id: labco-chips-2025",
    ),
    "a currency in lower case": (
        "    amount: {usd: 5e9}",
        "    amount: {usd: 5e9, original: {currency: jpy, value: 1e12, usd_per_unit: 0.005, "
        "rate_date: 2025-05-01, rate_source: {url: 'https://example.com/fx', publisher: X}}}",
        "commitments[0].amount.original.currency",
        "'jpy' is not a currency code: three capital letters (ISO 4217): write currency: JPY",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_message_says_what_to_write(case: str) -> None:
    old, new, field, message = CASES[case]
    assert old in GOOD
    text = GOOD.replace(old, new)
    with pytest.raises(DataError) as caught:
        parse_bytes(text.encode(), "x.yaml")
    [problem] = caught.value.problems
    assert (problem.field, problem.message) == (field, message)
    # On the line written last: the replaced one, or the one added after it.
    assert problem.line == text.splitlines().index(new.split("\n")[-1]) + 1


def _patterns(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        return found.union(*(_patterns(v) for k, v in schema.items() if k != "pattern"))
    if isinstance(schema, list):
        return set().union(*(_patterns(v) for v in schema))
    return set()


def test_every_pattern_of_the_schema_is_said_in_words() -> None:
    patterns = {p for p in _patterns(dataset_json_schema()) if text_rule_of(p) is None}
    assert patterns, "the schema has patterns (ids, codes)"
    assert patterns <= PATTERNS.keys()


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("$10 billion", Money(Decimal("10e9"), up_to=False)),
        ("US$1.5bn", Money(Decimal("1.5e9"), up_to=False)),
        ("up to $100B", Money(Decimal("100e9"), up_to=True)),
        ("300 million", Money(Decimal("300e6"), up_to=False)),
        ("$1,250,000", Money(Decimal("1250000"), up_to=False)),
        ("€10 billion", None),
        ("lots", None),
    ],
)
def test_money_as_stories_write_it(text: str, money: Money | None) -> None:
    assert read_money(text) == money


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Jan 5 2026", Day(dt.date(2026, 1, 5), "day")),
        ("5 January 2026", Day(dt.date(2026, 1, 5), "day")),
        ("Sept. 22, 2025", Day(dt.date(2025, 9, 22), "day")),
        ("2026-1-5", Day(dt.date(2026, 1, 5), "day")),
        ("13/01/2026", Day(dt.date(2026, 1, 13), "day")),  # only one way round is a date
        ("01/05/2026", None),  # either way round
        ("January 2026", Day(dt.date(2026, 1, 1), "month")),
        (2026, Day(dt.date(2026, 1, 1), "year")),
        ("soon", None),
    ],
)
def test_dates_as_stories_write_them(text: Any, day: Day | None) -> None:
    assert read_date(text) == day
