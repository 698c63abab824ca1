"""The models' rules, each with the message a user sees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from schemas import Amount, Commitment, Entity, ValueBasis

SOURCE = {"url": "https://example.com/a", "publisher": "Example"}


def commitment(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "a-b-deal",
        "from": "a",
        "to": "b",
        "kind": "cloud_contract",
        "amount": {"usd": "10e9"},
        "announced": "2025-01-10",
        "status": [{"date": "2025-01-10", "status": "signed"}],
        "sources": [SOURCE],
    }
    base.update(changes)
    return base


def error_of(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        Commitment.model_validate(data)
    return str(caught.value)


def test_a_valid_commitment_keeps_decimal_money() -> None:
    c = Commitment.model_validate(commitment())
    assert c.total_usd() == Decimal("10e9")
    assert isinstance(c.total_usd(), Decimal)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Bad_Id"}, "should match pattern"),
        ({"to": "a"}, "both 'a'"),
        ({"amount": {"usd": -1}}, "greater than or equal to 0"),
        ({"amount": {"low": 5, "high": 4}}, "low (5) is above high (4)"),
        ({"amount": {"low": 5}}, "give `usd`, or both `low` and `high`"),
        ({"amount": {"usd": 10, "low": 1, "high": 5}}, "outside low..high"),
        ({"sources": []}, "at least 1 item"),
        ({"sources": [{"url": "ftp://x.org/a", "publisher": "X"}]}, "http(s) URL"),
        ({"announced": "2025-13-01"}, "month value is outside expected range"),
        ({"surprise": 1}, "Extra inputs are not permitted"),
        (
            {
                "status": [
                    {"date": "2025-02-01", "status": "signed"},
                    {"date": "2025-01-20", "status": "active"},
                ]
            },
            "out of date order",
        ),
        ({"status": [{"date": "2024-12-31", "status": "proposed"}]}, "before announced"),
        ({"amount": {"usd": 1, "basis": "per_year"}}, "needs `term_years`"),
        ({"kind": "gift"}, "Input should be"),
        ({"amount": {"usd": 1, "estimate": True}}, "needs `as_written` saying whose"),
        (
            {"amount": {"usd": 1, "estimate": True, "as_written": "~$1 (an analyst's estimate)"}},
            "needs a source of kind `analyst`",
        ),
    ],
)
def test_rules_give_clear_messages(changes: dict[str, Any], message: str) -> None:
    assert message in error_of(commitment(**changes))


def test_as_of_follows_the_status_history() -> None:
    loi = Commitment.model_validate(
        commitment(
            kind="equity_investment",
            status=[
                {"date": "2025-01-10", "status": "announced"},
                {"date": "2026-01-30", "status": "paused"},
            ],
        )
    )
    assert not loi.counts_at(dt.date(2025, 1, 9))  # not yet announced
    assert loi.counts_at(dt.date(2026, 1, 29))
    assert not loi.counts_at(dt.date(2026, 1, 31))


@pytest.mark.parametrize(
    ("kind", "counts"),
    [("equity_investment", True), ("warrant", True), ("loan", True), ("chip_supply", False)],
)
def test_completed_counts_only_for_stakes_and_loans(kind: str, counts: bool) -> None:
    c = Commitment.model_validate(
        commitment(kind=kind, status=[{"date": "2025-01-10", "status": "completed"}])
    )
    assert c.counts_at(dt.date(2025, 6, 1)) is counts


def test_amount_bases() -> None:
    ranged = Amount(low=Decimal(20), high=Decimal(40))
    assert ranged.value(ValueBasis.POINT) == 30
    assert ranged.value(ValueBasis.LOW) == 20
    assert ranged.value(ValueBasis.HIGH) == 40
    point = Amount(usd=Decimal(7), up_to=True)
    assert {point.value(b) for b in ValueBasis} == {7}


def test_per_year_amount_is_multiplied_by_the_term() -> None:
    c = Commitment.model_validate(
        commitment(amount={"usd": "15e9", "basis": "per_year"}, term_years="2.5")
    )
    assert c.total_usd() == Decimal("37.5e9")


def test_latest_financial_at_a_date() -> None:
    entity = Entity.model_validate(
        {
            "id": "x",
            "name": "X",
            "financials": [
                {"metric": "revenue", "usd": 1, "as_of": "2024-12-31", "source": SOURCE},
                {"metric": "revenue", "usd": 2, "as_of": "2025-12-31", "source": SOURCE},
            ],
        }
    )
    from schemas import FinancialMetric

    assert entity.latest(FinancialMetric.REVENUE, dt.date(2025, 6, 1)).usd == 1  # type: ignore[union-attr]
    assert entity.latest(FinancialMetric.REVENUE).usd == 2  # type: ignore[union-attr]
    assert entity.latest(FinancialMetric.EQUITY) is None


def test_an_estimate_with_its_analyst_source_is_kept_and_flagged() -> None:
    analyst = {**SOURCE, "kind": "analyst"}
    amount = {"usd": "100e9", "estimate": True, "as_written": "over $100B (Some Bank's estimate)"}
    c = Commitment.model_validate(commitment(amount=amount, sources=[SOURCE, analyst]))
    assert c.amount is not None and c.amount.estimate
    assert c.total_usd() == Decimal("100e9")
    assert not Amount(usd=Decimal(1)).estimate  # a disclosed figure by default
