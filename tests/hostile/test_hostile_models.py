"""The models' bounds: what they accept always loads back, text is clean, counts are ints."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from cli.table import render
from schemas.commitments import Commitment
from schemas.common import FreeText, Text, forbidden_character, visible
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.numbers import MAX_DIGITS, USD_CEILING, Usd
from schemas.stress import StressRequest

FORBIDDEN_ANYWHERE = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    *range(0xFDD0, 0xFDF0),
    *(plane + end for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF)),
]


def is_clean(adapter: TypeAdapter[str], text: str) -> bool:
    try:
        adapter.validate_python(text)
    except ValidationError:
        return False
    return True


def test_the_text_rule_refuses_exactly_the_controls_and_noncharacters() -> None:
    line, free = TypeAdapter(Text), TypeAdapter(FreeText)
    forbidden = set(FORBIDDEN_ANYWHERE)
    for code in [*range(0x30000), *range(0xE0000, 0x110000, 7), 0x10FFFD]:
        if 0xD800 <= code <= 0xDFFF:
            continue  # no str Pydantic accepts holds a lone surrogate
        char = chr(code)
        bad_anywhere = code in forbidden
        assert is_clean(free, f"a{char}b") is (not bad_anywhere), hex(code)
        assert is_clean(line, f"a{char}b") is (not bad_anywhere and char not in "\t\n"), hex(code)
        assert (forbidden_character(char, free_text=True) is None) is (not bad_anywhere)
    for code in forbidden:
        assert not is_clean(free, chr(code)), hex(code)
    assert forbidden_character("ok\ud800") == (2, "the lone surrogate U+D800")


def test_visible_never_shows_a_control_character() -> None:
    for code in range(0x110000):
        shown = visible(chr(code))
        assert all(unicodedata.category(c) not in ("Cc", "Cs") for c in shown), hex(code)
        assert forbidden_character(shown) is None or chr(code) in "\t\n", hex(code)
    assert visible("Nvidia\x1b[2J\u202e") == "Nvidia\\x1b[2J\\u202e"
    assert visible("英偉達 Café 😀") == "英偉達 Café 😀"


def test_the_table_escapes_what_a_terminal_would_obey() -> None:
    out = render(("id", "name"), [("evil", "Evil\x1b[2J\x07Co\u202e"), ("tab", "a\tb\nc")])
    assert all(c == "\n" or unicodedata.category(c) not in ("Cc",) for c in out), repr(out)
    assert "Evil\\x1b[2J\\x07Co\\u202e" in out and "a\\tb\\nc" in out


@pytest.mark.parametrize(
    "value",
    [
        "1e1000000",
        "1e4400",
        10**4000,
        16**4000,
        "9" * 5000,
        1.7e308,
        float("inf"),
        "NaN",
        -1,
        USD_CEILING,
        "1e15",
        "0.0000000000000001",
        "1" + "0" * 39 + ".5",
    ],
    ids=lambda v: f"{v.bit_length()} bits" if isinstance(v, int) else repr(v)[:24],
)
def test_a_usd_figure_out_of_bounds_is_refused(value: Any) -> None:
    # Refused by the digit limit and the ceiling before any conversion, so a
    # "1e1000000" costs nothing (it cost 41 s a read before).
    with pytest.raises(ValidationError):
        TypeAdapter(Usd).validate_python(value)


@pytest.mark.parametrize("value", ["999999999999999", "0.000000000000001", 0, "5e9", 1e14])
def test_usd_figures_within_bounds_are_kept(value: Any) -> None:
    assert TypeAdapter(Usd).validate_python(value) == Decimal(str(value))


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"max_rounds": 1e3}, "write max_rounds: 1000"),
        ({"max_rounds": 1000.0}, "write max_rounds: 1000"),
        ({"max_rounds": True}, "whole number"),
        ({"max_rounds": "1000"}, "whole number"),
        ({"max_rounds": 2.5}, "whole number"),
    ],
)
def test_a_count_is_an_integer(body: dict[str, Any], words: str) -> None:
    request = {"shocks": [{"entity": "openai", "severity": 1}], **body}
    with pytest.raises(ValidationError) as caught:
        StressRequest.model_validate(request)
    assert words in str(caught.value)
    with pytest.raises(ValidationError):  # the same over JSON, as the API reads it
        StressRequest.model_validate_json(json.dumps(request))
    assert StressRequest.model_validate({**request, "max_rounds": 1000}).max_rounds == 1000


def test_a_json_body_with_max_rounds_1e3_is_refused() -> None:
    body = '{"shocks": [{"entity": "openai", "severity": 1}], "max_rounds": 1e3}'
    with pytest.raises(ValidationError) as caught:
        StressRequest.model_validate_json(body)
    assert "write max_rounds: 1000" in str(caught.value)


# Property: whatever validation accepts, a store's restart (dump to JSON, validate the JSON)
# loads back as the same records.
HOSTILE_NUMBERS = st.sampled_from(
    [
        "1e1000000",
        "1e4400",
        "0E-5000",
        "-0",
        "1e15",
        "999999999999999",
        "0.000000000000001",
        "1e-15",
        "5_000",
        " 5 ",
        "+5",
        "1E+3",
        "0x10",
        "1.0" + "0" * 30,
        "12345678901234.5",
        "0.1",
        "1e-400",
        1.7e308,
        5e-324,
        2**63,
        2**53 + 1,
        -0.0,
    ]
)
NUMBERS = st.one_of(
    HOSTILE_NUMBERS,
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(alphabet="0123456789.eE+-_", min_size=1, max_size=25),
    # Near the bounds, where a rounding on the way to JSON and back would show:
    st.integers(min_value=0, max_value=USD_CEILING),
    st.floats(min_value=0, max_value=1e15),
    st.decimals(min_value=0, max_value=USD_CEILING, places=3),
    st.decimals(min_value=0, max_value=1000, places=12),
)
TEXTS = st.one_of(
    st.text(max_size=20),
    st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), max_size=20),
    st.sampled_from(["\x1b[2J", "\u202e", "\ufffe", "\U0010ffff", "a\tb", "a\nb", " x ", "\x85"]),
)


def valid_dataset() -> dict[str, Any]:
    def source() -> dict[str, Any]:
        return {"url": "https://example.com/a", "publisher": "P", "title": "T", "quote": "Q"}

    return {
        "entities": [
            {
                "id": "a",
                "name": "A",
                "aliases": ["Ä"],
                "ticker": "A",
                "notes": "n",
                "financials": [
                    {"metric": "equity", "usd": 1, "as_of": "2025-01-01", "source": source()}
                ],
            },
        ],
        "commitments": [
            {
                "id": "a-b",
                "from": "a",
                "to": "b",
                "kind": "loan",
                "amount": {
                    "usd": 5e9,
                    "low": 1e9,
                    "high": 9e9,
                    "as_written": "5",
                    "original": {
                        "currency": "JPY",
                        "value": 7.5e11,
                        "usd_per_unit": "0.00666666666667",
                        "rate_date": "2025-01-01",
                        "rate_source": source(),
                    },
                },
                "term_years": 2,
                "capacity_gw": 1,
                "announced": "2025-01-01",
                "status": [{"date": "2025-01-01", "status": "signed", "note": "n"}],
                "sources": [source()],
                "notes": "n",
                "overlaps": [{"commitment": "c-d", "usd": 1, "note": "n"}],
                "round": {"name": "R", "pre_money_usd": 1, "post_money_usd": 2},
            }
        ],
        "events": [
            {
                "id": "e",
                "date": "2025-01-01",
                "kind": "report",
                "title": "T",
                "figures": [{"label": "L", "value": -3, "unit": "percent", "as_written": "w"}],
                "sources": [source()],
            }
        ],
    }


C, E = ("commitments", 0), ("entities", 0)
AMOUNT = (*C, "amount")
NUMBER_SLOTS = [
    (*AMOUNT, "usd"),
    (*AMOUNT, "low"),
    (*AMOUNT, "high"),
    (*AMOUNT, "original", "value"),
    (*AMOUNT, "original", "usd_per_unit"),
    (*C, "term_years"),
    (*C, "capacity_gw"),
    (*C, "overlaps", 0, "usd"),
    (*C, "round", "pre_money_usd"),
    (*E, "financials", 0, "usd"),
    ("events", 0, "figures", 0, "value"),
]
TEXT_SLOTS = [
    (*E, "name"),
    (*E, "aliases", 0),
    (*E, "ticker"),
    (*E, "notes"),
    (*C, "notes"),
    (*C, "status", 0, "note"),
    (*C, "sources", 0, "publisher"),
    (*C, "sources", 0, "title"),
    (*C, "sources", 0, "quote"),
    (*C, "sources", 0, "url"),
    (*AMOUNT, "as_written"),
    ("events", 0, "title"),
    ("events", 0, "figures", 0, "label"),
]


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid dataset with one to three fields given hostile values."""
    data = valid_dataset()
    if draw(st.booleans()):  # without it, any usd in low..high goes
        data["commitments"][0]["amount"].pop("original")
    slots = draw(st.lists(st.sampled_from(NUMBER_SLOTS + TEXT_SLOTS), min_size=1, max_size=3))
    for path in slots:
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {}) if isinstance(part, str) else target[part]
        if path[-1] == "url":
            target[path[-1]] = "https://example.com/" + draw(TEXTS)
        else:
            target[path[-1]] = draw(NUMBERS if path in NUMBER_SLOTS else TEXTS)
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_whatever_validation_accepts_loads_back_from_json(data: dict[str, Any]) -> None:
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError:
        return
    again = Dataset.model_validate_json(dataset.model_dump_json(by_alias=True))
    assert again == dataset
    # Record by record, as the stores write and read them.
    for commitment in dataset.commitments:
        assert Commitment.model_validate_json(commitment.model_dump_json(by_alias=True)) == (
            commitment
        )
    for entity in dataset.entities:
        assert Entity.model_validate_json(entity.model_dump_json()) == entity


@settings(max_examples=300, deadline=None)
@given(NUMBERS)
def test_an_accepted_figure_is_bounded_and_exact_through_json(value: Any) -> None:
    adapter = TypeAdapter(Usd)
    try:
        figure = adapter.validate_python(value)
    except ValidationError:
        return
    assert 0 <= figure < USD_CEILING
    assert len(figure.normalize().as_tuple().digits) <= MAX_DIGITS
    assert adapter.validate_json(adapter.dump_json(figure)) == figure
