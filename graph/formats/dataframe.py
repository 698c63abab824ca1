"""A table as a pandas DataFrame, with nullable dtypes so that unknown stays <NA>.

pandas is an optional extra (`pip install 'ai-financing-graph[notebook]'`): it is
imported only when a frame is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.formats.tables import ColumnType, Table

if TYPE_CHECKING:
    import pandas

# Nullable dtypes: a missing amount is <NA>, not NaN mistaken for a number or 0.
DTYPES: dict[ColumnType, str] = {
    "string": "string",
    "number": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
    "date": "datetime64[s]",
}
MISSING_PANDAS = (
    "to_pandas() needs pandas: pip install 'ai-financing-graph[notebook]' (or pip install pandas)"
)


def to_dataframe(table: Table) -> pandas.DataFrame:
    try:
        import pandas
    except ImportError as error:
        raise ImportError(MISSING_PANDAS) from error
    frame = pandas.DataFrame.from_records(table.rows, columns=table.names)
    return frame.astype({c.name: DTYPES[c.type] for c in table.columns})
