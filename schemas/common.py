"""Building blocks shared by the dataset models: ids, sources, the strict base model."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from schemas.enums import SourceKind

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=120),
    Field(description="Lower-case slug: letters a-z, digits and single hyphens, e.g. `openai`."),
]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _decimal_to_json(value: Decimal) -> int | float:
    """Whole numbers stay exact as JSON integers; others become JSON numbers."""
    return int(value) if value == value.to_integral_value() else float(value)


JsonDecimal = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    PlainSerializer(_decimal_to_json, return_type=int | float, when_used="json"),
]
"""A Decimal in the model, a JSON number on the wire (never a string)."""


class StrictModel(BaseModel):
    """Input models forbid unknown fields, so a typo in a YAML key fails loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # Register the field names in the class's shared instance keys (PEP 412) while no
        # instance exists yet: CPython stops adding to them once a few dozen instances
        # were made, and graph.compact relies on them to store a snapshot's models small.
        probe = object.__new__(cls)
        for name in cls.model_fields:
            object.__setattr__(probe, name, None)


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) < 12 or " " in value:
        raise ValueError("must be an http(s) URL, e.g. https://www.reuters.com/...")
    return value


HttpUrlText = Annotated[str, AfterValidator(_http_url)]


class OriginalPage(StrictModel):
    """The page a copy reproduces: what a journalist would cite, as far as it is known."""

    publisher: NonEmptyText = Field(description="Who published the original, e.g. `Reuters`.")
    title: str | None = None
    date: dt.date | None = None
    url: HttpUrlText | None = Field(default=None, description="Where the original is, if known.")


class Source(StrictModel):
    """Where a figure was read: the page, who published it, when, and in which words.

    `publisher` is who published the page at `url`. A re-post of someone else's story
    (a syndication site, an aggregator) is `kind: copy` and names the story it copies in
    `original`, so a reader can cite that instead.
    """

    url: HttpUrlText
    publisher: NonEmptyText
    date: dt.date | None = Field(default=None, description="Publication date of the page.")
    kind: SourceKind = SourceKind.REPORTING
    title: str | None = None
    quote: str | None = Field(default=None, description="The sentence the figure was read from.")
    original: OriginalPage | None = Field(
        default=None, description="For `kind: copy`: the page this one reproduces."
    )

    @model_validator(mode="after")
    def _copy_names_its_original(self) -> Self:
        if self.kind is SourceKind.COPY and self.original is None:
            raise ValueError(
                "a source of kind `copy` needs `original` (at least its `publisher`, e.g. "
                "original: {publisher: Reuters, title: ..., date: 2026-03-31})"
            )
        if self.original is not None and self.kind is not SourceKind.COPY:
            raise ValueError(
                "`original` is for a source of kind `copy` (a re-post): set kind: copy"
            )
        return self
