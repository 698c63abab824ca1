"""Numbers the model can always load back: bounded figures, and counts that are integers.

A figure is a Decimal in the model and a JSON number on the wire. Every figure is finite,
below a ceiling far above any real deal, and has at most `MAX_DIGITS` digits in all
(Pydantic's count: the integer digits, zeros included, plus the decimal places). So:

- its JSON number (an integer, or a float for a fraction) reads back as the same Decimal,
  15 digits being what a double always keeps (DBL_DIG): a store reloads what it wrote;
- sums cannot overflow: a million figures at the ceiling add up to 1e21 USD;
- no figure costs more than microseconds: a number written with over `MAX_NUMBER_CHARS`
  characters, or an integer beyond 64 bits, is refused before any conversion (Python
  refuses int<->str over 4300 digits, and `1e1000000` as a Decimal took 35 s to print
  as a JSON integer).
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
"""A number's text is refused past this length before it is parsed (graph.yaml12 and
here): 15 digits with sign, point and exponent fit many times over."""
_INT_BOUND = 2**63  # an integer this large is far past every ceiling; cheap to compare


def number_input(value: object) -> object:
    """Refuse a figure no ceiling can allow while that is cheap to tell: before Decimal
    parses a long text, or converts a huge integer."""
    if isinstance(value, str):
        if len(value) > MAX_NUMBER_CHARS:
            raise ValueError(
                f"a number written with {len(value):,} characters: figures here have at "
                f"most {MAX_DIGITS} digits, e.g. 5e9 or 1234567.25"
            )
    elif isinstance(value, int) and not -_INT_BOUND < value < _INT_BOUND:
        raise ValueError(
            f"a number of {value.bit_length():,} bits is far above every ceiling "
            f"(USD figures are below {USD_CEILING_TEXT}; write e.g. 5e9)"
        )
    return value


def _decimal_to_json(value: Decimal) -> int | float:
    """Whole numbers stay exact as JSON integers; others become JSON numbers, exact too
    within MAX_DIGITS digits."""
    return int(value) if value == value.to_integral_value() else float(value)


_REFUSE_UNBOUNDED = BeforeValidator(number_input)
_JSON_NUMBER = PlainSerializer(_decimal_to_json, return_type=int | float, when_used="json")
# Constraints come before the validator so Pydantic checks them in Rust, in the decimal
# schema itself (after a Python validator it would check them in Python).
Usd = Annotated[
    Decimal,
    Field(ge=0, lt=USD_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _REFUSE_UNBOUNDED,
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
    _REFUSE_UNBOUNDED,
    AfterValidator(_fraction_fits_a_double),
    _JSON_NUMBER,
]
"""A positive amount in another currency, below 1e18: up to 18 digits when whole (dong
and rial figures are large; JSON integers keep them exact), 15 significant digits in a
fraction (what a JSON float keeps)."""
UsdPerUnit = Annotated[
    Decimal,
    Field(gt=0, lt=RATE_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _REFUSE_UNBOUNDED,
    _JSON_NUMBER,
]
TermYears = Annotated[
    Decimal,
    Field(gt=0, lt=TERM_YEARS_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _REFUSE_UNBOUNDED,
    _JSON_NUMBER,
]
CapacityGw = Annotated[
    Decimal,
    Field(ge=0, lt=CAPACITY_GW_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _REFUSE_UNBOUNDED,
    _JSON_NUMBER,
]
SignedFigure = Annotated[
    Decimal,
    Field(gt=-USD_CEILING, lt=USD_CEILING, max_digits=MAX_DIGITS, allow_inf_nan=False),
    _REFUSE_UNBOUNDED,
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
