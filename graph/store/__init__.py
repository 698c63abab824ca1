"""Stores: one protocol, one module per backend, a factory that picks one from settings."""

from graph.store.base import Store
from graph.store.embedded import EmbeddedStore

__all__ = ["EmbeddedStore", "Store"]
