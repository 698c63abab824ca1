"""The exports other tools read, from a real server, checked by those tools' own
libraries: GEXF with time (networkx.read_gexf), FollowTheMoney lines (followthemoney),
the data package (frictionless, pandas), node-link JSON as the README loads it.

The data: tests/data/toy.yaml and tests/data/spreadsheet-hostile.yaml (an undisclosed
amount). The counting intervals by hand, from the status histories: chipco-labco-loi
announced 2025-09-22, paused 2026-01-30 (counts in between); chipco-neoco-stake announced
2024-01-01, completed 2024-06-01 (a completed stake stays at risk: counts from 2024-01-01
on); labco-neoco-compute signed 2025-03-10 (counts on).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import frictionless
import networkx as nx
import pandas as pd
import pytest
import yaml
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from tests.api.support import TOY_YAML, LiveServer, run_server
from tests.helpers import DATA, ROOT, run_cli

LATER = "2026-06-01"
BEFORE_PAUSE = "2025-12-01"
HOSTILE = (DATA / "spreadsheet-hostile.yaml").read_bytes()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    seeds = {"toy.yaml": TOY_YAML, "spreadsheet-hostile.yaml": HOSTILE}
    with run_server(tmp_path_factory.mktemp("formats"), seed_files=seeds) as s:
        yield s


def export(server: LiveServer, fmt: str, as_of: str = LATER) -> bytes:
    with server.client() as http:
        response = http.get("/graph", params={"format": fmt, "as_of": as_of})
    assert response.status_code == 200, response.text
    return response.content


def gexf_edges(content: bytes) -> tuple[nx.Graph[Any], dict[str, dict[str, Any]]]:
    graph = nx.read_gexf(io.BytesIO(content))
    return graph, {attrs["id"]: attrs for _, _, attrs in graph.edges(data=True)}


def test_gexf_has_each_commitments_counting_intervals(server: LiveServer) -> None:
    graph, edges = gexf_edges(export(server, "gexf"))
    assert graph.graph["mode"] == "dynamic"
    loi = edges["chipco-labco-loi"]
    assert (loi["start"], loi["end"]) == ("2025-09-22", "2026-01-30")
    assert loi["spells"] == [("2025-09-22", "2026-01-30")]
    stake = edges["chipco-neoco-stake"]
    assert stake["start"] == "2024-01-01" and "end" not in stake  # still counting
    # networkx reads an open spell's missing end as the text "None" (its reader's quirk).
    assert stake["spells"] == [("2024-01-01", "None")]
    assert edges["labco-neoco-compute"]["start"] == "2025-03-10"
    assert edges["labco-cloudco-cloud"]["usd"] == 250e9
    assert "usd" not in edges["evilco-labco-secret"]  # undisclosed: absent, never 0


def test_gexf_knows_only_what_was_known_at_the_date(server: LiveServer) -> None:
    _, edges = gexf_edges(export(server, "gexf", BEFORE_PAUSE))
    loi = edges["chipco-labco-loi"]
    assert loi["start"] == "2025-09-22" and "end" not in loi  # the pause was still to come


def ftm_lines(server: LiveServer) -> list[dict[str, Any]]:
    text = export(server, "ftm").decode("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def ftm_entity(line: dict[str, Any]) -> EntityProxy:
    """The line as followthemoney reads it, strictly: an unknown schema or property, or a
    value of the wrong type for its property, raises InvalidData."""
    proxy = model.make_entity(line["schema"])
    proxy.id = line["id"]
    for prop, values in line["properties"].items():
        proxy.add(prop, values, quiet=False)
    return proxy


def test_ftm_lines_validate_with_followthemoney(server: LiveServer) -> None:
    lines = ftm_lines(server)
    assert len(lines) == 6 + 7  # entities and commitments; no events in these files
    for line in lines:
        # FtM's cleaning of each value (dates, countries, numbers, URLs) changes nothing.
        assert ftm_entity(line).to_dict()["properties"] == line["properties"], line["id"]
    with pytest.raises(InvalidData):  # the check can fail: a property Ownership has not
        ftm_entity({"id": "x", "schema": "Ownership", "properties": {"usd": ["1"]}})


def test_ftm_links_by_hand(server: LiveServer) -> None:
    lines = {line["id"]: line for line in ftm_lines(server)}
    assert lines["aifg-chipco"]["schema"] == "Company"
    assert lines["aifg-chipco"]["properties"]["alias"] == ["芯片公司"]
    loi = lines["aifg-chipco-labco-loi"]
    assert loi["schema"] == "Ownership"
    props = loi["properties"]
    assert (props["owner"], props["asset"]) == (["aifg-chipco"], ["aifg-labco"])
    assert (props["sharesValue"], props["sharesCurrency"]) == (["100000000000"], ["USD"])
    assert (props["startDate"], props["endDate"]) == (["2025-09-22"], ["2026-01-30"])
    compute = lines["aifg-labco-neoco-compute"]["properties"]
    assert lines["aifg-labco-neoco-compute"]["schema"] == "Payment"
    assert (compute["payer"], compute["beneficiary"]) == (["aifg-labco"], ["aifg-neoco"])
    assert compute["amountUsd"] == ["20000000000"]  # $10B a year for two years
    secret = lines["aifg-evilco-labco-secret"]["properties"]
    assert "sharesValue" not in secret and "amount not disclosed" in secret["summary"][0]


@pytest.fixture(scope="module")
def package(server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with server.client() as http:
        response = http.get("/graph", params={"format": "datapackage", "as_of": LATER})
    assert response.headers["content-type"] == "application/zip"
    assert "ai-financing-graph-datapackage.zip" in response.headers["content-disposition"]
    folder = tmp_path_factory.mktemp("package")
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(folder)
    return folder


def test_data_package_validates_with_frictionless(package: Path) -> None:
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    meta = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in meta["resources"]] == [
        "entities", "commitments", "status", "financials", "events",
    ]  # fmt: skip
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert "CC BY 4.0" in (package / "LICENSE.md").read_text(encoding="utf-8")
    for resource in meta["resources"]:
        assert all(field["description"] for field in resource["schema"]["fields"])


def test_frictionless_catches_a_broken_reference(package: Path, tmp_path: Path) -> None:
    """The check can fail: a commitment to an entity not in the package is an error."""
    for name in os.listdir(package):
        (tmp_path / name).write_bytes((package / name).read_bytes())
    commitments = tmp_path / "commitments.csv"
    text = commitments.read_text(encoding="utf-8")
    assert ",labco,cloudco,cloud_contract," in text
    commitments.write_text(
        text.replace(",labco,cloudco,cloud_contract,", ",labco,nobody,cloud_contract,")
    )
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_data_package_csvs_read_in_pandas(package: Path) -> None:
    commitments = pd.read_csv(package / "commitments.csv").set_index("id")
    assert len(commitments) == 7
    assert pd.isna(commitments.loc["evilco-labco-secret", "usd"])
    assert commitments.loc["labco-cloudco-cloud", "usd_low"] == 200e9
    status = pd.read_csv(package / "status.csv")
    loi = status[status["commitment"] == "chipco-labco-loi"]
    assert loi["status"].tolist() == ["announced", "paused"]
    entities = pd.read_csv(package / "entities.csv", keep_default_na=False).set_index("id")
    assert entities.loc["evilco", "name"].startswith("'=")  # formula-safe, as the CSV answers


def test_node_link_json_loads_as_the_readme_shows(server: LiveServer, tmp_path: Path) -> None:
    (tmp_path / "graph.json").write_bytes(export(server, "json", BEFORE_PAUSE))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Open formats and bulk download", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    # Six entities; the seven commitments all announced by 2025-12-01.
    assert printed.getvalue().strip() == "MultiDiGraph with 6 nodes and 7 edges"


@pytest.mark.parametrize("fmt", ["gexf", "ftm", "datapackage"])
def test_the_cli_writes_the_apis_export(server: LiveServer, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"export.{fmt}"
    done = run_cli(
        "export", "--format", fmt, "--as-of", LATER, "-o", str(out), data_dir=server.data_dir
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == export(server, fmt)


def test_citation_file_names_the_project_and_the_data_licence() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(citation)
    assert citation["references"][0]["license"] == "CC-BY-4.0"
