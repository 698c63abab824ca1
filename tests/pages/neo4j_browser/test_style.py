"""neo4j/style.grass and neo4j/browser.env are what neo4j/make_grass.py makes of the
explorer's palette, and they cover the labels and relationship types the store writes."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from types import ModuleType
from typing import Any

from graph.store.cypher import ENTITY_LABELS
from graph.store.graph_model import RELATIONSHIP_TYPES
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


def post_connect_style() -> dict[str, Any]:
    env = (ROOT / "neo4j" / "browser.env").read_text(encoding="utf-8")
    (command,) = re.findall(r"^NEO4J_browser_post__connect__cmd=(.*)$", env, re.MULTILINE)
    style, param = (part.strip() for part in command.split("; "))
    assert param.startswith("param as_of => date(")
    assert style.startswith("style {")
    loaded: dict[str, Any] = json.loads(style.removeprefix("style "))
    return loaded


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
