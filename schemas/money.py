"""Money: Decimal USD, a point value or a low/high range, with an explicit "up to" flag."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from schemas.common import DATE_EXAMPLE, SOURCE_EXAMPLE, Flag, Source, StrictModel, Text
from schemas.enums import AmountBasis, ValueBasis
from schemas.numbers import ForeignValue, Usd, UsdPerUnit

__all__ = ["Amount", "ForeignAmount", "Usd"]

CURRENCY_PATTERN = r"^[A-Z]{3}$"
CurrencyCode = Annotated[str, StringConstraints(pattern=CURRENCY_PATTERN)]
# Converted figures may differ from value x rate by rounding in the source, not more.
FX_TOLERANCE = Decimal("0.005")


def _short(value: Decimal) -> str:
    """A figure as a user would type it in YAML: 6 significant digits, `6.6e9`."""
    mantissa, _, exponent = f"{value:.5e}".partition("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


class ForeignAmount(StrictModel):
    """A figure disclosed in another currency, and the rate used to state it in USD."""

    currency: CurrencyCode = Field(
        description="ISO 4217, e.g. `JPY`, `EUR` (not USD).", examples=["JPY"]
    )
    value: ForeignValue = Field(
        description="In `currency`, nominal; below 1e18.", examples=[1.5e12]
    )
    usd_per_unit: UsdPerUnit = Field(
        description="The exchange rate used: USD per one unit of `currency`.",
        examples=[0.0067],
    )
    rate_date: dt.date = Field(examples=[DATE_EXAMPLE])
    rate_source: Source = Field(examples=[SOURCE_EXAMPLE])

    @model_validator(mode="after")
    def _not_usd(self) -> Self:
        if self.currency == "USD":
            raise ValueError("`original` is for a figure in another currency than USD")
        return self


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
    up_to: Flag = False
    basis: AmountBasis = AmountBasis.TOTAL
    as_written: Text | None = None
    estimate: Flag = Field(
        default=False,
        description="An estimate by a third party (e.g. an analyst), not a disclosed figure; "
        "`as_written` says whose.",
    )
    original: ForeignAmount | None = Field(
        default=None,
        description="The figure in the currency it was disclosed in; `usd` is value x rate.",
        examples=[
            {
                "currency": "JPY",
                "value": 1.5e12,
                "usd_per_unit": 0.0067,
                "rate_date": DATE_EXAMPLE,
                "rate_source": SOURCE_EXAMPLE,
            }
        ],
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
        if self.original is not None and self.usd is not None:
            converted = self.original.value * self.original.usd_per_unit
            if abs(self.usd - converted) > FX_TOLERANCE * converted:
                written = _short(converted)
                raise ValueError(
                    f"usd ({_short(self.usd)}) is not original.value x original.usd_per_unit "
                    f"({written}): write usd: {written}"
                )
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
