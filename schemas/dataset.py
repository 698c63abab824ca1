"""The dataset file: what one YAML file (or a folder of them) holds."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from schemas.commitments import Commitment
from schemas.common import StrictModel
from schemas.entities import Entity
from schemas.events import Event

SCHEMA_VERSION: Literal[1] = 1


class Dataset(StrictModel):
    """A dataset file. A file may hold only commitments that reference known entities."""

    version: Literal[1] = SCHEMA_VERSION
    entities: list[Entity] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


def dataset_json_schema() -> dict[str, Any]:
    """JSON Schema of the YAML dataset file, for editors (yaml-language-server)."""
    schema = Dataset.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "AI Financing Graph dataset"
    return schema
