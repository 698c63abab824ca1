// The graph view: cytoscape's stylesheet, the elements for a date, the layout, the tooltip.

import { api, query } from "./api.js";
import { kindColour, kindLabel, nodeColours } from "./colours.js";
import { $, h } from "./dom.js";
import { applyHighlight, loadEntity, selectEntity, showCommitment } from "./entity.js";
import { amountText, pct, usdShort } from "./format.js";
import { renderLegend } from "./legend.js";
import { hideBanner, showBanner } from "./messages.js";
import { cy, palette, state, syncUrl } from "./state.js";
import { applyStress, fillShockEntities, runStress } from "./stress.js";

const LABELLED = 30; // entities whose labels keep full size when zoomed out: the largest
let graphSeq = 0;

export function nameOf(id) {
  const node = cy && cy.getElementById(id);
  return node && node.nonempty() ? node.data("name") : id;
}

function nodeSize(totalUsd) {
  // Area grows with log(total): $1B -> ~22px, $100B -> ~40px, $1T -> ~50px.
  return totalUsd > 0 ? 16 + 11 * Math.log10(1 + totalUsd / 1e9) : 14;
}

function edgeWidth(usd) {
  return usd > 0 ? 1.2 + 1.9 * Math.log10(1 + usd / 1e9) : 1.2;
}

/**
 * The stylesheet at a label scale k: when zoomed out (k = 1 / zoom > 1) labels keep about
 * 12px on screen (10px beyond the LABELLED largest entities).
 */
export function cyStyle(k = 1) {
  return [
    {
      selector: "node",
      style: {
        width: (node) => node.data("size") * Math.sqrt(k),
        height: (node) => node.data("size") * Math.sqrt(k),
        "background-color": "data(colour)",
        "border-color": "data(border)",
        "border-width": 1.5,
        label: "data(name)",
        "font-size": 12 * k,
        "font-family": "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif",
        color: "#1d2330",
        "text-valign": "bottom",
        "text-margin-y": 3 * k,
        "text-outline-color": "#ffffff",
        "text-outline-width": 2.5 * k,
        "text-wrap": "wrap",
        "text-max-width": 120 * k,
      },
    },
    {
      selector: "node.minor",
      style: k > 1.25 ? { "font-size": 10 * k, color: "#5a6272", "text-max-width": 100 * k } : {},
    },
    {
      // Nothing drawn at this date: a one-line label in the grid beside the graph.
      selector: "node.idle",
      style: {
        opacity: 0.55,
        "font-size": 10 * k,
        color: "#5a6272",
        "text-wrap": "ellipsis",
        "text-max-width": 118 * k,
        "text-valign": "center",
        "text-halign": "right",
        "text-margin-x": 4 * k,
        "text-margin-y": 0,
      },
    },
    {
      selector: "edge",
      style: {
        width: (edge) => edge.data("width") * Math.sqrt(k),
        "line-color": "data(colour)",
        "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.9,
        "curve-style": "bezier",
        opacity: 0.85,
      },
    },
    { selector: "edge.nonbinding", style: { "line-style": "dashed", "line-dash-pattern": [7, 4] } },
    { selector: "edge.undisclosed", style: { "line-style": "dotted" } },
    {
      selector: "edge.inactive",
      style: {
        "line-color": palette.inactive.color,
        "target-arrow-color": palette.inactive.color,
        opacity: 0.75,
      },
    },
    {
      selector: "edge:selected",
      style: {
        label: "data(amount)",
        "font-size": 11,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.9,
        "text-background-padding": 2,
        "underlay-color": palette.highlight,
        "underlay-opacity": 0.3,
        "underlay-padding": 4,
      },
    },
    {
      selector: "node.stress-none",
      style: { "background-color": palette.distress.none, "border-color": "#b8b8b8" },
    },
    {
      selector: "node.stressed",
      style: { "background-color": "data(stressColour)", "border-color": "#5b0000", "border-width": 1.5 },
    },
    {
      selector: "node.unpriced",
      style: {
        "background-color": palette.distress.none,
        "border-color": palette.distress.unpriced,
        "border-width": 4,
        "border-style": "dashed",
      },
    },
    { selector: "node.shocked", style: { "border-color": "#000000", "border-width": 4 } },
    { selector: ".dim", style: { opacity: 0.12 } },
    {
      selector: ".hl",
      style: {
        "underlay-color": palette.highlight,
        "underlay-opacity": 0.35,
        "underlay-padding": 5,
        opacity: 1,
        "z-index": 10,
      },
    },
    {
      selector: "node:selected, node.focus",
      style: {
        "underlay-color": palette.highlight,
        "underlay-opacity": 0.45,
        "underlay-padding": 6,
        "underlay-shape": "ellipse",
      },
    },
  ];
}

/** Cytoscape elements for the graph at state.asOf: every entity, the commitments drawn. */
function elementsFor(graph) {
  const totals = new Map();
  const links = graph.links.filter((l) => l.counts || state.showInactive);
  for (const l of graph.links) {
    if (!l.counts) continue;
    totals.set(l.source, (totals.get(l.source) || 0) + l.usd);
    totals.set(l.target, (totals.get(l.target) || 0) + l.usd);
  }
  const touched = new Set(links.flatMap((l) => [l.source, l.target]));
  const ranked = graph.nodes.map((n) => n.id).sort((x, y) => (totals.get(y) || 0) - (totals.get(x) || 0));
  const major = new Set(ranked.slice(0, LABELLED));
  const nodes = graph.nodes.map((n) => {
    const sectors = n.sectors ? n.sectors.split(",") : [];
    const total = totals.get(n.id) || 0;
    const data = {
      id: n.id,
      name: n.name,
      kind: n.kind,
      sectors,
      country: n.country,
      ticker: n.ticker,
      total,
      size: nodeSize(total),
    };
    Object.assign(data, nodeColours(data));
    const classes = [touched.has(n.id) ? "" : "idle", major.has(n.id) ? "" : "minor"];
    return { group: "nodes", data, classes: classes.join(" ").trim() };
  });
  const edges = links.map((l) => {
    const classes = [];
    if (l.binding === "false") classes.push("nonbinding");
    if (!l.disclosed) classes.push("undisclosed");
    if (!l.counts) classes.push("inactive");
    return {
      group: "edges",
      data: {
        id: "c:" + l.id,
        cid: l.id,
        source: l.source,
        target: l.target,
        kind: l.kind,
        usd: l.usd,
        counts: l.counts,
        status: l.status,
        binding: l.binding,
        disclosed: l.disclosed,
        announced: l.announced,
        amount: amountText(l),
        width: edgeWidth(l.usd),
        colour: kindColour(l.kind),
      },
      classes: classes.join(" "),
    };
  });
  return { nodes, edges };
}

/**
 * Arrange the drawn graph: the largest entities in the middle to start with (deterministic,
 * so the same data gives the same picture), a force-directed pass (cose, built in), and
 * entities with no commitment drawn at this date in a grid beside it. Labels are left out
 * of the forces: they keep a readable size on screen whatever the zoom (scaleLabels).
 */
export function layout() {
  const linked = cy.nodes().filter((n) => n.degree(false) > 0);
  const alone = cy
    .nodes()
    .not(linked)
    .sort((a, b) => a.data("name").localeCompare(b.data("name")));
  const part = linked.union(linked.connectedEdges());
  if (linked.nonempty()) {
    part
      .layout({
        name: "concentric",
        animate: false,
        fit: false,
        concentric: (node) => Math.log10(1 + node.data("total") / 1e9),
        levelWidth: () => 0.6,
        minNodeSpacing: 30,
      })
      .run();
    part
      .layout({
        name: "cose",
        randomize: false,
        animate: false,
        fit: false,
        nodeDimensionsIncludeLabels: false,
        idealEdgeLength: () => 90,
        edgeElasticity: () => 80,
        nodeRepulsion: () => 40000,
        nodeOverlap: 12,
        gravity: 0.4,
        componentSpacing: 50,
        numIter: 2500,
        initialTemp: 600,
      })
      .run();
  }
  // The grid is planned in screen pixels (cells of 140 x 24 px at the zoom that will fit
  // everything), so its labels neither overlap nor crowd out the graph.
  const box = linked.nonempty() ? linked.boundingBox() : { x1: 0, x2: 0, y1: 0, w: 1, h: 1 };
  const [W, H] = [cy.width(), cy.height()];
  const rows = Math.max(1, Math.floor((H - 60) / 24));
  const cols = Math.ceil(alone.length / rows);
  const gridW = cols ? cols * 140 + 40 : 0;
  const z = Math.min(1.4, (W - gridW - 60) / Math.max(box.w, 1), (H - 60) / Math.max(box.h, 1));
  const zoom = Math.max(z, 0.05);
  alone.forEach((node, i) => {
    node.position({
      x: box.x2 + (40 + Math.floor(i / rows) * 140) / zoom,
      y: box.y1 + ((i % rows) * 24) / zoom,
    });
  });
  fitView();
  scaleLabels();
}

let labelScale = 1;

export function scaleLabels() {
  const k = Math.min(4, Math.max(1, 1 / cy.zoom()));
  if (Math.abs(k - labelScale) / labelScale < 0.08) return;
  labelScale = k;
  cy.style(cyStyle(k));
}

/** Fit the graph, but no closer than 1.4x: a small web should not fill the screen. */
export function fitView() {
  cy.resize();
  cy.fit(undefined, 30);
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center();
  }
}

export function drawGraph(graph, { relayout }) {
  const { nodes, edges } = elementsFor(graph);
  const known = new Set(cy.nodes().map((n) => n.id()));
  const fresh = nodes.length !== known.size || nodes.some((n) => !known.has(n.data.id));
  cy.batch(() => {
    cy.edges().remove();
    if (fresh) cy.nodes().remove();
    for (const n of nodes) {
      const el = cy.getElementById(n.data.id);
      if (el.nonempty()) {
        el.data(n.data);
        el.classes(n.classes);
      } else {
        cy.add(n);
      }
    }
    cy.add(edges);
  });
  renderLegend(); // before the layout: the legend's height sets the canvas's
  cy.resize();
  if (fresh || relayout) layout();
  applyStress();
  applyHighlight();
  if (state.selected) cy.getElementById(state.selected).addClass("focus");
  const inactive = graph.links.filter((l) => !l.counts).length;
  const live = graph.links.length - inactive;
  const inactiveText = inactive
    ? ` · ${inactive} paused, cancelled or not counting ${state.showInactive ? "(grey)" : "(hidden)"}`
    : "";
  $("graph-status").textContent =
    `${nodes.length} entities · ${live} commitments counting at ${state.asOf}` + inactiveText;
  document.body.dataset.asOf = state.asOf;
}

export async function loadGraph({ relayout = false } = {}) {
  const seq = ++graphSeq;
  const asOf = $("as-of").value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    $("graph-status").textContent = "Pick a date (YYYY-MM-DD).";
    return;
  }
  $("graph-status").textContent = `Loading the graph as of ${asOf}…`;
  document.body.dataset.loading = "graph";
  try {
    const graph = await api("graph?" + query({ format: "json", as_of: asOf }));
    if (seq !== graphSeq) return; // a later date was picked meanwhile
    state.graph = graph;
    state.asOf = asOf;
    hideBanner();
    drawGraph(graph, { relayout });
    fillShockEntities();
    syncUrl();
    if (state.selected) loadEntity(state.selected);
    if (state.stressRequest) runStress(state.stressRequest);
  } catch (error) {
    if (seq !== graphSeq) return;
    $("graph-status").textContent = "The graph could not be loaded.";
    showBanner(`Could not load the graph as of ${asOf}: ${error.message}`, () => loadGraph({ relayout }));
  } finally {
    if (seq === graphSeq) delete document.body.dataset.loading;
  }
}

export function redrawStyle() {
  if (!state.graph) return;
  drawGraph(state.graph, { relayout: false });
}

export function showTooltip(event, lines) {
  const tip = $("tooltip");
  tip.replaceChildren(...lines.map((line, i) => h(i === 0 ? "strong" : "div", {}, line)));
  const { x, y } = event.renderedPosition || { x: 0, y: 0 };
  tip.style.left = `${x + 14}px`;
  tip.style.top = `${y + 14}px`;
  tip.hidden = false;
}

export function edgeLines(e) {
  const d = e.data();
  return [
    `${nameOf(d.source)} → ${nameOf(d.target)}`,
    `${kindLabel(d.kind)} · ${d.amount}`,
    `${d.status}${d.counts ? "" : " (does not count)"} · ${
      d.binding === "false" ? "non-binding" : d.binding === "true" ? "binding" : "binding not known"
    } · announced ${d.announced}`,
  ];
}

/** Clicks, hovers and zoom on the graph. */
export function wireGraph() {
  cy.on("tap", "node", (e) => selectEntity(e.target.id()));
  cy.on("tap", "edge", (e) => showCommitment(e.target.data("cid")));
  cy.on("mouseover", "node", (e) => {
    const d = e.target.data();
    const lines = [
      d.name,
      [d.kind, d.sectors.join(", ")].filter(Boolean).join(" · "),
      `commitments counting: ${usdShort(d.total)}`,
    ];
    if (state.stress && d.distress !== undefined && e.target.hasClass("stressed"))
      lines.push(`loss: ${pct(d.distress)} of buffer`);
    showTooltip(e, lines);
  });
  cy.on("mouseover", "edge", (e) => showTooltip(e, edgeLines(e.target)));
  cy.on("mouseout", "node, edge", () => {
    $("tooltip").hidden = true;
  });
  let scaling = false;
  cy.on("zoom", () => {
    if (scaling) return;
    scaling = true;
    requestAnimationFrame(() => {
      scaling = false;
      scaleLabels();
    });
  });
  $("cy").addEventListener("mouseleave", () => {
    $("tooltip").hidden = true;
  });
  cy.on("pan zoom", () => {
    $("tooltip").hidden = true;
  });
}
