"""Money: Decimal USD, a point value or a low/high range, with an explicit "up to" flag."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from schemas.common import JsonDecimal, StrictModel
from schemas.enums import AmountBasis, ValueBasis

Usd = Annotated[JsonDecimal, Field(ge=0, description="US dollars, nominal.")]


class Amount(StrictModel):
    """A sourced money figure in USD.

    Either `usd` (a point value) or `low` and `high` (a range; `usd` may then hold a
    central figure a source gave). `up_to` marks a ceiling ("up to $100B"): the number
    is the maximum, not an expectation. `basis` says whether the figure is the total
    over the commitment's term or per year. `as_written` keeps the figure as the
    source wrote it ("up to $100 billion", "1000億美元"). `estimate` marks a figure the
    parties never disclosed and a third party estimated (an analyst); `as_written` must
    then say whose estimate it is, so no reader takes it for a disclosed amount.
    """

    usd: Usd | None = None
    low: Usd | None = None
    high: Usd | None = None
    up_to: bool = False
    basis: AmountBasis = AmountBasis.TOTAL
    as_written: str | None = None
    estimate: bool = Field(
        default=False,
        description="An estimate by a third party (e.g. an analyst), not a disclosed figure; "
        "`as_written` says whose.",
    )

    @model_validator(mode="after")
    def _check_range(self) -> Self:
        if self.usd is None and (self.low is None or self.high is None):
            raise ValueError("give `usd`, or both `low` and `high`")
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both `low` and `high`")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise ValueError(f"low ({self.low}) is above high ({self.high})")
            if self.usd is not None and not self.low <= self.usd <= self.high:
                raise ValueError(f"usd ({self.usd}) lies outside low..high")
        if self.estimate and not (self.as_written and self.as_written.strip()):
            raise ValueError("an estimate needs `as_written` saying whose estimate it is")
        return self

    def value(self, basis: ValueBasis = ValueBasis.POINT) -> Decimal:
        """The figure on the given basis, in USD as written (total or per year).

        point: `usd`, or the midpoint of the range; low/high: the range's end, or `usd`.
        """
        if basis is ValueBasis.LOW and self.low is not None:
            return self.low
        if basis is ValueBasis.HIGH and self.high is not None:
            return self.high
        if self.usd is not None:
            return self.usd
        assert self.low is not None and self.high is not None
        return (self.low + self.high) / 2
