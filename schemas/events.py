"""Events: dated market moves, reports and claims, each with who said it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from schemas.common import (
    DATE_EXAMPLE,
    SOURCE_EXAMPLE,
    FreeText,
    NonEmptyText,
    Slug,
    Source,
    StrictModel,
    Text,
)
from schemas.enums import EventKind
from schemas.numbers import SignedFigure


class FigureUnit(StrEnum):
    USD = "usd"
    PERCENT = "percent"
    GW = "gw"
    RATIO = "ratio"


class Figure(StrictModel):
    label: NonEmptyText = Field(examples=["one-day change"])
    value: SignedFigure = Field(
        description="May be negative (a change); above -1e15, below 1e15.", examples=[-17]
    )
    unit: FigureUnit
    as_written: Text | None = None


class Event(StrictModel):
    """Something that happened or was said on a date.

    `claimed_by` names who asserts it; `disputed_by` lists events whose better-sourced
    figures differ (the article's DRAM claim against the trading records).
    """

    id: Slug = Field(examples=["nvidia-falls-2025-01-27"])
    date: dt.date = Field(examples=[DATE_EXAMPLE])
    kind: EventKind
    title: NonEmptyText = Field(examples=["Nvidia falls 17% in a day"])
    claimed_by: NonEmptyText | None = None
    entities: list[Slug] = Field(default_factory=list)
    commitments: list[Slug] = Field(default_factory=list)
    figures: list[Figure] = Field(
        default_factory=list,
        examples=[[{"label": "one-day change", "value": -17, "unit": "percent"}]],
    )
    disputed_by: list[Slug] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1, examples=[[SOURCE_EXAMPLE]])
    notes: FreeText | None = None
