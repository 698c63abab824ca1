"""Smaller in-memory records: a snapshot's models rebuilt to hold about half the memory.

A snapshot keeps every record in memory for as long as it is current, so at a million
commitments the per-record overhead is most of the server's footprint. Pydantic gives
each model instance a dict of its own (a full hash table: 464 bytes for a commitment's 13
fields) and a set of the field names it was given (728 bytes from five names). The same
instance built with `object.__new__` and attribute assignment stores its values inline,
under keys shared by every instance of the class (PEP 412; schemas.common.StrictModel
registers those keys when the class is created), and equal field-name sets, dates and
amounts (a term of 5 years, written the same way) can be one object. On the benchmark's
100k generated commitments the Python objects of a loaded store went from 2.5 KB to 1.3 KB
per commitment (README, Benchmarks).

Nothing observable changes: the rebuilt model has the same class, values (the very
objects), fields set, equality and JSON; snapshots are immutable, frozen models
cannot be assigned to, and model_copy copies the fields set before changing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

R = TypeVar("R", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__


class _Compactor:
    """One pass over one batch of records, sharing what is equal across them."""

    def __init__(self) -> None:
        self.fields_sets: dict[frozenset[str], set[str]] = {}
        self.dates: dict[dt.date, dt.date] = {}
        # By their text, not their value: Decimal("2") == Decimal("2.0") but they print
        # differently, and a record must come back exactly as it was written.
        self.decimals: dict[str, Decimal] = {}

    def model(self, model: R) -> R:
        out = _new(type(model))
        for name, value in model.__dict__.items():
            _set(out, name, self.value(value))
        names = model.__pydantic_fields_set__
        _set(out, "__pydantic_fields_set__", self.fields_sets.setdefault(frozenset(names), names))
        _set(out, "__pydantic_extra__", model.__pydantic_extra__)
        _set(out, "__pydantic_private__", model.__pydantic_private__)
        return out

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind is dt.date:
            return self.dates.setdefault(value, value)
        if kind is Decimal:
            return self.decimals.setdefault(str(value), value)
        if kind is list and any(isinstance(item, BaseModel) for item in value):
            return [self.value(item) for item in value]
        if isinstance(value, BaseModel):
            return self.model(value)
        return value


def compact_records(records: Iterable[R]) -> Iterator[R]:
    """Each record rebuilt smaller (module docstring), as it comes, so the original can be
    freed right away; equal field-name sets, dates and amounts are shared across the batch."""
    compactor = _Compactor()
    for record in records:
        yield compactor.model(record)
