"""The time budget of a question stops the computation itself, at a named bound.

A budget already spent (0 s) stops a question at its first check; a cancelled one stops
it with the reason. Without a budget (the CLI) nothing changes. Over HTTP the same is
tested on a graph where the questions take minutes (tests/api/test_api_heavy.py).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from graph import queries
from graph.budget import Budget, spending
from graph.errors import OverBudgetError, QuestionCancelledError
from schemas.queries import CycleQuery, ExposureQuery
from schemas.stress import SeriesRequest, StressRequest
from tests.factories import make_commitment, snapshot_of

DAY = dt.date(2025, 6, 1)
LOOP = snapshot_of(
    make_commitment("nvidia", "openai", "equity_investment", 100),
    make_commitment("openai", "coreweave", "compute_purchase", 22.4),
    make_commitment("coreweave", "nvidia", "chip_supply", 7.5),
)
STRESS = StressRequest(shocks=[{"entity": "openai", "severity": 1}], as_of=DAY)


def spent() -> Budget:
    budget = Budget(0)
    time.sleep(0.001)  # the deadline is behind us
    return budget


def ask(question: str) -> object:
    if question == "look-through":
        return queries.exposure(LOOP, "nvidia", ExposureQuery(depth=3, as_of=DAY), today=DAY)
    if question == "loops":
        return queries.cycles(LOOP, CycleQuery(as_of=DAY), today=DAY)
    if question == "stress":
        return queries.run_stress(LOOP, STRESS, today=DAY)
    series = SeriesRequest(scenario=STRESS, since=dt.date(2025, 1, 1), until=DAY)
    return queries.series(LOOP, series, today=DAY)


BOUNDS = {"look-through": "depth", "loops": "max_length", "stress": "max_rounds", "series": "since"}


@pytest.mark.parametrize("question", BOUNDS)
def test_a_spent_budget_stops_the_question_naming_its_bound(question: str) -> None:
    with spending(spent()), pytest.raises(OverBudgetError) as raised:
        ask(question)
    assert raised.value.field == BOUNDS[question]
    assert "0 s budget (AIFG_QUERY_SECONDS)" in str(raised.value)
    assert BOUNDS[question] in str(raised.value)  # what to ask instead


@pytest.mark.parametrize("question", BOUNDS)
def test_a_cancelled_question_stops_with_the_reason(question: str) -> None:
    budget = Budget(60)
    budget.cancel("the client closed the connection")
    with spending(budget), pytest.raises(QuestionCancelledError, match="client closed"):
        ask(question)


@pytest.mark.parametrize("question", BOUNDS)
def test_the_same_question_within_its_budget_or_without_one_is_the_same(question: str) -> None:
    with spending(Budget(60)):
        within = ask(question)
    assert within == ask(question)


def test_the_budget_is_only_for_the_block_it_was_given_to() -> None:
    with spending(spent()), pytest.raises(OverBudgetError):
        ask("loops")
    assert ask("loops") == queries.cycles(LOOP, CycleQuery(as_of=DAY), today=DAY)
