"""Neo4j Browser, for real: headless Chromium opens the Browser that the Neo4j under test
serves, connects over Bolt, gets the project's style, $as_of and guide from the server's
post-connect command (no manual step), colours the entities by role and runs a saved query
from the guide's runnable blocks on the seed data, and draws it with amounts as captions.

The screenshot goes to artifacts/neo4j-browser.png; docs/neo4j-browser.png (the README's
picture) is written when it is missing or AIFG_UPDATE_SCREENSHOTS=1, since every layout
differs a little and the committed picture should change only when asked.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Page, expect

from graph.snapshot import Snapshot
from neo4j import Driver
from tests.pages.conftest import publish
from tests.pages.neo4j_browser.conftest import QUERIES, http_url, palette, run, saved_query
from tests.stores import NEO4J_URI

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

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


def guide_block(page: Page, slide: int, text: str) -> None:
    """Open slide `slide` of the guide in Browser's sidebar and click its runnable block
    holding `text` (Browser puts it in the editor)."""
    while not page.get_by_test_id(f"pagination-{slide}").is_visible():
        page.get_by_test_id("guideNextSlide").click()  # the pager shows a few pages at a time
    page.get_by_test_id(f"pagination-{slide}").click()
    page.locator("pre.runnable", has_text=text).first.click()
    expect(page.get_by_test_id("activeEditor")).to_contain_text(text[:30], timeout=WAIT_MS)


def test_browser_opens_the_guide_and_draws_nvidias_web_by_role_with_amounts(
    seeded: Snapshot, driver: Driver, page: Page, artifacts: Path
) -> None:
    query = saved_query("04-").read_text(encoding="utf-8")
    queries = sorted(QUERIES.glob("*.cypher"))
    colours = palette()
    page.goto(browser_url("RETURN 1"))
    connect_if_asked(page)
    # On connect: the guide opens in the sidebar, the stream holds no style dump.
    expect(page.get_by_role("heading", name="What the graph holds")).to_be_visible(timeout=WAIT_MS)
    commands = page.get_by_test_id("frameCommand")
    expect(commands.filter(has_text=":param as_of")).to_have_count(1, timeout=WAIT_MS)
    expect(commands.filter(has_text=":style")).to_have_count(0)
    assert page.locator("pre.runnable").count() >= 1

    # The guide's third slide colours the entities by role; its saved queries run as they are.
    guide_block(page, 3, "MATCH (e:Entity)")
    page.get_by_test_id("editor-Run").click()
    coloured = commands.filter(has_text="Colour the entities by role")
    expect(coloured).to_have_count(1, timeout=WAIT_MS)
    slide = 3 + 1 + queries.index(saved_query("04-"))
    guide_block(page, slide, "MATCH p = (:Entity {id: 'nvidia'})")

    # What Browser should draw: the query's entities and, as Browser's default "connect
    # result nodes" does, every relationship between them.
    rows = run(driver, query)
    nodes = {n.element_id: n for row in rows for n in (row["payer"], row["recipient"])}
    rels = run(
        driver,
        "MATCH (a)-[r]->(b) WHERE elementId(a) IN $ids AND elementId(b) IN $ids "
        "RETURN type(r) AS type, r.usd_label AS caption",
        ids=list(nodes),
    )
    labels = run(
        driver, "MATCH (n) WHERE elementId(n) IN $ids RETURN labels(n) AS labels", ids=list(nodes)
    )
    kind_colour = {k["label"]: k["color"] for k in colours["entity_kinds"].values()}
    role_colour = {g["label"]: g["color"] for g in colours["sector_groups"]}
    type_colour = {k["type"]: k["color"] for k in colours["commitment_kinds"].values()}
    expected_nodes = Counter(
        next((role_colour[x] for x in row["labels"] if x in role_colour), None)
        or next(kind_colour[x] for x in row["labels"] if x in kind_colour)
        for row in labels
    )
    expected_rels = Counter(type_colour[r["type"]] for r in rels)
    assert len(expected_nodes) >= 3, "the picture is (nearly) all one colour"

    page.get_by_test_id("editor-Run").click()
    page.wait_for_function(DRAWN, arg=[len(nodes), len(rels)])
    result = page.get_by_test_id("frame").filter(has=page.locator("svg g.node")).first
    page.wait_for_function(SETTLED, polling=500)
    # The picture beside the guide: the overview drawer folded, the whole web in the frame.
    result.get_by_title("Collapse the node properties display").click()
    result.get_by_label("zoom-to-fit").click()
    page.wait_for_function(SETTLED, polling=500)

    node_fills = page.eval_on_selector_all(
        "svg g.node circle.b-outline", "cs => cs.map((c) => c.getAttribute('fill'))"
    )
    rel_fills = page.eval_on_selector_all(
        "svg g.relationship path.b-outline", "ps => ps.map((p) => p.getAttribute('fill'))"
    )
    assert Counter(node_fills) == expected_nodes  # by role where it has one, else by kind
    assert Counter(rel_fills) == expected_rels  # colours by relationship type
    captions = page.eval_on_selector_all("svg g.node text", "ts => ts.map((t) => t.textContent)")
    assert "Nvidia" in {caption.strip() for caption in captions}  # caption {name}
    amounts = page.eval_on_selector_all(
        "svg g.relationship text", "ts => ts.map((t) => t.textContent.trim())"
    )
    # {usd_label}, not the type; Browser cuts one that is longer than its arrow ("up to …").
    # Whole captions first, then cut ones longest first: the labels a longer stem fits are
    # among those a shorter one fits, so "up to $1…" must not take the "up to $100B" that
    # only "up to $10…" can be (the prefixes nest, and longest first matches every one).
    expected = Counter(r["caption"] for r in rels)
    for text in sorted(amounts, key=lambda a: (a.endswith("…"), -len(a))):
        match = text if expected[text] > 0 else None
        if match is None and text.endswith("…"):
            stem = text.removesuffix("…").rstrip()
            cut = (label for label, n in expected.items() if n and label.startswith(stem))
            match = next(cut, None)
        assert match, f"caption {text!r} is none of the amounts left ({sorted(+expected)})"
        expected[match] -= 1
    assert sum(expected.values()) == 0
    assert sum(not a.endswith("…") for a in amounts) >= 0.8 * len(amounts)

    # Closer, for the picture: the amounts on the arrows legible around the middle.
    result.get_by_label("zoom-in").click()
    result.get_by_label("zoom-in").click()
    page.wait_for_function(SETTLED, polling=500)
    page.mouse.move(5, 890)  # no hover highlight in the picture
    path = artifacts / "neo4j-browser.png"
    page.screenshot(path=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000
    publish(path, "neo4j-browser.png")
