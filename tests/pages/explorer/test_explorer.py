"""The explorer page at `/` in a real headless Chromium against a real `aifg serve`.

Every expectation is read from the same server's API (/graph, exposure, cycles, stress),
so the tests hold on the test web and on the seed data alike.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Page, Route, expect

from tests.pages.conftest import publish
from tests.pages.explorer.conftest import Server

pytestmark = pytest.mark.browser

BEFORE, AFTER = "2026-01-29", "2026-01-31"  # Nvidia's OpenAI plan was paused on 2026-01-30
DESKTOP = {"width": 1400, "height": 900}

# Every label cytoscape draws, with its box on screen: [id, text, x1, y1, x2, y2].
LABEL_BOXES = """() => window.aifg.cy.elements(":visible")
  .filter((e) => e.style("label"))
  .map((e) => {
    const b = e.renderedBoundingBox({
      includeNodes: false, includeEdges: false, includeLabels: true });
    return [e.id(), e.style("label"), b.x1, b.y1, b.x2, b.y2];
  })
  .filter(([, , x1, y1, x2, y2]) => x2 > x1 && y2 > y1)"""
POSITIONS = """() => Object.fromEntries(window.aifg.cy.nodes().map((n) => [n.id(), [
  n.position("x"), n.position("y"), n.renderedPosition("x"), n.renderedPosition("y")]]))"""
FIGURE = re.compile(r"^(up to |~)?\$([0-9.,]+)([TBM]?)$")


def figure_usd(text: str) -> tuple[str, float]:
    """What a figure on the picture says: ("up to ", 1e11) for "up to $100B"."""
    found = FIGURE.match(text)
    assert found, f"not a figure: {text!r}"
    scale = {"T": 1e12, "B": 1e9, "M": 1e6, "": 1.0}[found.group(3)]
    return found.group(1) or "", float(found.group(2).replace(",", "")) * scale


def open_page(page: Page, server: Server, as_of: str = BEFORE) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server.url}/?as_of={as_of}")
    page.evaluate("window.aifg.ready")
    wait_drawn(page, as_of)


def wait_drawn(page: Page, as_of: str) -> None:
    """Until the graph for `as_of` is drawn and no request is in flight."""
    page.wait_for_function(
        "d => document.body.dataset.asOf === d && !document.body.dataset.loading", arg=as_of
    )
    page.evaluate("window.aifg.settled()")


def drawn(page: Page) -> dict[str, Any]:
    """The drawn commitments, each with the entities at its ends (as the API names them)
    and the nodes standing for those (the entity, or the fold of groups it belongs to)."""
    return page.evaluate(
        """() => {
          const cy = window.aifg.cy;
          const members = (n) => n.data("fold") || [n.id()];
          return {
            nodes: cy.nodes().map((n) => n.id()).sort(),
            edges: cy.edges().map((e) => e.data("cid")).sort(),
            inactive: cy.edges(".inactive").map((e) => e.data("cid")).sort(),
            ends: Object.fromEntries(cy.edges().map((e) => [e.data("cid"), [
              e.data("from"), e.data("to"), members(e.source()), members(e.target())]])),
            lonely: cy.nodes().filter((n) => n.degree(false) === 0).map((n) => n.id()),
          };
        }"""
    )


def node_point(page: Page, entity_id: str) -> tuple[float, float]:
    """Where the centre of the drawn node is on the page."""
    x, y = page.evaluate(
        """(id) => {
          const p = window.aifg.cy.getElementById(id).renderedPosition();
          return [p.x, p.y];
        }""",
        entity_id,
    )
    box = page.locator("#cy").bounding_box()
    assert box is not None
    return box["x"] + x, box["y"] + y


def click_node(page: Page, entity_id: str) -> None:
    """A real mouse click on the centre of the drawn node."""
    page.mouse.click(*node_point(page, entity_id))


def link_ids(graph: dict[str, Any], *, counting_only: bool = False) -> list[str]:
    return sorted(link["id"] for link in graph["links"] if link["counts"] or not counting_only)


def problem(status: int, detail: str) -> dict[str, Any]:
    return {
        "status": status,
        "content_type": "application/problem+json",
        "body": json.dumps(
            {"type": "about:blank", "title": "Error", "status": status, "detail": detail}
        ),
    }


def test_page_loads_and_draws_what_graph_reports(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    live = server.get("/graph", as_of=BEFORE, live_only=True)
    everything = server.get("/graph", as_of=BEFORE)

    open_page(page, server)

    shown = drawn(page)
    assert shown["edges"] == link_ids(live)
    assert len(shown["edges"]) == len(live["links"]) > 0
    # Each arrow joins the nodes of its payer and recipient (a fold holds its members);
    # nothing is drawn that has no commitment at the date.
    for link in live["links"]:
        payer, recipient, source_members, target_members = shown["ends"][link["id"]]
        assert (payer, recipient) == (link["source"], link["target"])
        assert payer in source_members and recipient in target_members
    assert shown["lonely"] == []
    entities = {end for link in live["links"] for end in (link["source"], link["target"])}
    expect(page.locator("#graph-status")).to_contain_text(
        f"{len(entities)} entities · {len(live['links'])} commitments counting at {BEFORE}"
    )
    # Paused and cancelled ones are drawn on request, in grey.
    page.get_by_label("Show paused and cancelled (grey)").check()
    shown = drawn(page)
    assert shown["edges"] == link_ids(everything)
    assert shown["inactive"] == sorted(set(link_ids(everything)) - set(link_ids(live)))
    assert page_errors == []


def test_moving_the_date_drops_the_paused_nvidia_openai_plan(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    counts_after = {
        link["id"]: link["counts"] for link in server.get("/graph", as_of=AFTER)["links"]
    }
    paused = [
        link["id"]
        for link in server.get("/graph", as_of=BEFORE)["links"]
        if (link["source"], link["target"]) == ("nvidia", "openai")
        and link["counts"]
        and not counts_after.get(link["id"], False)
    ]
    assert paused, "the API reports no Nvidia-OpenAI plan that stops counting on 2026-01-30"
    edge_count = "(ids) => ids.map((id) => window.aifg.edge(id).length)"

    open_page(page, server)
    assert page.evaluate(edge_count, paused) == [1] * len(paused)

    page.get_by_label("As of").fill(AFTER)
    wait_drawn(page, AFTER)
    assert page.evaluate(edge_count, paused) == [0] * len(paused)
    assert drawn(page)["edges"] == link_ids(server.get("/graph", as_of=AFTER, live_only=True))
    assert f"as_of={AFTER}" in page.url

    # Drawn again, greyed, when asked for; and back as a live edge on the earlier date.
    page.get_by_label("Show paused and cancelled (grey)").check()
    inactive = page.evaluate(
        """(ids) => ids.map((id) => {
          const e = window.aifg.edge(id);
          return [e.hasClass("inactive"), e.style("line-color")];
        })""",
        paused,
    )
    grey = page.evaluate("window.aifg.palette.inactive.color")
    rgb = "rgb({},{},{})".format(*(int(grey[i : i + 2], 16) for i in (1, 3, 5)))
    assert inactive == [[True, rgb]] * len(paused)
    page.get_by_role("button", name="One day earlier").click()
    page.get_by_role("button", name="One day earlier").click()
    wait_drawn(page, BEFORE)
    assert page.evaluate(
        "(ids) => ids.map((id) => window.aifg.edge(id).hasClass('inactive'))", paused
    ) == [False] * len(paused)
    assert page_errors == []


def test_clicking_oracle_shows_openai_as_its_largest_counterparty(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    out = server.get("/entities/oracle/exposure", as_of=BEFORE, direction="out", depth=2)
    inn = server.get("/entities/oracle/exposure", as_of=BEFORE, direction="in", depth=2)
    cycles = server.get("/analysis/cycles", entity="oracle", as_of=BEFORE)
    top = max((c for c in out["counterparties"] if c["usd"] is not None), key=lambda c: c["usd"])
    assert top["id"] == "openai"

    open_page(page, server)
    click_node(page, "oracle")

    expect(page.locator("#entity-name")).to_have_text(out["name"])
    fact = page.locator("#largest-out")
    expect(fact).to_have_attribute("data-id", "openai")
    expect(fact.locator(".name")).to_have_text(top["name"])
    expect(fact.locator(".usd")).to_have_attribute("title", f"${top['usd']:,.0f}")
    assert float(fact.get_attribute("data-usd") or "nan") == top["usd"]
    rows = page.locator("#exposure-out tbody tr")
    assert rows.evaluate_all("rs => rs.map((r) => r.dataset.id)") == [
        c["id"] for c in out["counterparties"]
    ]
    # Each amount as the API gives it: the figure (its full USD in the title), or n/d.
    amounts = rows.evaluate_all(
        """rs => rs.map((r) => {
          const cell = r.cells[1], usd = cell.querySelector(".usd");
          return [cell.textContent, usd ? Number(usd.dataset.usd) : null];
        })"""
    )
    for (text, usd), c in zip(amounts, out["counterparties"], strict=True):
        assert usd == c["usd"], text
        assert ("n/d" in text) == (c["usd"] is None or c["undisclosed"] > 0), text
        assert "object" not in text, text
    assert page.locator("#exposure-in tbody tr").count() == len(inn["counterparties"])
    assert page.locator("#cycles [data-cycle]").count() == len(cycles["cycles"])
    expect(page.locator("#look-through-out")).to_be_visible()
    assert page_errors == []


def test_a_year_says_how_many_commitments_it_covers(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    """Each row's year's worth as the API gives it, saying how many commitments it covers
    when not all. In the seeds, CoreWeave's row for OpenAI: a year's worth of the one
    contract with a term, 1 of 3, never shown as a year's worth of all three."""
    out = server.get("/entities/coreweave/exposure", as_of=BEFORE, direction="out")
    open_page(page, server)
    click_node(page, "coreweave")
    rows = page.locator("#exposure-out tbody tr")
    expect(rows).to_have_count(len(out["counterparties"]))
    cells = rows.evaluate_all(
        """rs => rs.map((r) => {
          const cell = r.cells[2], usd = cell.querySelector(".usd");
          return [r.dataset.id, usd ? Number(usd.dataset.usd) : null, cell.textContent];
        })"""
    )
    partial = []
    for (row_id, per_year, text), c in zip(cells, out["counterparties"], strict=True):
        assert (row_id, per_year) == (c["id"], c["usd_per_year"])
        covers = f"({c['per_year_count']} of {c['commitment_count']})"
        if per_year is None:
            assert text == "n/k"  # not known, never blank or zero
        elif c["per_year_count"] < c["commitment_count"]:
            partial.append(row_id)
            assert covers in text, text
        else:
            assert "of" not in text, text
    if server.dataset == "seeds":
        assert "openai" in partial
    assert page_errors == []


def test_an_exposure_without_a_disclosed_figure_reads_nd_never_zero(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    """An entity whose every commitment out lacks a figure (MGX's in the seeds, AMD's in
    the web data): its total reads n/d, not $0, and its largest counterparty is not
    known, not "none"."""
    entity = {"seeds": "mgx", "web": "amd"}[server.dataset]
    out = server.get(f"/entities/{entity}/exposure", as_of=BEFORE, direction="out")
    assert out["total_usd"] is None and out["undisclosed"] > 0
    open_page(page, server)
    click_node(page, entity)
    total = page.locator("h3", has_text="Stands to lose if they fail").locator(".total")
    expect(total).to_have_text(re.compile(r"n/d"))
    assert "$" not in (total.text_content() or "")
    expect(page.locator("#largest-out")).to_have_text(re.compile(r"not known"))
    # Each row's share and share of revenue: not known (n/k) where the API has none.
    rows = page.locator("#exposure-out tbody tr")
    expect(rows).to_have_count(len(out["counterparties"]))
    cells = rows.evaluate_all("rs => rs.map((r) => [...r.cells].map((c) => c.textContent))")
    for c, (_, _, _, of_total, of_revenue) in zip(out["counterparties"], cells, strict=True):
        assert c["share"] is None and of_total == "n/k"
        assert c["share_of_revenue"] is None and of_revenue == "n/k"
    assert page_errors == []


def test_a_node_whose_commitments_lack_figures_reads_nd_in_its_tooltip(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    """Hovering an entity all of whose commitments counting at the date lack a figure: its
    tooltip says n/d and how many, never "$0 + 2 n/d"."""
    links = [link for link in server.get("/graph", as_of=BEFORE)["links"] if link["counts"]]
    touching: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        for end in {link["source"], link["target"]}:
            touching.setdefault(end, []).append(link)
    unpriced = sorted(
        e for e, its in touching.items() if all(link["counted_usd"] is None for link in its)
    )
    if server.dataset != "seeds":
        pytest.skip("every entity in the web data has a commitment with a figure")
    assert unpriced, "every seed entity has a commitment with a figure"
    open_page(page, server)
    drawn_ids = page.evaluate(
        "(ids) => ids.filter((id) => window.aifg.cy.getElementById(id).nonempty())", unpriced
    )
    entity = drawn_ids[0]
    page.mouse.move(*node_point(page, entity))
    tip = page.locator("#tooltip")
    expect(tip).to_contain_text(f"counting at the date: n/d ({len(touching[entity])} undisclosed)")
    assert "$0" not in (tip.text_content() or "")
    assert page_errors == []


def test_a_paged_answer_says_how_many_counterparties_it_lists(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    """No seed entity has more than 50 counterparties, so the page's exposure requests
    ask the real server for 2 rows: the table lists the largest 2 and says of how many."""
    everyone = server.get("/entities/openai/exposure", as_of=BEFORE, direction="in")
    page.route(
        re.compile(r"/exposure\?"),
        lambda route: route.continue_(url=route.request.url + "&limit=2"),
    )
    open_page(page, server)
    click_node(page, "openai")
    expect(page.locator("#exposure-in tbody tr")).to_have_count(2)
    note = f"The largest 2 of {everyone['counterparty_count']} counterparties."
    expect(page.locator("#exposure-in").get_by_text(note)).to_be_visible()
    assert page_errors == []


def test_a_loop_is_highlighted_in_the_graph(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    report = server.get("/analysis/cycles", entity="nvidia", as_of=BEFORE)
    assert report["cycles"], "the API finds no loop through Nvidia on 2026-01-29"
    loop = report["cycles"][0]

    open_page(page, server)
    click_node(page, "nvidia")
    button = page.locator('#cycles [data-cycle="0"]')
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    lit = page.evaluate(
        """() => ({
          nodes: window.aifg.cy.nodes(".hl").map((n) => n.id()).sort(),
          edges: window.aifg.cy.edges(".hl").map((e) => e.data("cid")).sort(),
          dim: window.aifg.cy.elements(".dim").length,
          all: window.aifg.cy.elements().length,
        })"""
    )
    assert lit["nodes"] == sorted(set(loop["entities"]))
    assert lit["edges"] == sorted({cid for hop in loop["commitments"] for cid in hop})
    assert lit["dim"] == lit["all"] - len(lit["nodes"]) - len(lit["edges"])
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.aifg.cy.elements('.hl, .dim').length") == 0
    assert page_errors == []


def test_search_finds_nvidia_by_its_chinese_alias_from_the_keyboard(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    found = server.get("/entities", q="英偉達")["items"]
    assert [e["id"] for e in found][:1] == ["nvidia"]

    open_page(page, server)
    search = page.get_by_role("searchbox")
    search.focus()
    page.keyboard.type("英偉達")
    first = page.locator("#search-results button").first
    expect(first).to_have_attribute("data-id", "nvidia")
    search.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#entity-name")).to_have_text(found[0]["name"])
    assert page.evaluate("window.aifg.cy.getElementById('nvidia').hasClass('focus')")
    assert page_errors == []


def test_a_domino_on_openai_colours_oracle_coreweave_and_amd(
    server: Server, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    request = {
        "shocks": [{"entity": "openai", "severity": 1.0}],
        "model": "debtrank",
        "as_of": BEFORE,
        "buffer": "equity",
    }
    response = server.http.post("/analysis/stress", json=request)
    if response.status_code in (404, 405):
        pytest.skip(
            f"POST /analysis/stress is not on this server yet (HTTP {response.status_code})"
        )
    response.raise_for_status()
    report = response.json()
    hit = [
        e for e in report["entities"] if e["distress"] > 0 or e["loss_usd"] > 0 or e["defaulted"]
    ]

    open_page(page, server)
    page.get_by_role("tab", name="Domino scenario").click()
    page.get_by_label("Entity that fails").select_option("openai")
    assert page.get_by_label(re.compile("^Severity")).input_value() == "1"
    page.get_by_label("Model").select_option("debtrank")
    page.get_by_label("Buffer").select_option("equity")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_function("document.body.dataset.stress === 'done'")

    colours, members = page.evaluate(
        """() => [
          Object.fromEntries(window.aifg.cy.nodes().map((n) => [
            n.id(),
            n.hasClass("stressed") ? "distress" : n.hasClass("unpriced") ? "unpriced" : "none",
          ])),
          Object.fromEntries(
            window.aifg.cy.nodes().map((n) => [n.id(), n.data("fold") || [n.id()]])),
        ]"""
    )
    # A node is coloured when the scenario hits the entity it stands for (or one in its fold).
    hit_ids = {e["id"] for e in hit}
    drawn_hit = {node for node, ids in members.items() if hit_ids & set(ids)}
    assert {k for k, v in colours.items() if v == "distress"} == drawn_hit
    for entity in ("oracle", "coreweave", "amd"):
        assert colours[entity] != "none", f"{entity} is not coloured by the scenario"
    # Listed in the order they were hit: by round, then most distressed first.
    order = sorted(
        hit, key=lambda e: (e["round"] is None, e["round"] or 0, -e["distress"], -e["loss_usd"])
    )
    listed = page.locator("#stress-hits li").evaluate_all("ls => ls.map((l) => l.dataset.id)")
    assert listed == [e["id"] for e in order]
    page.screenshot(path=artifacts / f"explorer-{server.dataset}-domino.png")
    assert page_errors == []


def test_nvidia_pulling_back_follows_the_cut_along_the_money(
    server: Server, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    """The Domino panel's pull-back ("pulls back"): who loses inflow, coloured and listed as
    POST /analysis/stress answers for the same cut, and a link that reopens it."""
    request = {"cuts": [{"entity": "nvidia", "fraction": 1.0}], "model": "pull_back"}
    response = server.http.post("/analysis/stress", json=request | {"as_of": BEFORE})
    if response.status_code == 422 and "pull_back" in response.text:
        pytest.skip("this server's POST /analysis/stress has no pull_back model")
    response.raise_for_status()
    reached = [e for e in response.json()["pull_back"]["entities"] if e["lost_inflow_usd"] > 0]
    assert {"openai", "oracle"} <= {e["id"] for e in reached}  # the LOI's money stops there

    open_page(page, server)
    page.get_by_role("tab", name="Domino scenario").click()
    page.get_by_label("Model").select_option("pull_back")
    page.get_by_label("Entity that pulls back").select_option("nvidia")
    expect(page.get_by_label(re.compile("^Share of its commitments cut"))).to_have_value("1")
    expect(page.get_by_label("Buffer")).to_be_disabled()  # the pull-back takes none
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_function("document.body.dataset.stress === 'done'")

    # In the order the cut reached them (by round), most lost inflow first within a round.
    order = sorted(
        reached, key=lambda e: (e["round"] is None, e["round"] or 0, -e["lost_inflow_usd"])
    )
    listed = page.locator("#stress-hits li").evaluate_all(
        "ls => ls.map((l) => [l.dataset.id, Number(l.dataset.lost)])"
    )
    assert listed == [[e["id"], e["lost_inflow_usd"]] for e in order]
    classes = page.evaluate(
        """() => Object.fromEntries(window.aifg.cy.nodes().map((n) => [n.id(), [
          n.hasClass("stressed"), n.hasClass("shocked"), n.data("fold") || [n.id()]]]))"""
    )
    reached_ids = {e["id"] for e in reached}
    assert {n for n, (hit, _, _) in classes.items() if hit} == {
        n for n, (_, _, ids) in classes.items() if reached_ids & set(ids)
    }
    assert classes["nvidia"][1], "the entity that pulls back is not marked"
    expect(page.locator("#legend")).to_contain_text("Lost inflow relative to revenue")
    assert "scenario=nvidia,1,pull_back,equity" in page.url

    other = page.context.new_page()
    other.set_viewport_size(DESKTOP)
    other.goto(page.url)
    other.evaluate("window.aifg.ready")
    other.wait_for_function("document.body.dataset.stress === 'done'")
    expect(other.get_by_label("Model")).to_have_value("pull_back")
    reopened = other.locator("#stress-hits li").evaluate_all(
        "ls => ls.map((l) => [l.dataset.id, Number(l.dataset.lost)])"
    )
    assert reopened == listed
    page.screenshot(path=artifacts / f"explorer-{server.dataset}-pull-back.png")
    assert page_errors == []


RISK_POINTS = """() => [...document.querySelectorAll("#risk-svg circle.risk-point")].map((c) => ({
  as_of: c.dataset.asOf, usd: Number(c.dataset.usd),
  x: c.getBoundingClientRect().x + c.getBoundingClientRect().width / 2,
  y: c.getBoundingClientRect().y + c.getBoundingClientRect().height / 2,
}))"""


def test_risk_over_time_charts_the_scenarios_series_beside_the_timeline(
    server: Server, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    """The chart beside the timeline: one point per month, each at the total loss that
    POST /analysis/stress/series gives for the same scenario over the timeline's span."""
    open_page(page, server)
    first, last = page.locator("#tl-first").inner_text(), page.locator("#tl-last").inner_text()
    scenario = {
        "shocks": [{"entity": "openai", "severity": 1.0}],
        "model": "debtrank",
        "buffer": "equity",
    }
    response = server.http.post(
        "/analysis/stress/series", json={"scenario": scenario, "since": first, "until": last}
    )
    if response.status_code in (404, 405):
        pytest.skip("POST /analysis/stress/series is not on this server yet")
    response.raise_for_status()
    series = response.json()["points"]
    # The first of each month from the first day's month to the last day (hand-counted).
    y0, m0, y1, m1 = int(first[:4]), int(first[5:7]), int(last[:4]), int(last[5:7])
    assert len(series) == (y1 - y0) * 12 + (m1 - m0) + 1
    assert any(p["total_loss_usd"] > 0 for p in series)

    expect(page.locator("#risk")).to_be_hidden()  # no scenario, no chart
    asked = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/stress/series") else None)
    page.get_by_role("tab", name="Domino scenario").click()
    page.get_by_label("Entity that fails").select_option("openai")
    page.get_by_label("Model").select_option("debtrank")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_function("document.body.dataset.risk === 'done'")

    points = page.evaluate(RISK_POINTS)
    assert [(p["as_of"], p["usd"]) for p in points] == [
        (p["as_of"], p["total_loss_usd"]) for p in series
    ]
    # Drawn to scale: x runs with the date, y with the loss (the largest on top, 0 on the axis).
    xs, ys, usd = [p["x"] for p in points], [p["y"] for p in points], [p["usd"] for p in points]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    top, bottom = min(ys), max(ys)
    for p in points:
        expected = bottom - (bottom - top) * p["usd"] / max(usd)
        assert abs(p["y"] - expected) < 1.0, p
    expect(page.locator("#risk-title")).to_contain_text("OpenAI fails")
    now = page.locator("#risk-now")
    expect(now).to_have_attribute("data-as-of", BEFORE)

    # Beside the timeline: right of the slider, at the same height.
    slider, chart = (
        page.locator("#tl-slider").bounding_box(),
        page.locator("#risk-svg").bounding_box(),
    )
    assert slider and chart
    assert chart["x"] >= slider["x"] + slider["width"]
    assert (
        chart["y"] < slider["y"] + slider["height"] and slider["y"] < chart["y"] + chart["height"]
    )
    page.screenshot(path=artifacts / f"explorer-{server.dataset}-risk.png")

    # A month's point moves the timeline there; the series is not asked for again.
    month = series[len(series) // 2]["as_of"]
    page.locator(f'#risk-svg circle[data-as-of="{month}"]').click(force=True)
    wait_drawn(page, month)
    page.wait_for_function("document.body.dataset.stress === 'done'")
    expect(page.locator("#risk-now")).to_have_attribute("data-as-of", month)
    assert len(asked) == 1
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#risk")).to_be_hidden()
    assert page_errors == []


def test_failed_requests_show_a_message(server: Server, page: Page, page_errors: list[str]) -> None:
    def unavailable(route: Route) -> None:
        route.fulfill(**problem(503, "the store is not reachable"))

    graph = re.compile(r"/graph\?")
    page.route(graph, unavailable)
    page.goto(f"{server.url}/?as_of={BEFORE}")
    page.evaluate("window.aifg.ready")
    banner = page.get_by_role("alert").filter(has_text="Could not load the graph")
    expect(banner).to_contain_text("the store is not reachable (HTTP 503)")
    expect(page.locator("#graph-status")).to_have_text("The graph could not be loaded.")

    page.unroute(graph, unavailable)
    page.get_by_role("button", name="Retry").click()
    wait_drawn(page, BEFORE)
    expect(page.locator("#banner")).to_be_hidden()

    page.route(re.compile(r"/exposure\?"), lambda route: route.abort())
    click_node(page, "oracle")
    expect(page.locator("#panel-entity .error").first).to_contain_text("could not be loaded")

    page.route(
        re.compile(r"/analysis/stress$"), lambda route: route.fulfill(**problem(404, "Not Found"))
    )
    page.get_by_role("tab", name="Domino scenario").click()
    page.get_by_role("button", name="Run scenario").click()
    expect(page.locator("#domino-result .error")).to_contain_text("no stress endpoint")
    # Failed loads are logged by the browser; the page itself throws nothing.
    assert [e for e in page_errors if e.startswith("page error")] == []


def test_every_control_has_a_label(server: Server, page: Page) -> None:
    open_page(page, server)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll("input, select, button")]
          .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                          && !el.textContent.trim())
          .map((el) => el.outerHTML)"""
    )
    assert unlabelled == []


def test_screenshot(server: Server, page: Page, page_errors: list[str], artifacts: Path) -> None:
    """artifacts/explorer-<dataset>.png: the graph on 2026-01-29 with Oracle's panel open."""
    open_page(page, server)
    click_node(page, "oracle")
    expect(page.locator("#largest-out")).to_be_visible()
    page.evaluate("window.aifg.settled()")
    page.mouse.move(1400, 880)  # away from the node: no tooltip over the picture
    path = artifacts / f"explorer-{server.dataset}.png"
    page.screenshot(path=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 20_000
    if server.dataset == "seeds":
        publish(path, "explorer.png")  # the README's desktop picture
    assert page_errors == []


def test_the_largest_commitments_carry_their_figures(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    """The picture answers "where are the big numbers": the ten largest commitments counting
    at the date print their amount, as the API gives it ("up to" where it is a ceiling)."""
    live = server.get("/graph", as_of=BEFORE, live_only=True)["links"]
    largest = sorted(
        (link for link in live if link["usd"] is not None), key=lambda link: -link["usd"]
    )[:10]

    open_page(page, server)
    labels = {box[0]: box[1] for box in page.evaluate(LABEL_BOXES)}
    for link in largest:
        text = labels.get("c:" + link["id"])
        assert text, f"no figure on {link['id']} ({link['usd']:,.0f} USD)"
        prefix, usd = figure_usd(text)
        assert prefix == ("up to " if link["up_to"] else "~" if link["estimate"] else "")
        assert usd == pytest.approx(link["usd"], rel=0.006)  # $22.4B for 22.45e9
    # Every figure printed is the API's amount; undisclosed ones say n/d, never $0.
    amounts = {link["id"]: link["usd"] for link in live}
    for element, text in labels.items():
        if element.startswith("c:"):
            usd = amounts[element.removeprefix("c:")]
            if usd is None:
                assert text == "n/d"
            else:
                assert figure_usd(text)[1] == pytest.approx(usd, rel=0.006)
    assert page_errors == []


@pytest.mark.parametrize("as_of", [BEFORE, AFTER])
def test_no_two_labels_overlap(
    server: Server, page: Page, page_errors: list[str], as_of: str
) -> None:
    """At 1400x900 no caption or figure covers another: read from cytoscape's own boxes."""
    open_page(page, server, as_of)
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) >= min(10, page.evaluate("window.aifg.cy.nodes().length"))
    for i, (a, text_a, *box_a) in enumerate(boxes):
        for b, text_b, *box_b in boxes[i + 1 :]:
            apart = (
                box_a[2] <= box_b[0]
                or box_b[2] <= box_a[0]
                or box_a[3] <= box_b[1]
                or box_b[3] <= box_a[1]
            )
            assert apart, f"{text_a!r} ({a}) covers {text_b!r} ({b})"
    # Captions are short names: no parenthesis, two lines at most.
    captions = [text for element, text, *_ in boxes if not element.startswith("c:")]
    assert captions and all("(" not in text or text.endswith(")") for text in captions)
    assert all(len(text) <= 34 for text in captions)
    assert page_errors == []


def test_the_same_picture_on_every_load_and_date(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    """Positions come from the data alone: a second load gives the same ones, and moving
    the date moves no node, on the canvas or on the screen."""
    open_page(page, server)
    first = page.evaluate(POSITIONS)
    open_page(page, server)
    assert page.evaluate(POSITIONS) == first

    page.get_by_label("As of").fill(AFTER)
    page.get_by_label("As of").press("Enter")
    wait_drawn(page, AFTER)
    after = page.evaluate(POSITIONS)
    both = set(first) & set(after)
    assert len(both) >= 5
    assert {node: after[node] for node in both} == {node: first[node] for node in both}
    assert page_errors == []


def test_groups_fold_into_one_node_until_opened(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    open_page(page, server)
    folds = page.evaluate(
        "() => window.aifg.cy.nodes('.fold').map((n) => [n.id(), n.data('fold')])"
    )
    if not folds:
        pytest.skip(f"no unnamed groups to fold in the {server.dataset} data")
    fold, members = folds[0]
    click_node(page, fold)
    expect(page.locator("#fold-members li")).to_have_count(len(members))
    shown = page.evaluate("() => window.aifg.cy.nodes().map((n) => n.id())")
    assert fold not in shown
    assert set(members) & set(shown)  # those with a commitment at the date
    page.get_by_role("button", name="Fold them again").click()
    assert fold in page.evaluate("() => window.aifg.cy.nodes().map((n) => n.id())")
    assert page_errors == []


def current_date(page: Page) -> str:
    value: str = page.get_by_label("As of").input_value()
    return value


def test_the_timeline_spans_the_history_with_a_marker_per_change(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    entries = server.get("/timeline")
    dates = sorted({entry["date"] for entry in entries})
    open_page(page, server)
    expect(page.locator("#tl-first")).to_have_text(dates[0])
    # One spot per day with a change (up to three marks: changes, stops, market events).
    spots = page.locator("#tl-marks .mark").evaluate_all(
        "ms => [...new Set(ms.map((m) => m.style.left))]"
    )
    assert len(spots) == len(dates)
    assert page.locator("#tl-marks .mark.event").count() == len(
        {entry["date"] for entry in entries if entry["type"] == "event"}
    )
    slider = page.get_by_label("Date on the timeline")
    assert slider.get_attribute("aria-valuetext") == BEFORE
    slider.focus()
    page.keyboard.press("Home")
    wait_drawn(page, dates[0])
    assert current_date(page) == dates[0]
    assert f"as_of={dates[0]}" in page.url
    assert page_errors == []


def test_the_pause_is_one_click_away_and_the_web_changes(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    before = link_ids(server.get("/graph", as_of=BEFORE, live_only=True))
    on_the_day = link_ids(server.get("/graph", as_of="2026-01-30", live_only=True))
    assert before != on_the_day
    open_page(page, server, "2024-06-01")
    page.get_by_role("button", name="2026-01-30").click()
    wait_drawn(page, "2026-01-30")
    assert drawn(page)["edges"] == on_the_day
    assert page.get_by_label("Date on the timeline").get_attribute("aria-valuetext") == "2026-01-30"
    expect(page.locator("#tl-day")).to_contain_text("2026-01-30:")
    assert page_errors == []


def test_previous_and_next_change_and_play(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    dates = sorted({entry["date"] for entry in server.get("/timeline")})
    following = next(d for d in dates if d > BEFORE)
    open_page(page, server)
    page.get_by_role("button", name="Next change").click()
    wait_drawn(page, following)
    page.get_by_role("button", name="Previous change").click()
    wait_drawn(page, max(d for d in dates if d < following))

    # Far enough from the end that play is still going when Pause is clicked (each step
    # waits 0.7 s after drawing); at the end it stops, and the button would play again.
    first = max(0, len(dates) - 8)
    assert len(dates) - first >= 4, "too few changes to play"
    open_page(page, server, dates[first])
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "d => document.body.dataset.asOf > d", arg=dates[first + 1], timeout=30_000
    )
    page.get_by_role("button", name="Pause").click()
    paused = current_date(page)
    page.wait_for_timeout(2000)
    assert current_date(page) == paused
    assert paused in dates
    assert page_errors == []


SHARED_STATE = """() => {
  const s = window.aifg.state;
  return {
    as_of: s.asOf, entity: s.selected, view: s.view, colour: s.colourBy, inactive: s.showInactive,
    scenario: s.scenario, hit: s.stress && s.stress.entities.filter((e) => e.distress > 0)
      .map((e) => e.id).sort(),
    edges: window.aifg.cy.edges().map((e) => e.data("cid")).sort(),
    panel: document.querySelector("#entity-name")?.textContent ?? null,
    tab: document.querySelector('[role="tab"][aria-selected="true"]').id,
  };
}"""


def test_the_url_reopens_what_was_seen(server: Server, page: Page, page_errors: list[str]) -> None:
    response = server.http.post(
        "/analysis/stress",
        json={"shocks": [{"entity": "openai", "severity": 1.0}], "model": "debtrank"},
    )
    if response.status_code in (404, 405):
        pytest.skip("POST /analysis/stress is not on this server yet")
    open_page(page, server)
    page.get_by_label("As of").fill(AFTER)
    wait_drawn(page, AFTER)
    page.get_by_label("Colour by").select_option("kind")
    page.get_by_label("Show paused and cancelled (grey)").check()
    click_node(page, "oracle")
    expect(page.locator("#entity-name")).to_be_visible()
    page.get_by_role("tab", name="Domino scenario").click()
    page.get_by_label("Entity that fails").select_option("openai")
    page.get_by_label(re.compile("^Severity")).fill("0.5")
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_function("document.body.dataset.stress === 'done'")
    page.evaluate("window.aifg.settled()")
    seen = page.evaluate(SHARED_STATE)
    url = page.url
    for part in ("as_of=2026-01-31", "entity=oracle", "scenario=openai,0.5,debtrank,equity"):
        assert part in url

    other = page.context.new_page()
    other.set_viewport_size(DESKTOP)
    other.goto(url)
    other.evaluate("window.aifg.ready")
    other.wait_for_function("document.body.dataset.stress === 'done'")
    other.evaluate("window.aifg.settled()")
    assert other.evaluate(SHARED_STATE) == seen
    assert seen["inactive"] and seen["colour"] == "kind" and seen["tab"] == "tab-domino"
    assert other.url == url
    assert page_errors == []


def test_png_and_svg_exports_carry_the_caption(
    server: Server, page: Page, page_errors: list[str], tmp_path: Path
) -> None:
    links = server.get("/graph", as_of=BEFORE, live_only=True)["links"]
    sources = {url for link in links for url in link["source_urls"].split()}
    open_page(page, server)

    with page.expect_download() as png:
        page.get_by_role("button", name="PNG").click()
    assert png.value.suggested_filename == f"ai-financing-graph-{BEFORE}.png"
    png_path = tmp_path / "picture.png"
    png.value.save_as(png_path)
    data = png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    canvas = page.locator("#cy").bounding_box()
    assert canvas is not None
    assert width == round(canvas["width"] * 2)
    assert height > canvas["height"] * 2  # the caption block below the picture

    with page.expect_download() as svg:
        page.get_by_role("button", name="SVG").click()
    assert svg.value.suggested_filename == f"ai-financing-graph-{BEFORE}.svg"
    svg_path = tmp_path / "picture.svg"
    svg.value.save_as(svg_path)
    tree = ElementTree.parse(svg_path)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    caption = [t.text for t in tree.getroot().iterfind(".//svg:g[@id='caption']/svg:text", ns)]
    assert caption[0] == f"AI financing commitments as of {BEFORE}"
    assert caption[2] == (
        "Source: AI Financing Graph, data CC BY 4.0 · "
        f"{len(sources)} sources behind the {len(links)} commitments shown"
    )
    # Every caption and figure drawn, in the same words (a label's lines joined).
    texts = {
        " ".join(line.text or "" for line in label.iterfind("svg:text", ns))
        for label in tree.getroot().iterfind(".//svg:g[@id='graph']/svg:g[@class='label']", ns)
    }
    assert {text for _, text, *_ in page.evaluate(LABEL_BOXES)} == texts
    circles = tree.getroot().findall(".//svg:g[@id='graph']/svg:circle", ns)
    assert len(circles) == page.evaluate("window.aifg.cy.nodes().length")
    assert page_errors == []


def test_the_table_lists_what_the_picture_shows(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    graph = server.get("/graph", as_of=BEFORE, live_only=True)
    names = {node["id"]: node["name"] for node in graph["nodes"]}
    links = {link["id"]: link for link in graph["links"]}
    by_amount = sorted(
        graph["links"], key=lambda link: (link["usd"] is None, -(link["usd"] or 0), link["id"])
    )
    open_page(page, server)
    page.get_by_role("button", name="Table").click()
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text(
        f"{len(links)} commitments counting at {BEFORE}, sorted by amount, descending"
    )
    assert "view=table" in page.url
    rows = table.locator("tbody tr")
    assert rows.evaluate_all("rs => rs.map((r) => r.dataset.id)") == [
        link["id"] for link in by_amount
    ]
    cells = rows.evaluate_all("rs => rs.map((r) => [...r.cells].map((c) => c.textContent.trim()))")
    for cid, (payer, recipient, _, amount, counted, status, announced, source) in zip(
        [link["id"] for link in by_amount], cells, strict=True
    ):
        link = links[cid]
        assert (payer, recipient) == (names[link["source"]], names[link["target"]])
        assert (status, announced) == (link["status"], link["announced"])
        assert source == f"{link['source_publisher']} · {link['source_kind']}"
        for text, usd in ((amount, link["usd"]), (counted, link["counted_usd"])):
            if usd is None:
                assert text == "n/d"  # unknown is never blank or zero
            else:
                assert figure_usd(text)[1] == pytest.approx(usd, rel=0.006)
    # A commitment that does not count at the date counts for none, said so.
    page.get_by_label("Show paused and cancelled").check()
    not_counting = {row["id"] for row in server.get("/graph", as_of=BEFORE)["links"]} - set(links)
    assert not_counting or server.dataset != "seeds", "the seeds have paused ones at the date"
    expect(rows).to_have_count(len(links) + len(not_counting))
    counted_cells = rows.evaluate_all(
        "rs => Object.fromEntries(rs.map((r) => [r.dataset.id, r.cells[4].textContent.trim()]))"
    )
    assert {cid for cid, text in counted_cells.items() if text == "none"} == not_counting
    # Sortable: the amount column the other way, then by payer.
    table.get_by_role("button", name="Amount").click()
    expect(table.locator("th[aria-sort='ascending']")).to_have_text("Amount")
    first = rows.first.get_attribute("data-id")
    assert (
        first
        == min(
            (link for link in graph["links"] if link["usd"] is not None),
            key=lambda link: (link["usd"], link["id"]),
        )["id"]
    )
    table.get_by_role("button", name="Payer").click()
    payers = rows.evaluate_all("rs => rs.map((r) => r.cells[0].textContent.trim())")
    assert payers == sorted(payers, key=lambda name: name.lower()) or payers == sorted(payers)
    page.get_by_role("button", name="Graph").click()
    assert page.locator("#cy").is_visible()
    assert page_errors == []


PHONE = {"width": 390, "height": 844}
# Visible elements that reach past the right edge of the window (cytoscape's own excepted).
OVERFLOW = """() => [...document.querySelectorAll("body *")]
  .filter((el) => !el.closest("#cy") && el.getClientRects().length)
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map((el) => el.tagName + (el.id ? "#" + el.id : "") + " " + el.className)"""


def test_on_a_phone_the_graph_has_half_the_height_and_nothing_scrolls_sideways(
    server: Server, page: Page, page_errors: list[str], artifacts: Path
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{server.url}/?as_of={BEFORE}&entity=oracle")
    page.evaluate("window.aifg.ready")
    wait_drawn(page, BEFORE)
    expect(page.locator("#entity-name")).to_be_visible()
    page.evaluate("window.aifg.settled()")
    graph = page.locator("#cy").bounding_box()
    assert graph is not None and graph["height"] >= PHONE["height"] / 2
    assert graph["width"] >= PHONE["width"] - 2
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(OVERFLOW) == []
    path = artifacts / f"explorer-{server.dataset}-phone.png"
    page.screenshot(path=path)
    if server.dataset == "seeds":
        publish(path, "explorer-phone.png")  # the README's phone picture

    # The panel below the graph: reachable, and its tabs and scenario work at this width.
    page.get_by_role("tab", name="Domino scenario").click()
    page.get_by_role("button", name="Run scenario").click()
    page.wait_for_function("['done', 'error'].includes(document.body.dataset.stress)")
    expect(page.locator("#domino-result")).to_be_in_viewport()
    assert page.evaluate(OVERFLOW) == []
    page.get_by_role("button", name="Table").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page_errors == []


TOFU = "\U0010fffd" * 3  # a private-use code point no font has: drawn as the missing glyph
# The bitmap of each character of `text` drawn in `font` on a canvas, as data URLs.
GLYPHS = """([text, font]) => [...text].map((ch) => {
  const canvas = document.createElement("canvas");
  canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext("2d");
  ctx.font = font;
  ctx.fillText(ch, 4, 38);
  return canvas.toDataURL();
})"""


def test_chinese_aliases_are_drawn_not_boxes(
    server: Server, page: Page, page_errors: list[str]
) -> None:
    """英偉達 in the search results is drawn in a CJK font of the page's stack, not as the
    missing-glyph box (tofu): its pixels differ from tofu's, character by character."""
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    if fonts.returncode == 0 and not fonts.stdout.strip():
        pytest.skip("no CJK font here: apt-get install fonts-wqy-zenhei (or fonts-noto-cjk)")
    if not server.get("/entities", q="英偉達")["items"]:
        pytest.skip(f"no entity with the alias 英偉達 in the {server.dataset} data")
    open_page(page, server)
    page.get_by_role("searchbox").fill("英偉達")
    alias = page.locator("#search-results button .muted").first
    expect(alias).to_have_text("(英偉達)")
    # The page and the graph's canvas name the same font stack.
    stack = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("window.aifg.cy.nodes()[0].style('font-family')") == stack
    assert "WenQuanYi Zen Hei" in stack and "Noto Sans CJK TC" in stack

    font = alias.evaluate("(el) => getComputedStyle(el).fontSize") + " " + stack
    drawn = page.evaluate(GLYPHS, ["英偉達", font])
    missing = page.evaluate(GLYPHS, [TOFU, font])[0]
    assert len(set(drawn)) == 3, "英, 偉 and 達 look the same: boxes"
    assert missing not in drawn, "英偉達 is drawn as the missing-glyph box"
    # And on the page itself: the same span with tofu in it looks different.
    shown = alias.screenshot()
    alias.evaluate("(el, text) => { el.textContent = '(' + text + ')'; }", TOFU)
    assert alias.screenshot() != shown
    assert page_errors == []
