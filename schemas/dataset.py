"""The dataset file: what one YAML file (or a folder of them) holds."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from schemas.commitments import Commitment
from schemas.common import DATE_EXAMPLE, SOURCE_EXAMPLE, StrictModel
from schemas.entities import Entity
from schemas.events import Event

SCHEMA_VERSION: Literal[1] = 1
_COMMITMENT_EXAMPLE = {
    "id": "microsoft-openai-azure-2026",
    "from": "microsoft",
    "to": "openai",
    "kind": "cloud_contract",
    "announced": DATE_EXAMPLE,
    "status": [{"date": DATE_EXAMPLE, "status": "announced"}],
    "sources": [SOURCE_EXAMPLE],
}
_EVENT_EXAMPLE = {
    "id": "nvidia-falls-2025-01-27",
    "date": "2025-01-27",
    "kind": "market_move",
    "title": "Nvidia falls 17% in a day",
    "sources": [SOURCE_EXAMPLE],
}


class Dataset(StrictModel):
    """A dataset file. A file may hold only commitments that reference known entities."""

    version: Literal[1] = SCHEMA_VERSION
    entities: list[Entity] = Field(
        default_factory=list, examples=[[{"id": "microsoft", "name": "Microsoft"}]]
    )
    commitments: list[Commitment] = Field(default_factory=list, examples=[[_COMMITMENT_EXAMPLE]])
    events: list[Event] = Field(default_factory=list, examples=[[_EVENT_EXAMPLE]])


def dataset_json_schema() -> dict[str, Any]:
    """JSON Schema of the YAML dataset file, for editors (yaml-language-server)."""
    schema = Dataset.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "AI Financing Graph dataset"
    return schema
