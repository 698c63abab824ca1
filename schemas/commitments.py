"""Commitments: money promised from a payer or investor to a recipient, with its history."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from schemas.common import (
    DATE_EXAMPLE,
    SOURCE_EXAMPLE,
    Flag,
    FreeText,
    NonEmptyFreeText,
    NonEmptyText,
    Slug,
    Source,
    StrictModel,
)
from schemas.enums import (
    AT_RISK_WHEN_COMPLETED,
    LIVE_STATUSES,
    AmountBasis,
    CommitmentKind,
    DatePrecision,
    SourceKind,
    Status,
    ValueBasis,
)
from schemas.money import Amount
from schemas.numbers import CapacityGw, TermYears, Usd


class Replacement(StrictModel):
    """The commitment that took this one's place, and from when (no source cancels it)."""

    commitment: Slug = Field(examples=["microsoft-openai-2023"])
    date: dt.date = Field(
        description="From this date the replaced commitment stops counting.",
        examples=[DATE_EXAMPLE],
    )
    note: FreeText | None = None


class Overlap(StrictModel):
    """Money this commitment shares with another record (the same dollars, counted once)."""

    commitment: Slug = Field(examples=["microsoft-openai-2023"])
    usd: Usd = Field(
        description="How much of the two is the same money, USD, as sources state.",
        examples=[1e9],
    )
    note: FreeText | None = None


class RoundTerms(StrictModel):
    """A funding round as a whole: the commitment holding it is the round's full size, from
    its investors as a group; named participants are commitments `part_of` it."""

    name: NonEmptyText = Field(
        description="e.g. `Series G`, `2026 primary round`.", examples=["Series G"]
    )
    pre_money_usd: Usd | None = None
    post_money_usd: Usd | None = None
    leads: list[Slug] = Field(default_factory=list, description="Entity ids of the lead investors.")


class StatusChange(StrictModel):
    date: dt.date = Field(examples=[DATE_EXAMPLE])
    status: Status
    source: Source | None = None
    note: FreeText | None = None


class Commitment(StrictModel):
    """Money flows `from` the payer or investor `to` the recipient (seller, investee, borrower).

    A warrant goes from its holder to its issuer, like the equity it may become.
    """

    id: Slug = Field(examples=["microsoft-openai-azure-2026"])
    from_: Slug = Field(alias="from", examples=["microsoft"])
    to: Slug = Field(examples=["openai"])
    kind: CommitmentKind
    amount: Amount | None = Field(
        default=None,
        description="Absent when no figure was disclosed.",
        examples=[{"usd": 10e9, "as_written": "$10 billion"}],
    )
    term_years: TermYears | None = Field(default=None, description="Above 0, below 1000.")
    capacity_gw: CapacityGw | None = Field(default=None, description="Below 1e6 GW.")
    announced: dt.date = Field(
        description="First public report or announcement.", examples=[DATE_EXAMPLE]
    )
    announced_precision: DatePrecision = DatePrecision.DAY
    binding: Flag | None = Field(default=None, description="None when sources do not say.")
    status: list[StatusChange] = Field(
        min_length=1,
        description="Dated changes, oldest first.",
        examples=[[{"date": DATE_EXAMPLE, "status": "announced"}]],
    )
    sources: list[Source] = Field(min_length=1, examples=[[SOURCE_EXAMPLE]])
    notes: NonEmptyFreeText | None = None
    part_of: Slug | None = Field(
        default=None,
        description="The commitment this is a tranche or pledge inside of (a round, a "
        "programme): the whole or its parts count, never both.",
    )
    replaced_by: Replacement | None = Field(
        default=None, examples=[{"commitment": "microsoft-openai-2027", "date": DATE_EXAMPLE}]
    )
    overlaps: list[Overlap] = Field(
        default_factory=list, examples=[[{"commitment": "microsoft-openai-2023", "usd": 1e9}]]
    )
    distinct_from: list[Slug] = Field(
        default_factory=list,
        description="Commitments of the same parties and kind, reported together, that are "
        "other money (another security, tranche or option; `notes` say why): `aifg validate` "
        "no longer asks whether they are the same.",
    )
    round: RoundTerms | None = Field(
        default=None,
        description="Set on the commitment that stands for a whole funding round.",
        examples=[{"name": "Series G", "leads": ["thrive-capital"]}],
    )

    @field_validator("to")
    @classmethod
    def _two_parties(cls, to: str, info: ValidationInfo) -> str:
        if to == info.data.get("from_"):
            raise ValueError(f"`from` and `to` are both {to!r}: a commitment needs two parties")
        return to

    @field_validator("status")
    @classmethod
    def _history_in_order(
        cls, status: list[StatusChange], info: ValidationInfo
    ) -> list[StatusChange]:
        for earlier, later in itertools.pairwise(status):
            if later.date < earlier.date:
                raise ValueError(
                    f"status history out of date order: {later.date} comes after {earlier.date}"
                )
        announced = info.data.get("announced")
        if announced is not None and status[0].date < announced:
            raise ValueError(
                f"status change dated {status[0].date} is before announced ({announced})"
            )
        return status

    @model_validator(mode="after")
    def _links_point_elsewhere(self) -> Self:
        linked = [self.part_of, *(o.commitment for o in self.overlaps)]
        if self.replaced_by is not None:
            linked.append(self.replaced_by.commitment)
        if self.id in linked:
            raise ValueError(f"{self.id!r} cannot be part of, replaced by or overlap itself")
        if self.id in self.distinct_from:
            raise ValueError(f"{self.id!r} cannot be distinct from itself")
        same_money = {c for c in linked if c is not None}.intersection(self.distinct_from)
        if same_money:
            raise ValueError(
                f"{sorted(same_money)} is both linked as the same money (part_of, replaced_by "
                "or overlaps) and listed in `distinct_from`: keep one"
            )
        return self

    @model_validator(mode="after")
    def _check_term(self) -> Self:
        if self.amount and self.amount.basis is AmountBasis.PER_YEAR and self.term_years is None:
            raise ValueError("a per-year amount needs `term_years` to give a total")
        return self

    @model_validator(mode="after")
    def _estimate_has_its_analyst(self) -> Self:
        # An estimated amount is only as good as whoever made it: that source must be listed.
        estimated = self.amount is not None and self.amount.estimate
        if estimated and not any(s.kind is SourceKind.ANALYST for s in self.sources):
            raise ValueError("an estimated amount needs a source of kind `analyst`")
        return self

    def status_at(self, as_of: dt.date) -> Status | None:
        """The last status on or before `as_of`; None before the commitment was announced."""
        if self.announced > as_of:
            return None
        current = None
        for change in self.status:
            if change.date > as_of:
                break
            current = change.status
        return current

    def counts_at(self, as_of: dt.date) -> bool:
        """Whether the commitment is live at `as_of` (README, as_of): by its status then,
        and not from the day another commitment replaced it (`replaced_by`)."""
        if self.replaced_by is not None and as_of >= self.replaced_by.date:
            return False
        status = self.status_at(as_of)
        if status in LIVE_STATUSES:
            return True
        return status is Status.COMPLETED and self.kind in AT_RISK_WHEN_COMPLETED

    def counting_intervals(self) -> list[tuple[dt.date, dt.date | None]]:
        """The periods [start, end) in which `counts_at` holds (end None: still counting),
        from the status history and `replaced_by`: what Gephi's timeline and the saved
        Browser queries read instead of the rule."""
        stop = self.replaced_by.date if self.replaced_by is not None else None
        intervals: list[tuple[dt.date, dt.date | None]] = []
        start: dt.date | None = None
        for change in self.status:
            day = max(change.date, self.announced)
            live = change.status in LIVE_STATUSES or (
                change.status is Status.COMPLETED and self.kind in AT_RISK_WHEN_COMPLETED
            )
            if live and start is None:
                start = day
            elif not live and start is not None:
                if day > start:
                    intervals.append((start, day))
                start = None
        if start is not None:
            intervals.append((start, None))
        if stop is None:
            return intervals
        cut: list[tuple[dt.date, dt.date | None]] = []
        for begin, end in intervals:
            if begin >= stop:
                break
            cut.append((begin, stop if end is None or end > stop else end))
        return cut

    def amount_usd(self, basis: ValueBasis = ValueBasis.POINT) -> Decimal | None:
        """The amount over the whole term in USD; None when no figure was disclosed."""
        return None if self.amount is None else self.total_usd(basis)

    def per_year_usd(self, basis: ValueBasis = ValueBasis.POINT) -> Decimal | None:
        """A year's worth: a per-year figure as given, a total over its term; None without
        a figure or a term."""
        if self.amount is None:
            return None
        if self.amount.basis is AmountBasis.PER_YEAR:
            return self.amount.value(basis)
        return self.total_usd(basis) / self.term_years if self.term_years else None

    def total_usd(self, basis: ValueBasis = ValueBasis.POINT) -> Decimal:
        """The amount over the whole term in USD; 0 when no figure was disclosed."""
        if self.amount is None:
            return Decimal(0)
        value = self.amount.value(basis)
        if self.amount.basis is AmountBasis.PER_YEAR:
            assert self.term_years is not None
            return value * self.term_years
        return value
