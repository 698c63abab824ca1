"""Shared fixtures: a real SQLite store in a temporary directory, settings without globals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an unseeded store in a fresh directory (env vars do not leak in)."""
    return Settings(data_dir=tmp_path / "data", seed_on_start=False, _env_file=None)


@pytest.fixture
def store(settings: Settings) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore.in_dir(settings.data_dir)
    yield opened
    opened.close()
