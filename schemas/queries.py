"""The questions, typed: each one's parameters, defaults and bounds, written once.

The API reads a query from the query string (FastAPI takes a model there), the CLI from
its options; both hand the same model to the function in graph/queries that answers it,
so a default or a bound cannot differ between the two.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from schemas.bounds import MAX_CYCLE_LENGTH, MAX_DEPTH
from schemas.enums import CommitmentKind, Direction, EntityKind, Status, ValueBasis

MAX_LIMIT = 1000  # rows of one page or list
DEFAULT_LIMIT = 50
DEFAULT_ITEMS = 10  # commitments listed in one exposure row
MAX_ID = 200  # characters of an id or a search text in a query


def _iso_date_only(value: object) -> object:
    """Refuse what lax date parsing would take as a Unix timestamp (as_of=2026 is 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("expected an ISO 8601 date, YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_date_only)]
EntityRef = Annotated[str, Field(max_length=MAX_ID, description="Entity id, e.g. `openai`.")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"Rows to return, 1..{MAX_LIMIT}.")]
Offset = Annotated[int, Field(ge=0, description="Rows to skip (paging).")]
AS_OF_TODAY = "The date the answer is computed at (YYYY-MM-DD). Default: today."


def resolve_as_of(as_of: dt.date | None, today: dt.date) -> dt.date:
    """The date a question is asked at: the one given, else `today` (the caller's clock)."""
    return today if as_of is None else as_of


class Query(BaseModel):
    """Unknown parameters are errors, so a misspelt one (`as-of`) is not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityQuery(Query):
    q: str | None = Field(
        default=None, max_length=MAX_ID, description="Text in the id, name or an alias."
    )
    kind: EntityKind | None = None
    sector: str | None = Field(default=None, max_length=100)
    limit: Limit = DEFAULT_LIMIT
    offset: Offset = 0


class CommitmentQuery(Query):
    entity: EntityRef | None = Field(default=None, description="A party: payer or recipient.")
    counterparty: EntityRef | None = Field(default=None, description="The other party.")
    kind: CommitmentKind | None = None
    status: Status | None = Field(
        default=None, description="The status at `as_of` if given, else the latest."
    )
    binding: bool | None = None
    min_usd: float | None = Field(default=None, ge=0, description="Smallest total, USD.")
    as_of: Day | None = Field(
        default=None,
        description="Only commitments that count at this date (with `status`: had it then).",
    )
    limit: Limit = DEFAULT_LIMIT
    offset: Offset = 0


class ExposureQuery(Query):
    direction: Direction = Field(
        default=Direction.OUT,
        description="out: what the entity stands to lose; in: who stands to lose if it fails.",
    )
    as_of: Day | None = Field(default=None, description=AS_OF_TODAY)
    basis: ValueBasis = ValueBasis.POINT
    depth: int = Field(
        default=1, ge=1, le=MAX_DEPTH, description=f"Look-through depth, 1..{MAX_DEPTH}."
    )
    min_usd: float = Field(
        default=0.0, ge=0, description="Leave out look-through paths worth this or less, USD."
    )
    # A hub has thousands of counterparties: its answer is paged like every list, and
    # its totals and counts still cover them all.
    limit: Limit = Field(
        default=DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"Rows of each list (counterparties, look-through), largest first, "
        f"1..{MAX_LIMIT}; totals and counts cover them all.",
    )
    offset: Offset = Field(default=0, ge=0, description="Rows of each list to skip (paging).")
    # A hub's largest counterparty can hold thousands of commitments; /commitments with
    # entity and counterparty lists them all.
    items: int = Field(
        default=DEFAULT_ITEMS,
        ge=0,
        le=MAX_LIMIT,
        description=f"Commitments listed per counterparty, largest first, 0..{MAX_LIMIT}; "
        "each row's counts and year's worth cover them all.",
    )


class CycleQuery(Query):
    entity: EntityRef | None = Field(default=None, description="Only loops through it.")
    max_length: int = Field(
        default=6, ge=2, le=MAX_CYCLE_LENGTH, description=f"Hops, 2..{MAX_CYCLE_LENGTH}."
    )
    as_of: Day | None = Field(default=None, description=AS_OF_TODAY)
    basis: ValueBasis = ValueBasis.POINT
    limit: Limit = 100


class ConcentrationSort(StrEnum):
    MOST_DEPENDED_UPON = "at_stake"  # who would hurt most others by failing
    MOST_CONCENTRATED = "hhi"  # whose exposure sits with the fewest counterparties
    MOST_EXPOSED = "exposure"  # who stands to lose most in all


class ConcentrationQuery(Query):
    as_of: Day | None = Field(default=None, description=AS_OF_TODAY)
    basis: ValueBasis = ValueBasis.POINT
    sort: ConcentrationSort = Field(
        default=ConcentrationSort.MOST_DEPENDED_UPON,
        description="at_stake: most depended upon; hhi: most concentrated; exposure: most exposed.",
    )
    limit: Limit = DEFAULT_LIMIT


class TimelineQuery(Query):
    since: Day | None = Field(default=None, description="From this date, inclusive.")
    until: Day | None = Field(default=None, description="To this date, inclusive.")
    entity: EntityRef | None = Field(default=None, description="Only what involves it.")


class ExportFormat(StrEnum):
    JSON = "json"  # networkx node-link
    GRAPHML = "graphml"
    GEXF = "gexf"  # with time: each commitment's counting intervals, for Gephi's timeline
    CYPHER = "cypher"
    FTM = "ftm"  # FollowTheMoney entities, JSON lines
    DATAPACKAGE = "datapackage"  # Frictionless data package of CSVs, zipped


class ExportQuery(Query):
    format: ExportFormat = ExportFormat.JSON
    as_of: Day | None = Field(default=None, description=AS_OF_TODAY)
    live_only: bool = Field(default=False, description="Only commitments that count at as_of.")
