"""Numbers the model can always load back: bounded figures, and counts that are integers.

A figure is a Decimal in the model and a JSON number on the wire. Every figure is finite,
below a ceiling far above any real deal, and has at most `MAX_DIGITS` digits in all
(Pydantic's count: the integer digits, zeros included, plus the decimal places). So:

- its JSON number (an integer, or a float for a fraction) reads back as the same Decimal,
  15 digits being what a double always keeps (DBL_DIG): a store reloads what it wrote;
- sums cannot overflow: a million figures at the ceiling add up to 1e21 USD;
- no figure costs more than microseconds: the digit count bounds the exponent too, so
  `1e1000000` (which took 35 s to print as a JSON integer) is refused as it is read,
  and the YAML loader leaves a number written with over `MAX_NUMBER_CHARS` characters
  unconverted (graph.yaml12.LongNumber: Python refuses int() over 4300 digits). JSON
  refuses such integers itself; a long quoted string costs a linear Decimal parse.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, ValidationInfo

USD_CEILING = 10**15
"""Every USD figure is below this: a quadrillion dollars, some 700 times the largest
commitments announced (about $1.4 trillion of compute over years)."""
USD_CEILING_TEXT = "1e15"
FOREIGN_CEILING = 10**18
"""Figures in another currency: room for a quadrillion dollars in dong, rupiah or rial."""
RATE_CEILING = 10**6
"""USD per unit of a currency (the dinar, the strongest, is about 3.3)."""
TERM_YEARS_CEILING = 1000
CAPACITY_GW_CEILING = 10**6
"""Gigawatts (the world's generating capacity is under 10,000 GW)."""
MAX_DIGITS = 15
"""Digits in all, integer and decimal places: e.g. 999999999999999 or 1234567.12345678."""
MAX_NUMBER_CHARS = 40
"""A YAML number's text past this length is refused before it is converted: 15 digits
with sign, point and exponent fit twice over."""
_INT_BOUND = 2**63


def _decimal_to_json(value: Decimal) -> int | float:
    """Whole numbers stay exact as JSON integers; others become JSON numbers, exact too
    within MAX_DIGITS digits."""
    return int(value) if value == value.to_integral_value() else float(value)


_JSON_NUMBER = PlainSerializer(_decimal_to_json, return_type=int | float, when_used="json")
# Every bound is checked in Rust, in the decimal schema itself: a Python validator on
# each figure would cost more than the figure's whole validation (a store's reload
# validates every figure it holds).
Usd = Annotated[
    Decimal,
    Field(ge=0, lt=USD_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _JSON_NUMBER,
    Field(description="US dollars, nominal; below 1e15."),
]


def _fraction_fits_a_double(value: Decimal) -> Decimal:
    if value != value.to_integral_value() and len(value.normalize().as_tuple().digits) > MAX_DIGITS:
        raise ValueError(
            f"a fraction has at most {MAX_DIGITS} significant digits (a whole number up to 18)"
        )
    return value


ForeignValue = Annotated[
    Decimal,
    Field(gt=0, lt=FOREIGN_CEILING, max_digits=18, allow_inf_nan=False),
    AfterValidator(_fraction_fits_a_double),
    _JSON_NUMBER,
]
"""A positive amount in another currency, below 1e18: up to 18 digits when whole (dong
and rial figures are large; JSON integers keep them exact), 15 significant digits in a
fraction (what a JSON float keeps)."""
UsdPerUnit = Annotated[
    Decimal,
    Field(gt=0, lt=RATE_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _JSON_NUMBER,
]
TermYears = Annotated[
    Decimal,
    Field(gt=0, lt=TERM_YEARS_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _JSON_NUMBER,
]
CapacityGw = Annotated[
    Decimal,
    Field(ge=0, lt=CAPACITY_GW_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _JSON_NUMBER,
]
SignedFigure = Annotated[
    Decimal,
    Field(gt=-USD_CEILING, lt=USD_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _JSON_NUMBER,
]
"""A reported figure that may be negative (a one-day change of -31 percent)."""


def _whole_number(value: object, info: ValidationInfo) -> object:
    """A count is an integer as written: `1e3`, `1000.0`, `true` and `"1000"` are not."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    example = 100
    if isinstance(value, float) and value.is_integer() and abs(value) < _INT_BOUND:
        example = int(value)
    raise ValueError(
        f"a count is a whole number, without a point, exponent or quotes: "
        f"write {info.field_name or 'it'}: {example}"
    )


Count = Annotated[int, BeforeValidator(_whole_number)]
"""An integer count (rounds, depth, a limit): a float, even a whole one, is an error."""
