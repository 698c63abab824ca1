"""Pydantic's errors as sentences that say what to write instead: one table, by error type.

Pydantic words its errors for programmers ("Input should be a valid dictionary or
instance of Amount", "Field required", a regular expression). MESSAGES turns each error
type a dataset file can cause into what is wrong with what was written and what to write
instead: the value graph.readings reads the words as (`$10 billion` -> `usd: 10e9`), the
closest allowed value, or the field's own example (`examples` on its Field in schemas/,
which the JSON Schema shows editors too). An error type not in the table keeps Pydantic's
words. graph.load puts the file, line, column and field in front of each message.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from graph.readings import figure, flow, read_date, read_money, slug_of
from graph.suggest import suggest
from graph.yaml12 import LongNumber
from schemas.common import DATE_EXAMPLE, SLUG_PATTERN, forbidden_character, text_rule_of
from schemas.dataset import Dataset
from schemas.entities import (
    CIK_PATTERN,
    COUNTRY_PATTERN,
    LEI_PATTERN,
    MIC_PATTERN,
    WIKIDATA_PATTERN,
)
from schemas.money import CURRENCY_PATTERN, Amount
from schemas.numbers import MAX_DIGITS, USD_CEILING_TEXT

FieldPath = tuple[str | int, ...]
SHOWN_CHARS = 60
"""A value is echoed back up to this many characters."""
PLACEHOLDER = re.compile(r"<[^<>\n]{1,80}>")
"""A value `aifg new` writes for the user to replace: `<payer-id>`, `<YYYY-MM-DD>`."""


@dataclass(frozen=True)
class Place:
    """Where in the models a field is: its name as the file writes it (`from`, not
    `from_`), the model holding it, its definition (None for an unknown field), and
    whether the error is about one item of that field's list."""

    model: type[BaseModel] | None = None
    name: str = ""
    info: FieldInfo | None = None
    item: bool = False


def place_of(path: FieldPath) -> Place:
    """The field at `path` (as Pydantic's `loc`) in a dataset file, found in the models.

    >>> place_of(("commitments", 0, "status", 1, "status")).model.__name__
    'StatusChange'
    """
    found = Place()
    current: Any = Dataset
    for part in path:
        if isinstance(part, int):
            current = _item_type(current)
            found = dataclasses.replace(found, item=True)
            continue
        model = _model_in(current)
        if model is None:
            return found
        info = _fields(model).get(part)
        found = Place(model=model, name=part, info=info)
        if info is None:
            return found
        current = info.annotation
    return found


@cache
def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the name a file writes (the alias where there is one)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _options(annotation: Any) -> tuple[Any, ...]:
    """The types an annotation allows: `X | None` allows X and None."""
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


def _item_type(annotation: Any) -> Any:
    for option in _options(annotation):
        if get_origin(option) is list:
            return get_args(option)[0]
    return None


def enum_of(info: FieldInfo | None) -> type[enum.Enum] | None:
    for option in _options(info.annotation if info else None):
        if isinstance(option, type) and issubclass(option, enum.Enum):
            return option
    return None


@dataclass(frozen=True)
class Wrong:
    """One Pydantic error, with the place of its field."""

    type: str
    value: Any
    ctx: Mapping[str, Any]
    pydantic: str  # Pydantic's own words, kept where the table has nothing better
    at: Place

    @property
    def name(self) -> str:
        return self.at.name

    @property
    def shown(self) -> str:
        return shown(self.value)

    def example(self) -> str | None:
        """What to write in this field, from its `examples` (one item of a list's)."""
        examples = self.at.info.examples if self.at.info else None
        if not examples:
            kinds = enum_of(self.at.info)
            return f"one of {_listing(kinds)}" if kinds else None
        example = examples[0]
        if self.at.item and isinstance(example, list) and example:
            example = example[0]
        return flow(example)

    def write(self, value: str | None = None) -> str:
        """`write name: value`; for one item of a list, `write each item of name as value`."""
        value = value or self.example() or "..."
        if self.at.item:
            return f"write each item of {self.name} as {value}"
        return f"write {self.name}: {value}"


def shown(value: Any) -> str:
    """A value echoed back as a reader recognises it: text quoted, numbers as typed."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return figure(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return repr(text)


def _listing(kinds: type[enum.Enum]) -> str:
    return ", ".join(str(member.value) for member in kinds)


def closest(value: Any, allowed: list[str]) -> str | None:
    """The allowed value a writer most likely meant: the same but for case, spaces or
    hyphens (`Signed`), the only one holding it (`compute` -> `compute_purchase`), or a
    close spelling (`canceled` -> `cancelled`).

    >>> closest("compute", ["compute_purchase", "cloud_contract"])
    'compute_purchase'
    """
    if not isinstance(value, str):
        return None
    wanted = "_".join(value.strip().lower().replace("-", " ").split())
    if wanted in allowed:
        return wanted
    holding = [a for a in allowed if len(wanted) >= 3 and wanted in a]
    if len(holding) == 1:
        return holding[0]
    near = suggest(wanted, allowed, n=1)
    return near[0] if near else None


def _noun(model: type[BaseModel] | None) -> str:
    """`StatusChange` -> `a status change`."""
    if model is None or model is Dataset:
        return "a dataset file"
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
    return ("an " if words[0] in "aeiou" else "a ") + words


# -- the table: one function per error type ------------------------------------------------


def _missing(w: Wrong) -> str:
    example = w.example()
    return f"missing: add {w.name}: {example}" if example else f"missing: add {w.name}"


def _unknown_field(w: Wrong) -> str:
    known = list(_fields(w.at.model)) if w.at.model else []
    near = suggest(w.name, known, n=1) if known else []
    if near:
        return f"unknown field {w.name!r}: did you mean {near[0]!r}?"
    fields = ", ".join(known)
    return f"unknown field {w.name!r} ({_noun(w.at.model)} has {fields}): delete it or fix its name"


def _not_allowed(w: Wrong) -> str:
    kinds = enum_of(w.at.info)
    if kinds is None:
        return w.pydantic
    allowed = [str(member.value) for member in kinds]
    best = closest(w.value, allowed)
    listing = ", ".join(allowed)
    if best is None:
        return f"{w.shown} is not a value of {w.name}: write one of {listing}"
    return f"{w.shown} is not a value of {w.name}: {w.write(best)} (the values: {listing})"


_YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}


def _not_boolean(w: Wrong) -> str:
    why = ""
    if isinstance(w.value, str) and w.value.lower() in _YAML11_BOOLEANS:
        why = f" (files are read as YAML 1.2, where {w.value} is text)"
    return f"{w.shown} is not true or false: write {w.name}: true or {w.name}: false{why}"


def _not_mapping(w: Wrong) -> str:
    model = _model_in(_item_type(w.at.info.annotation) if w.at.item and w.at.info else None)
    model = model or _model_in(w.at.info.annotation if w.at.info else None)
    if model is Amount and not w.at.item:
        money = read_money(w.value) if isinstance(w.value, str) else None
        if money is not None:
            amount: dict[str, Any] = {"usd": money.usd}
            if money.up_to:
                amount["up_to"] = True
            amount["as_written"] = w.value
            return f"{w.shown} is text, but an amount is a mapping: {w.write(flow(amount))}"
        if isinstance(w.value, int | float) and not isinstance(w.value, bool):
            return f"{w.shown} is a number, but an amount is a mapping: " + w.write(
                flow({"usd": w.value})
            )
        if isinstance(w.value, str):  # not dollars as read_money reads them: no figure guessed
            written = json.dumps(w.value, ensure_ascii=False)
            return (
                f"{w.shown} is text, but an amount is a mapping of USD figures: write amount: "
                f"{{usd: <the figure in USD>, as_written: {written}}} (a figure disclosed in "
                "another currency also goes in original: {currency, value, usd_per_unit, "
                "rate_date, rate_source})"
            )
    return f"{w.shown} is not a mapping: {w.write()}"


def _not_list(w: Wrong) -> str:
    if isinstance(w.value, dict) and len(flow(w.value)) <= 2 * SHOWN_CHARS:
        return f"a single item is still a list: write {w.name}: [{flow(w.value)}]"
    of_models = _model_in(_item_type(w.at.info.annotation) if w.at.info else None) is not None
    if isinstance(w.value, str | int | float) and not isinstance(w.value, bool) and not of_models:
        return f"{w.shown} is not a list: write {w.name}: [{flow(w.value)}]"
    return f"{w.shown} is not a list: {w.write()}"


def _empty(w: Wrong) -> str:
    if w.at.info is not None and not w.at.info.is_required():
        example = w.example()
        instead = f"write {w.name}: {example}" if example else f"write the {w.name}"
        return f"is empty: {instead}, or delete the line"
    return f"is empty: {w.write()}"


def _too_long(w: Wrong) -> str:
    limit = w.ctx.get("max_length")
    length = len(w.value) if isinstance(w.value, str | list) else None
    return f"is {length:,} characters long: at most {limit}" if length else w.pydantic


def _not_text(w: Wrong) -> str:
    if w.value is None:
        return f"is empty: {w.write()}"
    if isinstance(w.value, int | float | bool):
        quoted = json.dumps(w.shown)
        return f"{w.shown} is read as a number, not text: put it in quotes, {w.name}: {quoted}"
    return f"{w.shown} is not text: {w.write()}"


@dataclass(frozen=True)
class Rule:
    """A pattern in words, and how to mend a value that misses it (None: no guess)."""

    words: str
    mend: Callable[[str], str | None]


def _upper(pattern: str) -> Callable[[str], str | None]:
    def mend(value: str) -> str | None:
        fixed = value.strip().upper()
        return fixed if re.fullmatch(pattern, fixed) else None

    return mend


PATTERNS: dict[str, Rule] = {
    SLUG_PATTERN: Rule(
        "is not an id: an id is lower-case letters a-z and digits, words joined by single "
        "hyphens (no capitals, spaces, underscores or accents)",
        lambda value: slug_of(value) or None,
    ),
    CURRENCY_PATTERN: Rule(
        "is not a currency code: three capital letters (ISO 4217)", _upper(CURRENCY_PATTERN)
    ),
    COUNTRY_PATTERN: Rule(
        "is not a country code: two capital letters (ISO 3166-1 alpha-2)", _upper(COUNTRY_PATTERN)
    ),
    LEI_PATTERN: Rule(
        "is not an LEI: 20 capital letters and digits, the last two digits (gleif.org)",
        _upper(LEI_PATTERN),
    ),
    WIKIDATA_PATTERN: Rule(
        "is not a Wikidata item: Q and its number, as in the item's URL",
        _upper(WIKIDATA_PATTERN),
    ),
    CIK_PATTERN: Rule("is not a CIK: 1 to 10 digits, as EDGAR shows them", lambda value: None),
    MIC_PATTERN: Rule(
        "is not a market identifier code: four capital letters or digits (ISO 10383)",
        _upper(MIC_PATTERN),
    ),
}
"""Every pattern a dataset field has, in words (a test walks the models for them)."""


def _pattern(w: Wrong) -> str:
    pattern = str(w.ctx.get("pattern"))
    free_text = text_rule_of(pattern)
    if free_text is not None and isinstance(w.value, str):
        found = forbidden_character(w.value, free_text=free_text)
        if found is not None:
            return f"text may not hold {found[1]}: delete it"
    rule = PATTERNS.get(pattern)
    if rule is None or not isinstance(w.value, str):
        return w.pydantic
    # A template's placeholder mended (`<payer-id>` -> `payer-id`) is no id anyone means:
    # the field's example says more.
    mended = None if PLACEHOLDER.fullmatch(w.value) else rule.mend(w.value)
    return f"{w.shown} {rule.words}: {w.write(mended)}"


_SLASHED = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def _not_date(w: Wrong) -> str:
    day = read_date(w.value)
    if day is not None:
        instead = w.write(day.date.isoformat())
        precision = f"{w.name}_precision"
        if day.precision != "day" and w.at.model and precision in _fields(w.at.model):
            instead += f" and {precision}: {day.precision}"
        return f"{w.shown} is not a date: {instead} (dates are written YYYY-MM-DD)"
    if isinstance(w.value, str) and _SLASHED.fullmatch(w.value.strip()):
        return (
            f"{w.shown} is not a date: write {w.name}: YYYY-MM-DD (in {w.value.strip()}, "
            "which is the day and which the month?)"
        )
    reason = str(w.ctx.get("error", ""))
    if "outside expected range" in reason:
        return f"{w.shown} is not a date ({reason}): write {w.name}: YYYY-MM-DD, a day that exists"
    return f"{w.shown} is not a date: write {w.name}: YYYY-MM-DD, e.g. {DATE_EXAMPLE}"


def _not_number(w: Wrong) -> str:
    money = read_money(w.value) if isinstance(w.value, str) else None
    if money is None:
        return f"{w.shown} is not a number: {w.write(w.example() or 'a number, e.g. 5e9')}"
    instead = w.write(figure(money.usd))
    if w.at.model is Amount:
        instead += f", and keep the words in as_written: {json.dumps(w.value, ensure_ascii=False)}"
        if money.up_to:
            instead += " (with up_to: true)"
    return f"{w.shown} is not a number: {instead}"


def _not_finite(w: Wrong) -> str:
    return f"{w.shown} is not a finite number: {w.write(w.example() or 'a figure such as 5e9')}"


def _bound(relation: str, key: str) -> Callable[[Wrong], str]:
    def message(w: Wrong) -> str:
        limit = w.ctx.get(key)
        limit_text = figure(limit) if isinstance(limit, int | float) else str(limit)
        return f"must be {relation} {limit_text}, not {w.shown}"

    return message


def _too_many_digits(w: Wrong) -> str:
    limit = w.ctx.get("max_digits", MAX_DIGITS)
    written = shown(w.value).strip("'")
    return (
        f"{written} has over {limit} digits, counting a large number's zeros and the "
        f"decimal places: write at most {limit} (USD figures are below {USD_CEILING_TEXT}; "
        "e.g. 5e9 or 1234567.25)"
    )


def _literal(w: Wrong) -> str:
    return f"{w.shown} is not allowed: write {w.name}: {w.ctx.get('expected')}"


def _ours(w: Wrong) -> str:
    """Our own validators' messages already say what to write."""
    return w.pydantic.removeprefix("Value error, ").removeprefix("Assertion failed, ")


MESSAGES: dict[str, Callable[[Wrong], str]] = {
    "missing": _missing,
    "extra_forbidden": _unknown_field,
    "enum": _not_allowed,
    "bool_type": _not_boolean,
    "bool_parsing": _not_boolean,
    "model_type": _not_mapping,
    "model_attributes_type": _not_mapping,
    "dict_type": _not_mapping,
    "list_type": _not_list,
    "too_short": _empty,
    "string_too_short": _empty,
    "too_long": _too_long,
    "string_too_long": _too_long,
    "string_type": _not_text,
    "string_pattern_mismatch": _pattern,
    "date_type": _not_date,
    "date_parsing": _not_date,
    "date_from_datetime_parsing": _not_date,
    "date_from_datetime_inexact": _not_date,
    "decimal_parsing": _not_number,
    "decimal_type": _not_number,
    "float_parsing": _not_number,
    "float_type": _not_number,
    "finite_number": _not_finite,
    "greater_than_equal": _bound("greater than or equal to", "ge"),
    "greater_than": _bound("greater than", "gt"),
    "less_than": _bound("less than", "lt"),
    "less_than_equal": _bound("less than or equal to", "le"),
    "decimal_max_digits": _too_many_digits,
    "literal_error": _literal,
    "value_error": _ours,
    "assertion_error": _ours,
}


def message(item: ErrorDetails) -> str:
    """What to tell the writer about one Pydantic error of a dataset file."""
    value = item.get("input")
    if isinstance(value, LongNumber):
        return (
            f"a number written with {len(value.text):,} characters: figures have at most "
            f"{MAX_DIGITS} digits (write e.g. 5e9 or 1234567.25)"
        )
    wrong = Wrong(
        type=item["type"],
        value=value,
        ctx=item.get("ctx", {}),
        pydantic=item["msg"],
        at=place_of(tuple(item["loc"])),
    )
    worded = MESSAGES.get(wrong.type, _ours)(wrong)
    if isinstance(value, str) and PLACEHOLDER.fullmatch(value):
        return f"replace the template's placeholder {value}: {worded}"
    return worded


def placeholder(path: FieldPath, value: str) -> str:
    """The message for a template placeholder the schema accepted (a name, a publisher)."""
    wrong = Wrong(type="placeholder", value=value, ctx={}, pydantic="", at=place_of(path))
    example = wrong.example()
    instead = f", e.g. {wrong.name}: {example}" if example else ""
    return f"replace the template's placeholder {value} with what the source says{instead}"
