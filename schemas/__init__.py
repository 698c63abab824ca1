"""Pydantic v2 models: the vocabulary every layer shares. Imports nothing of ours."""

from schemas.commitments import Commitment, StatusChange
from schemas.common import Source
from schemas.dataset import Dataset, dataset_json_schema
from schemas.entities import Entity, Financial
from schemas.enums import (
    AmountBasis,
    CommitmentKind,
    Direction,
    EntityKind,
    EventKind,
    FinancialMetric,
    SourceKind,
    Status,
    ValueBasis,
)
from schemas.events import Event, Figure
from schemas.money import Amount

__all__ = [
    "Amount",
    "AmountBasis",
    "Commitment",
    "CommitmentKind",
    "Dataset",
    "Direction",
    "Entity",
    "EntityKind",
    "Event",
    "EventKind",
    "Figure",
    "Financial",
    "FinancialMetric",
    "Source",
    "SourceKind",
    "Status",
    "StatusChange",
    "ValueBasis",
    "dataset_json_schema",
]
