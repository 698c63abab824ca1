"""neo4j/style.grass, neo4j/browser.env and neo4j/guide.html are what neo4j/make_grass.py
makes of the explorer's palette and the saved queries, and they cover the labels and
relationship types the store writes; relationship captions print the amount."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from types import ModuleType
from typing import Any

import pytest

from graph.store.cypher import ENTITY_LABELS
from graph.store.graph_model import RELATIONSHIP_TYPES, commitment_props
from schemas.commitments import Commitment
from schemas.enums import CommitmentKind, EntityKind
from tests.helpers import ROOT
from tests.pages.neo4j_browser.conftest import palette

SCRIPT = ROOT / "neo4j" / "make_grass.py"


def make_grass() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_grass", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """GraSS as Neo4j Browser reads it: `selector { key: value; ... }`; inside quotes
    braces are text, and the quotes themselves are dropped."""
    rules: dict[str, dict[str, str]] = {}
    selector, body, quoted, inside = "", "", False, False
    for char in text:
        if char in "'\"":
            quoted = not quoted
        elif char == "{" and not quoted:
            inside = True
        elif char == "}" and not quoted:
            props = (part.split(":", 1) for part in body.split(";") if part.strip())
            rules[selector] = {key.strip(): value.strip() for key, value in props}
            selector, body, inside = "", "", False
        elif inside:
            body += char
        elif not char.isspace():
            selector += char
    assert not quoted and not inside, "unbalanced quotes or braces"
    return rules


def post_connect_commands(env_file: str = "browser.env") -> list[str]:
    env = (ROOT / "neo4j" / env_file).read_text(encoding="utf-8")
    (command,) = re.findall(r"^NEO4J_browser_post__connect__cmd=(.*)$", env, re.MULTILINE)
    return [part.strip() for part in command.split("; ")]


def post_connect_style() -> dict[str, Any]:
    style = post_connect_commands()[0]
    assert style.startswith("style {")
    loaded: dict[str, Any] = json.loads(style.removeprefix("style "))
    return loaded


def test_post_connect_applies_the_style_sets_the_date_and_opens_the_guide() -> None:
    style, param, clear, guide = post_connect_commands()
    assert style.startswith("style {")
    assert param.startswith("param as_of => date(")
    assert clear == "clear"  # the stream does not open on the style's text
    assert guide == "guide http://127.0.0.1:7474/aifg/guide.html"  # run sets its own port
    # docker-compose.yml's neo4j has no launcher to serve the guide: the rest, no guide.
    assert post_connect_commands("browser-docker.env") == [style, param, clear]


def test_committed_files_are_what_the_script_makes() -> None:
    check = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stderr
    for path, text in make_grass().outputs().items():
        assert path.read_text(encoding="utf-8") == text, path


def test_grass_and_post_connect_command_hold_the_same_style() -> None:
    grass = parse_grass((ROOT / "neo4j" / "style.grass").read_text(encoding="utf-8"))
    assert grass == post_connect_style()
    assert list(grass) == list(post_connect_style())  # order matters: later rules win


def test_every_label_and_relationship_type_has_the_explorer_colour() -> None:
    colours = palette()
    grass = parse_grass((ROOT / "neo4j" / "style.grass").read_text(encoding="utf-8"))
    for kind in EntityKind:
        entry = colours["entity_kinds"][kind.value]
        assert entry["label"] == ENTITY_LABELS[kind]  # the label the Neo4j store writes
        rule = grass[f"node.{ENTITY_LABELS[kind]}"]
        assert (rule["color"], rule["border-color"]) == (entry["color"], entry["border"])
    for commitment_kind in CommitmentKind:
        entry = colours["commitment_kinds"][commitment_kind.value]
        assert entry["type"] == RELATIONSHIP_TYPES[commitment_kind]
        rule = grass[f"relationship.{entry['type']}"]
        assert rule["color"] == entry["color"]
        assert int(rule["shaft-width"].removesuffix("px")) >= 1
    assert grass["node.Entity"]["caption"] == "{name}"
    assert grass["node.Event"]["caption"] == "{title}"
    assert grass["relationship"]["caption"] == "{usd_label}"  # the amount, not the type
    # Roles (the page's sector groups) after the kinds, so a role's colour wins.
    order = list(grass)
    last_kind = max(order.index(f"node.{ENTITY_LABELS[kind]}") for kind in EntityKind)
    for group in colours["sector_groups"]:
        rule = grass[f"node.{group['label']}"]
        assert rule["color"] == group["color"]
        assert order.index(f"node.{group['label']}") > last_kind
    assert len({g["label"] for g in colours["sector_groups"]}) == len(colours["sector_groups"])
    assert not {g["label"] for g in colours["sector_groups"]} & set(ENTITY_LABELS.values())


class _Guide(HTMLParser):
    """The slides of a guide and the text of its runnable blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.slides = 0
        self.runnable: list[str] = []
        self.titles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "slide":
            self.slides += 1
        elif tag == "pre" and "runnable" in classes:
            self._in = "pre"
            self.runnable.append("")
        elif tag == "h3":
            self._in = "h3"
            self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("pre", "h3"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "pre":
            self.runnable[-1] += data
        elif self._in == "h3":
            self.titles[-1] += data


def test_the_guide_holds_every_saved_query_as_a_runnable_block() -> None:
    guide = _Guide()
    guide.feed((ROOT / "neo4j" / "guide.html").read_text(encoding="utf-8"))
    queries = sorted((ROOT / "neo4j" / "queries").glob("*.cypher"))
    assert guide.titles[:3] == [
        "What the graph holds",
        "How to read it",
        "Colour the entities by role",
    ]
    assert guide.slides == 3 + len(queries)
    for path in queries:
        assert path.read_text(encoding="utf-8").strip() in guide.runnable, path.name
    role = next(block for block in guide.runnable if "SET e:Lab" in block)
    for group in palette()["sector_groups"]:
        assert f"SET e:{group['label']})" in role


def _commitment(**amount: Any) -> Commitment:
    return Commitment.model_validate(
        {
            "id": "a-b",
            "from": "a",
            "to": "b",
            "kind": "cloud_contract",
            "amount": amount or None,
            "announced": "2025-01-01",
            "status": [{"date": "2025-01-01", "status": "signed"}],
            "sources": [
                {
                    "url": "https://example.com/a-b",
                    "publisher": "Example",
                    "kind": "analyst" if amount.get("estimate") else "reporting",
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("amount", "label"),
    [
        ({"usd": 300e9}, "$300B"),
        ({"usd": 100e9, "up_to": True}, "up to $100B"),
        ({"usd": 22.4e9}, "$22.4B"),
        ({"usd": 1.25e9}, "$1.25B"),
        ({"usd": 950e6}, "$950M"),
        ({"usd": 1.4e12}, "$1.4T"),
        ({"usd": 20e9, "estimate": True, "as_written": "$20B (analyst)"}, "~$20B"),
        ({}, "n/d"),
    ],
)
def test_relationship_captions_print_the_amount(amount: dict[str, Any], label: str) -> None:
    """usd_label, the caption: as the explorer prints a figure (js/format.js `figure`)."""
    props = commitment_props(_commitment(**amount))
    assert props["usd_label"] == label
