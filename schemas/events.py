"""Events: dated market moves, reports and claims, each with who said it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas.common import JsonDecimal, NonEmptyText, Slug, Source, StrictModel
from schemas.enums import EventKind


class FigureUnit(StrEnum):
    USD = "usd"
    PERCENT = "percent"
    GW = "gw"
    RATIO = "ratio"


class Figure(StrictModel):
    label: NonEmptyText
    value: JsonDecimal
    unit: FigureUnit
    as_written: str | None = None


class Event(StrictModel):
    """Something that happened or was said on a date.

    `claimed_by` names who asserts it; `disputed_by` lists events whose better-sourced
    figures differ (the article's DRAM claim against the trading records).
    """

    id: Slug
    date: dt.date
    kind: EventKind
    title: NonEmptyText
    claimed_by: NonEmptyText | None = None
    entities: list[Slug] = Field(default_factory=list)
    commitments: list[Slug] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    disputed_by: list[Slug] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    notes: str | None = None
