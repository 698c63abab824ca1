"""Entities: the companies, funds, governments, projects and commodities in the web."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from schemas.common import (
    SOURCE_EXAMPLE,
    FreeText,
    NonEmptyText,
    Slug,
    Source,
    StrictModel,
    Text,
)
from schemas.enums import EntityKind, FinancialMetric
from schemas.numbers import Usd

COUNTRY_PATTERN = r"^[A-Z]{2}$"
LEI_PATTERN = r"^[A-Z0-9]{18}[0-9]{2}$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
CIK_PATTERN = r"^[0-9]{1,10}$"
MIC_PATTERN = r"^[A-Z0-9]{4}$"
CountryCode = Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]


def _lei_check_digits(lei: str) -> str:
    # ISO 17442: the 20 characters, letters as 10..35, read as a number are 1 mod 97.
    if int("".join(str(int(ch, 36)) for ch in lei)) % 97 != 1:
        raise ValueError(f"{lei!r} fails the LEI check digits (ISO 17442): copy it from gleif.org")
    return lei


Lei = Annotated[str, StringConstraints(pattern=LEI_PATTERN), AfterValidator(_lei_check_digits)]


class Identifiers(StrictModel):
    """Codes other databases know the entity by; only values a source confirms."""

    wikidata: Annotated[str, StringConstraints(pattern=WIKIDATA_PATTERN)] | None = Field(
        default=None, description="Wikidata item, e.g. `Q21708200` (https://www.wikidata.org)."
    )
    lei: Lei | None = Field(default=None, description="Legal Entity Identifier (gleif.org).")
    cik: Annotated[str, StringConstraints(pattern=CIK_PATTERN)] | None = Field(
        default=None, description="SEC Central Index Key, digits as EDGAR shows them."
    )
    exchange: Annotated[str, StringConstraints(pattern=MIC_PATTERN)] | None = Field(
        default=None,
        description="Market Identifier Code (ISO 10383) of the listing `ticker` is on, e.g. XNAS.",
    )


class Financial(StrictModel):
    """One dated, sourced figure about an entity; the stress models read buffers from these."""

    metric: FinancialMetric
    usd: Usd = Field(examples=[245e9])
    as_of: dt.date = Field(
        description="The date the figure describes (period end or quote date).",
        examples=["2025-06-30"],
    )
    period: Text | None = Field(
        default=None, description="What the figure covers, e.g. `FY2025` or `annualised run-rate`."
    )
    source: Source = Field(
        description="The lead source: the filing or release where found.",
        examples=[SOURCE_EXAMPLE],
    )
    other_sources: list[Source] = Field(
        default_factory=list,
        description="Other pages with the same figure, after `source` (e.g. the copy read "
        "before the original was found).",
    )


class Entity(StrictModel):
    id: Slug = Field(examples=["microsoft"])
    name: NonEmptyText = Field(examples=["Microsoft"])
    kind: EntityKind = EntityKind.COMPANY
    sectors: list[Slug] = Field(default_factory=list)
    aliases: list[NonEmptyText] = Field(
        default_factory=list, description="Other names in any language, e.g. 英偉達 for Nvidia."
    )
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    ticker: Text | None = None
    identifiers: Identifiers | None = Field(default=None, examples=[{"wikidata": "Q2283"}])
    financials: list[Financial] = Field(
        default_factory=list,
        examples=[
            [
                {
                    "metric": "revenue",
                    "usd": 245e9,
                    "as_of": "2025-06-30",
                    "source": SOURCE_EXAMPLE,
                }
            ]
        ],
    )
    notes: FreeText | None = None

    def latest(self, metric: FinancialMetric, as_of: dt.date | None = None) -> Financial | None:
        """The most recent figure of `metric` dated on or before `as_of` (any date if None)."""
        found = [
            f for f in self.financials if f.metric is metric and (as_of is None or f.as_of <= as_of)
        ]
        return max(found, key=lambda f: f.as_of, default=None)
