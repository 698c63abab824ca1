"""What the commands share: opening the store, and printing an answer as the API's JSON."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import TypeAdapter

from graph.imports import open_source
from graph.settings import Settings
from graph.snapshot import SnapshotSource


@contextmanager
def opened(settings: Settings, *, seed: bool = True) -> Iterator[SnapshotSource]:
    """The configured store (seeded on first use unless `seed` is off), closed after."""
    source = open_source(settings, seed=seed)
    try:
        yield source
    finally:
        source.close()


def json_text(value: Any, as_type: Any = None) -> str:
    """`value` serialised as the API serialises its response model (aliases, JSON mode)."""
    adapter: TypeAdapter[Any] = TypeAdapter(as_type if as_type is not None else type(value))
    return adapter.dump_json(value, by_alias=True, indent=2).decode() + "\n"


def print_json(value: Any, as_type: Any = None) -> None:
    sys.stdout.write(json_text(value, as_type))
