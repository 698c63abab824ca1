"""Every record for bulk download: a Frictionless tabular data package, zipped.

The zip holds one CSV per table (graph/formats/tables.py: entities, commitments, their
status history, financials, events; written by graph/formats/csv.py, so a spreadsheet
opens them safely), `datapackage.json` describing every column with its type, keys
between the tables and the licence, and LICENSE.md. Commitments are those known at
`as_of`, each with its status history up to then, as in the other exports.

The seed data is licensed CC BY 4.0 (README, "Licences"): cite "AI Financing Graph" and
the sources of each figure (`source_url`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from graph.formats import tables
from graph.formats.csv import to_csv
from graph.formats.network import known_at
from graph.snapshot import Snapshot

MEDIA_TYPE = "application/zip"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LICENSE_TEXT = """# Licence

The data in this package, AI Financing Graph's curated records of AI financing
commitments, is licensed under the Creative Commons Attribution 4.0 International
licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/

You may share and adapt it for any purpose, provided you give appropriate credit
("AI Financing Graph", with the data's version and date), link to the licence and say
if you changed it. Each figure keeps its own source (`source_url`): cite those too.
The software that made it is licensed separately (Apache-2.0).
"""
# Keys between the tables, for Frictionless to check and for a reader to join on.
PRIMARY_KEYS = {"entities": ["id"], "commitments": ["id"], "events": ["id"]}
FOREIGN_KEYS: dict[str, list[tuple[str, str]]] = {
    "commitments": [("from", "entities"), ("to", "entities")],
    "status": [("commitment", "commitments")],
    "financials": [("entity", "entities")],
}


def package_tables(snapshot: Snapshot, *, as_of: dt.date, live_only: bool) -> list[tables.Table]:
    commitments = list(known_at(snapshot, as_of, live_only))
    events = [e for e in snapshot.events.values() if e.date <= as_of]
    return [
        tables.entities_table(snapshot.entities.values()),
        tables.commitments_table(commitments, as_of=as_of),
        tables.status_table(commitments),
        tables.financials_table(snapshot.entities.values()),
        tables.events_table(events),
    ]


def _resource(table: tables.Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [
            {"name": c.name, "type": c.type, "description": c.description} for c in table.columns
        ],
        "missingValues": [""],
    }
    if table.name in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[table.name]
    keys = FOREIGN_KEYS.get(table.name, [])
    if keys:
        schema["foreignKeys"] = [
            {"fields": field, "reference": {"resource": target, "fields": "id"}}
            for field, target in keys
        ]
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table.description,
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": schema,
    }


def descriptor(package: list[tables.Table], *, as_of: dt.date, version: str) -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "ai-financing-graph",
        "title": "AI Financing Graph",
        "description": (
            "Curated AI financing commitments (investments, compute and cloud contracts, "
            f"chip supply, loans) between entities, as known on {as_of.isoformat()}; "
            "every figure sourced. An empty cell is an unknown (an undisclosed amount is "
            "empty, never 0); a text cell starting with an apostrophe was one a "
            "spreadsheet would have run as a formula."
        ),
        "version": version or "unversioned",
        "as_of": as_of.isoformat(),  # our key: the date the commitments are known at
        "licenses": [LICENSE],
        "resources": [_resource(t) for t in package],
    }


def to_datapackage(snapshot: Snapshot, *, as_of: dt.date, live_only: bool = False) -> bytes:
    package = package_tables(snapshot, as_of=as_of, live_only=live_only)
    meta = descriptor(package, as_of=as_of, version=snapshot.version)
    files = {
        "datapackage.json": json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
        "LICENSE.md": LICENSE_TEXT,
        **{f"{table.name}.csv": to_csv(table) for table in package},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            # A fixed timestamp: the same data gives the same bytes (the API and the CLI
            # agree, and a download can be compared with an earlier one).
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()
