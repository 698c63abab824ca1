"""The API's answers, each with `.to_pandas()`: subclasses of the API's own models
(schemas.results, schemas.stress, schemas.api), so they serialise to exactly the JSON the
API sends and pass `isinstance` checks against those models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, cast

from pydantic import BaseModel

from graph.formats import tables
from graph.formats.dataframe import to_dataframe
from schemas.api import CommitmentPage
from schemas.results import ConcentrationReport, CycleReport, ExposureReport, TimelineEntry
from schemas.stress import StressReport

if TYPE_CHECKING:
    import pandas


class _Answer(BaseModel):
    @classmethod
    def of(cls, answer: BaseModel) -> Self:
        """The same answer as this class (no copy of its parts, no re-validation)."""
        # model_construct returns cls; the pydantic plugin types it as the base class.
        return cast(Self, cls.model_construct(answer.model_fields_set, **dict(answer)))

    def table(self) -> tables.Table:
        raise NotImplementedError

    def to_pandas(self) -> pandas.DataFrame:
        """The answer's table (the columns of its CSV), unknown values as <NA>."""
        return to_dataframe(self.table())


class Commitments(CommitmentPage, _Answer):
    """One page of commitments (`total` says how many match in all)."""

    def table(self) -> tables.Table:
        return tables.commitments_table(self.items)


class Exposure(ExposureReport, _Answer):
    """`.to_pandas()`: one row per direct counterparty; look-through stays in the model."""

    def table(self) -> tables.Table:
        return tables.exposure_table(self)


class Cycles(CycleReport, _Answer):
    def table(self) -> tables.Table:
        return tables.cycles_table(self)


class Concentration(ConcentrationReport, _Answer):
    def table(self) -> tables.Table:
        return tables.concentration_table(self)


class Stress(StressReport, _Answer):
    """`.to_pandas()`: one row per entity hit, most distressed first."""

    def table(self) -> tables.Table:
        return tables.stress_table(self)


class Timeline(list[TimelineEntry]):
    """The API's list of timeline entries, oldest first."""

    def to_pandas(self) -> pandas.DataFrame:
        return to_dataframe(tables.timeline_table(self))
