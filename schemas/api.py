"""Shapes of API responses that are not domain records."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.problems import Problem


class Health(BaseModel):
    status: str
    store: str
    data_version: str = Field(description="Changes with every import that changed the data.")
    entities: int
    commitments: int
    events: int


class EntityPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Entity]


class CommitmentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Commitment]


class EntityDetail(BaseModel):
    entity: Entity
    commitments_out: list[Commitment] = Field(description="Where the entity pays or invests.")
    commitments_in: list[Commitment] = Field(description="Where the entity receives.")


class ProblemDetail(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[Problem] | None = Field(
        default=None, description="The problems found, the first 100 at most."
    )
    total_errors: int | None = Field(
        default=None, description="How many problems were found in all, listed or not."
    )
    suggestions: list[str] | None = None
    withdrawn_on: dt.date | None = Field(
        default=None, description="For a withdrawn record (410): the date it was withdrawn."
    )
    reason: str | None = Field(default=None, description="For a withdrawn record: why.")
