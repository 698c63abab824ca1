"""Whatever an import accepts, a restart of either store loads back as the same records."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from graph.settings import Settings
from graph.snapshot import SnapshotSource
from graph.store import Store, make_store
from graph.store.embedded import EmbeddedStore
from schemas.dataset import Dataset
from tests.hostile.test_hostile_models import datasets
from tests.stores import neo4j_settings


def reopened(store: Store, settings: Settings) -> Store:
    """A second store over the same data, as a restarted server opens it."""
    if isinstance(store, EmbeddedStore):
        return EmbeddedStore.in_dir(settings.data_dir)
    return make_store(neo4j_settings())


def storable(data: dict[str, Any]) -> dict[str, Any]:
    """The generated dataset with every reference resolving inside it."""
    data["entities"].append({"id": "b", "name": "B"})
    commitment = data["commitments"][0]
    data["commitments"].append({**commitment, "id": "c-d", "overlaps": [], "round": None})
    return data


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.builds(storable, datasets()))
def test_an_accepted_import_loads_back_after_a_restart(
    any_store: Store, settings: Settings, data: dict[str, Any]
) -> None:
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError:
        return
    any_store.import_dataset(dataset, files=["generated.yaml"])
    fresh = SnapshotSource(reopened(any_store, settings))
    try:
        snapshot = fresh.current()
    finally:
        fresh.close()
    for entity in dataset.entities:
        assert snapshot.entities[entity.id] == entity
    for commitment in dataset.commitments:
        assert snapshot.commitments[commitment.id] == commitment
    for event in dataset.events:
        assert snapshot.events[event.id] == event
