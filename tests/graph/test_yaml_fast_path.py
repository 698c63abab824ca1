"""The YAML fast path builds exactly what PyYAML's constructor builds, or steps aside."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import DataError
from graph.load import parse_yaml
from graph.yaml12 import Loader12, construct, construct_plain


def slow(text: str) -> Any:
    loader = Loader12(text)
    try:
        return loader.construct_document(loader.get_single_node())
    finally:
        loader.dispose()


def fast(text: str) -> Any:
    loader = Loader12(text)
    try:
        return construct(loader, loader.get_single_node(), text)
    finally:
        loader.dispose()


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        ["300e9", "0o17", "0x1F", "NO", "yes", "~", "null", ".inf", "-.Inf", "2025-13-01"]
    ),
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(documents, st.booleans())
def test_fast_and_slow_construction_agree(document: Any, flow: bool) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    assert same(fast(text), slow(text))


PLAIN_SCALARS = (
    "a: [300e9, 1e6, 0o17, 0x1F, NO, yes, True, ~, null, '', .nan, -.inf, 2025-13-01, +5]"
)


def test_core_schema_scalars_agree() -> None:
    assert same(fast(PLAIN_SCALARS), slow(PLAIN_SCALARS))
    assert fast(PLAIN_SCALARS)["a"][:4] == [300e9, 1e6, 15, 31]


@pytest.mark.parametrize(
    "text",
    [
        "? [1, 2]\n: x\n",  # unhashable key
        "a: !!python/object:os.system ls\n",  # unsafe tag
        "a: !!binary aGk=\n",  # tag outside the core schema
        "a: !!str [1]\n",  # scalar tag on a sequence
    ],
)
def test_unusual_documents_take_the_careful_path(text: str) -> None:
    loader = Loader12(text)
    with pytest.raises(Exception):  # noqa: B017 - any reason at all to step aside
        construct_plain(loader.get_single_node())
    with pytest.raises(DataError) as caught:
        parse_yaml(text, "x.yaml")
    assert caught.value.problems[0].line is not None


def test_a_duplicate_key_takes_the_careful_path_and_is_reported_not_raised() -> None:
    """The first value is kept so the rest of the file is still checked in the same run."""
    text = "a: 1\nb: 2\na: 3\n"
    loader = Loader12(text)
    with pytest.raises(Exception):  # noqa: B017 - the fast path steps aside
        construct_plain(loader.get_single_node())
    data, problems = parse_yaml(text, "x.yaml")
    assert data == {"a": 1, "b": 2}
    [problem] = problems
    assert (problem.line, problem.column, problem.field) == (3, 1, "a")
    assert (
        problem.message
        == "duplicate key 'a' (first on line 1): write each key once; delete one of them"
    )


def test_aliases_take_the_careful_path() -> None:
    text = "a: &s {x: 1}\nb: *s\n"
    data = fast(text)
    assert data == {"a": {"x": 1}, "b": {"x": 1}}
    assert data["a"] is data["b"]  # shared, as PyYAML's constructor shares it
