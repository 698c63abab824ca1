"""Fixed vocabularies shared by every layer (and by Neo4j labels and relationship types)."""

from __future__ import annotations

from enum import StrEnum


class EntityKind(StrEnum):
    COMPANY = "company"
    FUND = "fund"
    GOVERNMENT = "government"
    PROJECT = "project"
    COMMODITY = "commodity"


class CommitmentKind(StrEnum):
    EQUITY_INVESTMENT = "equity_investment"
    COMPUTE_PURCHASE = "compute_purchase"
    CLOUD_CONTRACT = "cloud_contract"
    CHIP_SUPPLY = "chip_supply"
    WARRANT = "warrant"
    LOAN = "loan"
    BACKSTOP = "backstop"
    OTHER = "other"
    # A merger or acquisition paid in shares: ownership changes hands, no money flows, so
    # it is in no exposure, loop or stress network (README, "No double counting").
    STOCK_MERGER = "stock_merger"


# The payer/investor (`from`) stands to lose if the recipient fails: it holds a stake or a claim.
INVESTMENT_KINDS = frozenset(
    {
        CommitmentKind.EQUITY_INVESTMENT,
        CommitmentKind.WARRANT,
        CommitmentKind.LOAN,
        CommitmentKind.BACKSTOP,
    }
)
# The recipient (`to`) stands to lose if the payer fails: a receivable under a contract.
CONTRACT_KINDS = frozenset(
    {
        CommitmentKind.COMPUTE_PURCHASE,
        CommitmentKind.CLOUD_CONTRACT,
        CommitmentKind.CHIP_SUPPLY,
        CommitmentKind.OTHER,
    }
)
# Kinds that move money (or a claim to it) from `from` to `to`: every kind but a stock merger.
MONEY_FLOW_KINDS = INVESTMENT_KINDS | CONTRACT_KINDS
# Paid-in stakes and drawn loans stay at risk after the commitment is completed.
AT_RISK_WHEN_COMPLETED = frozenset(
    {CommitmentKind.EQUITY_INVESTMENT, CommitmentKind.WARRANT, CommitmentKind.LOAN}
)


class Status(StrEnum):
    PROPOSED = "proposed"  # reported talks, not agreed
    ANNOUNCED = "announced"
    SIGNED = "signed"
    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


LIVE_STATUSES = frozenset({Status.ANNOUNCED, Status.SIGNED, Status.ACTIVE})


class AmountBasis(StrEnum):
    """Whether a figure is the total over the term or a yearly rate."""

    TOTAL = "total"
    PER_YEAR = "per_year"


class ValueBasis(StrEnum):
    """Which end of a figure an analysis uses: the point value, or the low/high of a range."""

    POINT = "point"
    LOW = "low"
    HIGH = "high"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class FinancialMetric(StrEnum):
    REVENUE = "revenue"  # annual revenue (fiscal year or annualised run-rate: see `period`)
    EQUITY = "equity"  # book value of shareholders' equity
    MARKET_CAP = "market_cap"
    VALUATION = "valuation"  # private-market post-money valuation
    CASH = "cash"  # cash and short-term investments


class SourceKind(StrEnum):
    """Which kind of page a figure was read from; a journalist cites the first three."""

    FILING = "filing"  # a regulatory filing: sec.gov (10-K, 8-K, S-1), an exchange filing
    PRIMARY = "primary"  # the company's own release, investor-relations page or executive
    REPORTING = "reporting"  # the outlet that reported it (Reuters, Bloomberg, FT, CNBC, ...)
    COPY = "copy"  # a re-post of another page; `original` names that page
    ARTICLE = "article"  # the source article (EEPW, 2026-02-02): its claims, not facts
    ANALYST = "analyst"  # an estimate by an analyst or research firm


class EventKind(StrEnum):
    MARKET_MOVE = "market_move"
    REPORT = "report"
    STATEMENT = "statement"
    FUNDING_ROUND = "funding_round"
    CLAIM = "claim"  # what a source asserts, recorded as its claim where others differ


class Direction(StrEnum):
    """out: what an entity stands to lose; in: who stands to lose if it fails."""

    OUT = "out"
    IN = "in"
