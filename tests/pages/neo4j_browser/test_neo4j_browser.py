"""Neo4j Browser, for real: headless Chromium opens the Browser that the Neo4j under test
serves, connects over Bolt, gets the project's style and $as_of from the server's
post-connect command (no manual step), runs a saved query on the seed data and draws it.

The screenshot goes to artifacts/neo4j-browser.png; docs/neo4j-browser.png (the README's
picture) is written when it is missing or AIFG_UPDATE_SCREENSHOTS=1, since every layout
differs a little and the committed picture should change only when asked.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Page, expect

from graph.snapshot import Snapshot
from neo4j import Driver
from tests.helpers import ROOT
from tests.pages.neo4j_browser.conftest import http_url, palette, run, saved_query
from tests.stores import NEO4J_URI

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

DOCS_PICTURE = ROOT / "docs" / "neo4j-browser.png"
WAIT_MS = 60_000  # an upper bound for slow machines, not a speed requirement

# Until two polls half a second apart see every node where it was: the layout has settled.
SETTLED = """() => {
  const now = [...document.querySelectorAll('svg g.node')]
    .map((n) => n.getAttribute('transform')).join('|');
  const same = now !== '' && now === window.__aifgLayout;
  window.__aifgLayout = now;
  return same;
}"""
DRAWN = """([nodes, rels]) =>
  document.querySelectorAll('svg g.node').length === nodes &&
  document.querySelectorAll('svg g.relationship').length === rels"""


def browser_url(query: str) -> str:
    """Browser on the server under test, told which Bolt server to use and the query to edit."""
    assert NEO4J_URI
    auth = "NATIVE" if os.environ.get("NEO4J_PASSWORD") else "NO_AUTH"
    params = {"dbms": NEO4J_URI, "preselectAuthMethod": auth, "cmd": "edit", "arg": query}
    return f"{http_url()}/browser/?{urlencode(params, quote_via=quote)}"


def connect_if_asked(page: Page) -> None:
    """With auth enabled Browser shows its connect form; fill it from NEO4J_USER/PASSWORD."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password:
        page.get_by_test_id("username").fill(os.environ.get("NEO4J_USER", "neo4j"))
        page.get_by_test_id("password").fill(password)
        page.get_by_test_id("connect").click()


def test_browser_draws_nvidias_web_in_the_project_style(
    seeded: Snapshot, driver: Driver, page: Page, artifacts: Path
) -> None:
    query = saved_query("04-").read_text(encoding="utf-8")
    # What Browser should draw: the query's entities and, as Browser's default "connect
    # result nodes" does, every relationship between them.
    rows = run(driver, query)
    nodes = {n.element_id: n for row in rows for n in (row["payer"], row["recipient"])}
    rels = run(
        driver,
        "MATCH (a)-[r]->(b) WHERE elementId(a) IN $ids AND elementId(b) IN $ids "
        "RETURN type(r) AS type",
        ids=list(nodes),
    )
    colours = palette()
    kind_colour = {k["label"]: k["color"] for k in colours["entity_kinds"].values()}
    type_colour = {k["type"]: k["color"] for k in colours["commitment_kinds"].values()}
    expected_nodes = Counter(
        next(kind_colour[label] for label in n.labels if label in kind_colour)
        for n in nodes.values()
    )
    expected_rels = Counter(type_colour[r["type"]] for r in rels)

    page.goto(browser_url(query))
    connect_if_asked(page)
    # The server's post-connect commands ran: the style and the date the queries read.
    commands = page.get_by_test_id("frameCommand")
    expect(commands.filter(has_text=":style {")).to_have_count(1, timeout=WAIT_MS)
    expect(commands.filter(has_text=":param as_of")).to_have_count(1, timeout=WAIT_MS)
    expect(page.get_by_test_id("activeEditor")).to_contain_text("Nvidia's web", timeout=WAIT_MS)

    page.get_by_test_id("editor-Run").click()
    page.wait_for_function(DRAWN, arg=[len(nodes), len(rels)])
    result = page.get_by_test_id("frame").filter(has=page.locator("svg g.node")).first
    result.get_by_title("Fullscreen").click()
    page.wait_for_function(SETTLED, polling=500)
    result.get_by_label("zoom-to-fit").click()
    page.wait_for_function(SETTLED, polling=500)

    node_fills = page.eval_on_selector_all(
        "svg g.node circle.b-outline", "cs => cs.map((c) => c.getAttribute('fill'))"
    )
    rel_fills = page.eval_on_selector_all(
        "svg g.relationship path.b-outline", "ps => ps.map((p) => p.getAttribute('fill'))"
    )
    assert Counter(node_fills) == expected_nodes  # colours by entity kind, from palette.json
    assert Counter(rel_fills) == expected_rels  # colours by relationship type
    captions = page.eval_on_selector_all("svg g.node text", "ts => ts.map((t) => t.textContent)")
    assert "Nvidia" in {caption.strip() for caption in captions}  # caption {name}

    page.mouse.move(5, 890)  # no hover highlight in the picture
    path = artifacts / "neo4j-browser.png"
    page.screenshot(path=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000
    if not DOCS_PICTURE.exists() or os.environ.get("AIFG_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(path, DOCS_PICTURE)
