"""graph.compact rebuilds records smaller; nothing about them may change (the memory it
saves is measured by the benchmark, bench/run.py, not here)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from pydantic import BaseModel

from graph.compact import compact_records
from graph.imports import validate_paths
from graph.validate import merge
from schemas import Commitment
from tests.factories import make_commitment
from tests.helpers import SEEDS


@pytest.fixture(scope="module")
def seed_records() -> list[BaseModel]:
    data = merge(validate_paths([SEEDS], None, max_bytes=2**25))
    return [*data.entities, *data.commitments, *data.events]


def test_every_seed_record_is_the_same_after(seed_records: list[BaseModel]) -> None:
    compacted = list(compact_records(seed_records))
    assert len(compacted) == len(seed_records)
    for before, after in zip(seed_records, compacted, strict=True):
        assert type(after) is type(before) and after is not before
        assert after == before
        assert after.model_fields_set == before.model_fields_set
        assert after.model_dump_json(by_alias=True) == before.model_dump_json(by_alias=True)
        assert vars(after) == vars(before)


def test_equal_dates_and_field_sets_become_one_object(seed_records: list[BaseModel]) -> None:
    commitments = [c for c in compact_records(seed_records) if isinstance(c, Commitment)]
    by_date: dict[dt.date, set[int]] = {}
    for c in commitments:
        for day in (c.announced, *(s.date for s in c.status)):
            by_date.setdefault(day, set()).add(id(day))
    assert max(len(by_date[d]) for d in by_date) == 1  # one object per distinct date
    same_fields = [
        (a, b)
        for a, b in itertools.combinations(commitments, 2)
        if a.model_fields_set == b.model_fields_set
    ]
    assert same_fields and all(a.model_fields_set is b.model_fields_set for a, b in same_fields)


def test_a_copy_with_changes_leaves_the_shared_parts_alone(seed_records: list[BaseModel]) -> None:
    commitments = [c for c in compact_records(seed_records) if isinstance(c, Commitment)]
    first, second = commitments[0], commitments[1]
    fields_before = set(second.model_fields_set)
    changed = first.model_copy(update={"notes": "changed", "term_years": Decimal(3)})
    assert changed.notes == "changed" and first.notes != "changed"
    assert second.model_fields_set == fields_before
    with pytest.raises(Exception, match="frozen"):
        first.notes = "assigned"  # type: ignore[misc]


def test_amounts_written_differently_stay_as_written() -> None:
    """2 and 2.0 are equal Decimals but print differently: neither becomes the other."""
    two = make_commitment("a", "b", "loan", 5).model_copy(update={"term_years": Decimal("2")})
    two_point_o = make_commitment("c", "d", "loan", 5).model_copy(
        update={"term_years": Decimal("2.0")}
    )
    again = make_commitment("e", "f", "loan", 5).model_copy(update={"term_years": Decimal("2")})
    first, second, third = compact_records([two, two_point_o, again])
    assert str(first.term_years) == "2" and str(second.term_years) == "2.0"
    assert third.term_years is first.term_years
