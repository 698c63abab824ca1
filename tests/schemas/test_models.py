"""The models' rules, each with the message a user sees."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from schemas import Amount, Commitment, Entity, ValueBasis
from schemas.stress import StressRequest

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


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"sources": [{**SOURCE, "kind": "copy"}]},
            "a source of kind `copy` needs `original`",
        ),
        (
            {"sources": [{**SOURCE, "original": {"publisher": "Reuters"}}]},
            "`original` is for a source of kind `copy`",
        ),
        ({"part_of": "a-b-deal"}, "cannot be part of, replaced by or overlap itself"),
        (
            {"overlaps": [{"commitment": "a-b-deal", "usd": 1}]},
            "cannot be part of, replaced by or overlap itself",
        ),
        ({"distinct_from": ["a-b-deal"]}, "cannot be distinct from itself"),
        (
            {"part_of": "a-b-round", "distinct_from": ["a-b-round"]},
            "['a-b-round'] is both linked as the same money",
        ),
        (
            {
                "amount": {
                    "usd": 7e9,
                    "original": {
                        "currency": "JPY",
                        "value": 1e12,
                        "usd_per_unit": "0.0066",
                        "rate_date": "2026-03-31",
                        "rate_source": SOURCE,
                    },
                }
            },
            "usd (7e9) is not original.value x original.usd_per_unit (6.6e9): write usd: 6.6e9",
        ),
    ],
)
def test_links_sources_and_currencies_are_checked(changes: dict[str, Any], message: str) -> None:
    assert message in error_of(commitment(**changes))


def test_a_copy_names_the_page_it_reproduces_and_a_foreign_figure_keeps_its_currency() -> None:
    c = Commitment.model_validate(
        commitment(
            amount={
                "usd": "6.6e9",
                "original": {
                    "currency": "JPY",
                    "value": "1e12",
                    "usd_per_unit": "0.0066",
                    "rate_date": "2026-03-31",
                    "rate_source": SOURCE,
                },
            },
            sources=[{**SOURCE, "kind": "copy", "original": {"publisher": "Reuters"}}],
            part_of="a-b-programme",
            replaced_by={"commitment": "a-b-deal-2", "date": "2026-02-27"},
            overlaps=[{"commitment": "a-b-other", "usd": "1e9"}],
        )
    )
    assert c.sources[0].original is not None and c.sources[0].original.publisher == "Reuters"
    assert c.amount is not None and c.amount.original is not None
    assert c.amount.original.currency == "JPY"


@pytest.mark.parametrize(
    ("identifiers", "message"),
    [
        ({"lei": "5493001KJTIIGC8Y1R12"}, None),  # Bloomberg's LEI, a published example
        ({"lei": "5493001KJTIIGC8Y1R13"}, "fails the LEI check digits"),
        ({"wikidata": "Q21708200", "cik": "1045810", "exchange": "XNAS"}, None),
        ({"wikidata": "21708200"}, "should match pattern"),
        ({"exchange": "NASDAQ"}, "should match pattern"),
    ],
)
def test_identifiers_are_checked(identifiers: dict[str, str], message: str | None) -> None:
    data = {"id": "x", "name": "X", "identifiers": identifiers}
    if message is None:
        assert Entity.model_validate(data).identifiers is not None
    else:
        with pytest.raises(ValidationError) as caught:
            Entity.model_validate(data)
        assert message in str(caught.value)


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ({}, 'name at least one shock, e.g. "shocks"'),
        ({"model": "pull_back"}, 'name at least one cut, e.g. "cuts"'),
        ({"cuts": [{"entity": "nvidia"}]}, '`cuts` go with model "pull_back"'),
        (
            {"model": "pull_back", "shocks": [{"entity": "openai", "severity": 1}]},
            "takes `cuts` (what is withdrawn), not `shocks`",
        ),
    ],
)
def test_a_stress_scenario_that_misses_what_its_model_takes_says_what_to_write(
    scenario: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        StressRequest.model_validate(scenario)
