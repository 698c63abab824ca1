"""Stress scenarios: the request (shocks or cuts, model, date, basis, buffers) and the report."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.bounds import MAX_ROUNDS, MAX_SHOCKS
from schemas.common import Slug
from schemas.enums import CommitmentKind, FinancialMetric, ValueBasis
from schemas.numbers import Count


class StressModel(StrEnum):
    DEBTRANK = "debtrank"  # Battiston et al. 2012
    DIFFERENTIAL_DEBTRANK = "differential_debtrank"  # Bardoscia et al. 2015
    EISENBERG_NOE = "eisenberg_noe"  # Eisenberg & Noe 2001, greatest clearing vector
    DEFAULT_CASCADE = "default_cascade"  # Furfine 2003
    PULL_BACK = "pull_back"  # a spending cut travelling with the money (input-output)


DEFAULT_MODELS = frozenset(StressModel) - {StressModel.PULL_BACK}


class PassThroughRule(StrEnum):
    """How much of a lost inflow an entity passes on as its own cut (pull-back)."""

    FIXED = "fixed"  # `pass_through` for every entity
    # min(1, what it commits to spend / (its inflows + its latest revenue)); `pass_through`
    # where it has no revenue figure
    FINANCIALS = "financials"


class Shock(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity: Slug
    severity: float = Field(ge=0, le=1, description="Share of the buffer lost at once, 0..1.")


class Cut(BaseModel):
    """A pull-back: one commitment cut by a fraction, or an entity cutting its outgoing
    commitments (of some kinds, or all) by a fraction."""

    model_config = ConfigDict(extra="forbid")

    commitment: Slug | None = Field(default=None, description="e.g. nvidia-openai-loi-2025.")
    entity: Slug | None = Field(default=None, description="Cuts its outgoing commitments.")
    fraction: float = Field(default=1.0, ge=0, le=1, description="Share cut, 0..1.")
    kinds: list[CommitmentKind] | None = Field(
        default=None, description="With `entity`: only these kinds (default: all it pays)."
    )

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.commitment is None) == (self.entity is None):
            raise ValueError("a cut names either a `commitment` or an `entity`, not both")
        if self.kinds is not None and self.entity is None:
            raise ValueError("`kinds` goes with `entity`: a commitment has one kind")
        return self


class StressRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shocks: list[Shock] = Field(default_factory=list, max_length=MAX_SHOCKS)
    cuts: list[Cut] = Field(default_factory=list, max_length=MAX_SHOCKS)
    model: StressModel = StressModel.DEBTRANK
    as_of: dt.date | None = Field(default=None, description="Default: today.")
    basis: ValueBasis = ValueBasis.POINT
    buffer: FinancialMetric = Field(
        default=FinancialMetric.EQUITY,
        description="The financial figure used as each entity's loss-absorbing buffer.",
    )
    theta: float = Field(default=1.0, ge=0, le=1, description="Loss given default (cascade).")
    pass_through: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description="Pull-back: the share of a lost inflow passed on (the fixed rule, and the "
        "fallback of the financials rule).",
    )
    pass_through_rule: PassThroughRule = PassThroughRule.FINANCIALS
    max_rounds: Count = Field(default=100, ge=1, le=MAX_ROUNDS)
    band: bool = Field(
        default=False,
        description="Also run on the low and high ends of ranges, and report the band.",
    )

    @model_validator(mode="after")
    def _scenario_fits_the_model(self) -> Self:
        if self.model is StressModel.PULL_BACK:
            if self.shocks:
                raise ValueError(
                    "the pull_back model takes `cuts` (what is withdrawn), not `shocks`; "
                    "shocks go with the default models (debtrank, eisenberg_noe, ...)"
                )
            if not self.cuts:
                raise ValueError(
                    'name at least one cut, e.g. "cuts": [{"commitment": '
                    '"nvidia-openai-loi-2025"}] or [{"entity": "nvidia", "fraction": 0.5}]'
                )
        elif self.cuts:
            raise ValueError(
                f"the {self.model.value} model takes `shocks` (who fails); `cuts` go with "
                'model "pull_back"'
            )
        elif not self.shocks:
            raise ValueError(
                'name at least one shock, e.g. "shocks": [{"entity": "openai", "severity": 1}]'
            )
        return self


class EntityStress(BaseModel):
    id: str
    name: str
    buffer_usd: float | None = Field(description="The buffer used; None when none was known.")
    buffer_rule: str = Field(description="`financials` or the rule applied when none was known.")
    distress: float = Field(description="Loss relative to buffer, 0..1 (h in DebtRank).")
    loss_usd: float
    round: int | None = Field(description="Round in which it was first hit; None if never.")
    defaulted: bool | None = Field(
        description="Loss exceeds the buffer; null when the buffer is a rule, not a balance "
        "sheet (then the entity is not judged)."
    )
    verdict: str = Field(description="defaulted, not defaulted, or not judged (no balance sheet).")
    payments_usd: float | None = Field(default=None, description="Eisenberg-Noe: paid.")
    owed_usd: float | None = Field(default=None, description="Eisenberg-Noe: owed.")
    pays_in_full: bool | None = Field(
        default=None, description="Eisenberg-Noe: whether it pays all it owes at the clearing."
    )


class CutPath(BaseModel):
    path: list[str] = Field(description="Entity ids, from the first cutter to the one it reaches.")
    usd: float = Field(description="The cut carried along the path, before any cap binds.")


class PullBackEntity(BaseModel):
    id: str
    name: str
    lost_inflow_usd: float = Field(description="Inflow it loses: what its payers cut.")
    cut_usd: float = Field(description="Spending it cuts because it lost inflow.")
    initial_cut_usd: float = Field(description="Its own cut, if it is an initiator.")
    pass_through: float
    pass_through_rule: str = Field(description="How `pass_through` was set for it.")
    pass_through_stands_in: bool = Field(
        description="True where the fixed `pass_through` stands in for the revenue figure "
        "the financials rule needs and the entity lacks at the date."
    )
    revenue_usd: float | None = Field(description="Its latest revenue at the date, if known.")
    lost_share_of_revenue: float | None
    round: int | None = Field(description="0: an initiator; k: first lost inflow in round k.")
    paths: list[CutPath] = Field(description="The largest paths by which the cut reached it.")


class CommitmentCut(BaseModel):
    commitment: str
    from_: str = Field(serialization_alias="from")
    to: str
    usd: float = Field(description="What it counts for at the date, USD.")
    cut_usd: float
    share: float = Field(description="cut_usd / usd.")


class Boomerang(BaseModel):
    entity: str
    initial_cut_usd: float
    returned_usd: float = Field(description="Of its own cut, what comes back as lost inflow.")
    share: float = Field(description="returned_usd / initial_cut_usd.")


class PullBackReport(BaseModel):
    total_initial_cut_usd: float
    total_lost_inflow_usd: float
    entities: list[PullBackEntity] = Field(description="Reached, largest lost inflow first.")
    commitments: list[CommitmentCut] = Field(description="Cut, largest cut first.")
    boomerang: list[Boomerang]
    unpriced: list[str] = Field(
        description="Commitments of reached entities without a disclosed figure: the cut "
        "may travel along them too, by an amount nobody disclosed."
    )


class Band(BaseModel):
    """The same scenario on the low and high ends of every range."""

    low_total_usd: float
    high_total_usd: float


class StressReport(BaseModel):
    model: StressModel
    question: str = Field(description="What the model asks, in one sentence.")
    as_of: dt.date
    basis: ValueBasis
    buffer: FinancialMetric
    parameters: dict[str, float | int | str]
    shocks: list[Shock]
    cuts: list[Cut]
    rounds: int
    converged: bool = Field(description="False when max_rounds cut the run short.")
    debtrank: float | None = Field(default=None, description="R: the extra economic value lost.")
    total_loss_usd: float = Field(description="Losses (pull-back: lost inflows), USD.")
    defaulted: int = Field(description="Entities judged to default (balance sheet known).")
    not_judged: int = Field(description="Entities hit whose buffer is a rule, not a figure.")
    rule_buffer_loss_share: float = Field(
        description="Share of total_loss_usd that rests on rule buffers."
    )
    missing_buffers: list[str] = Field(description="Entities whose buffer followed the rule.")
    rules: list[str] = Field(description="How the network and buffers were built.")
    entities: list[EntityStress] = Field(description="Entities hit, most distressed first.")
    pull_back: PullBackReport | None = None
    band: Band | None = None


class StressComparison(BaseModel):
    """Several models on one scenario, side by side."""

    reports: list[StressReport]
    differences: list[str] = Field(description="What each model counts, and its total.")


class SeriesPoint(BaseModel):
    as_of: dt.date
    total_loss_usd: float
    defaulted: int
    not_judged: int
    converged: bool


class StressSeries(BaseModel):
    """One scenario run at each date of a range: how fragile the web was over time."""

    model: StressModel
    points: list[SeriesPoint]


class CompareRequest(BaseModel):
    """One scenario under several models (each must fit it: shocks, or cuts for pull_back)."""

    model_config = ConfigDict(extra="forbid")

    scenario: StressRequest
    models: list[StressModel] = Field(min_length=1, max_length=len(StressModel))


class SeriesRequest(BaseModel):
    """One scenario at the first of each month from `since` to `until` (default: today)."""

    model_config = ConfigDict(extra="forbid")

    scenario: StressRequest
    since: dt.date
    until: dt.date | None = None

    @model_validator(mode="after")
    def _a_range(self) -> Self:
        if self.until is not None and self.until < self.since:
            raise ValueError("`until` is before `since`")
        return self
