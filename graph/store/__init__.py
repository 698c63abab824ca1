"""Stores: one protocol (base.py), one module per backend, and the factory below."""

from __future__ import annotations

from graph.errors import StoreUnavailableError
from graph.settings import Settings
from graph.store.base import ImportResult, Store, StoredData
from graph.store.embedded import EmbeddedStore

__all__ = ["ImportResult", "Store", "StoredData", "make_store"]


def make_store(settings: Settings) -> Store:
    """The store the settings name: the embedded one, or Neo4j at NEO4J_URI."""
    if settings.store == "embedded":
        return EmbeddedStore.in_dir(settings.data_dir)
    if not settings.neo4j_uri:
        raise StoreUnavailableError("AIFG_STORE=neo4j needs NEO4J_URI")
    from graph.store.neo4j import Neo4jStore  # the driver loads only when it is used

    password = settings.neo4j_password
    return Neo4jStore(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, password.get_secret_value()) if password else None,
        database=settings.neo4j_database,
        batch_size=settings.neo4j_batch_size,
        retry_seconds=settings.neo4j_retry_seconds,
        lease_seconds=settings.neo4j_lease_seconds,
    )
