"""Stress scenarios: the request (shocks, model, date, basis, buffers) and the report."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Slug
from schemas.enums import FinancialMetric, ValueBasis
from schemas.numbers import Count


class StressModel(StrEnum):
    DEBTRANK = "debtrank"  # Battiston et al. 2012
    DIFFERENTIAL_DEBTRANK = "differential_debtrank"  # Bardoscia et al. 2015
    EISENBERG_NOE = "eisenberg_noe"  # Eisenberg & Noe 2001, greatest clearing vector
    DEFAULT_CASCADE = "default_cascade"  # Furfine 2003


class Shock(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity: Slug
    severity: float = Field(ge=0, le=1, description="Share of the buffer lost at once, 0..1.")


class StressRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shocks: list[Shock] = Field(min_length=1, max_length=1000)
    model: StressModel = StressModel.DEBTRANK
    as_of: dt.date | None = Field(default=None, description="Default: today.")
    basis: ValueBasis = ValueBasis.POINT
    buffer: FinancialMetric = Field(
        default=FinancialMetric.EQUITY,
        description="The financial figure used as each entity's loss-absorbing buffer.",
    )
    theta: float = Field(default=1.0, ge=0, le=1, description="Loss given default (cascade).")
    max_rounds: Count = Field(default=100, ge=1, le=10_000)


class EntityStress(BaseModel):
    id: str
    name: str
    buffer_usd: float | None = Field(description="The buffer used; None when none was known.")
    buffer_rule: str = Field(description="`financials` or the rule applied when none was known.")
    distress: float = Field(description="Loss relative to buffer, 0..1 (h in DebtRank).")
    loss_usd: float
    round: int | None = Field(description="Round in which it was first hit; None if never.")
    defaulted: bool
    payments_usd: float | None = Field(default=None, description="Eisenberg-Noe: paid.")
    owed_usd: float | None = Field(default=None, description="Eisenberg-Noe: owed.")


class StressReport(BaseModel):
    model: StressModel
    as_of: dt.date
    basis: ValueBasis
    buffer: FinancialMetric
    parameters: dict[str, float | int | str]
    shocks: list[Shock]
    rounds: int
    debtrank: float | None = Field(default=None, description="R: the extra economic value lost.")
    total_loss_usd: float
    missing_buffers: list[str] = Field(description="Entities whose buffer followed the rule.")
    rules: list[str] = Field(description="How the network and buffers were built.")
    entities: list[EntityStress] = Field(description="Entities hit, most distressed first.")
