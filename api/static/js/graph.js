// The graph view: the elements drawn at a date, at the positions of the whole history.

import { api, query } from "./api.js";
import { kindColour, kindLabel, nodeColours } from "./colours.js";
import { $, h } from "./dom.js";
import { applyHighlight, loadEntity, selectEntity, showCommitment, showFold } from "./entity.js";
import { findFolds } from "./folds.js";
import { amountText, atLeastText, figure, pct, shortName } from "./format.js";
import { placeLabels } from "./labels.js";
import { computeLayout, FRAME } from "./layout.js";
import { renderLegend } from "./legend.js";
import { hideBanner, showBanner } from "./messages.js";
import { cy, state, syncUrl } from "./state.js";
import { applyStress, fillShockEntities, runStress } from "./stress.js";
import { cyStyle } from "./style.js";
import { renderTable } from "./table.js";

const HUBS = 12; // the largest entities at the date: captioned before any figure
const MAJOR = 30; // captions at full size
// Figures on the picture: the largest commitments counting at the date, every one of
// $10B or more and at least the top TOP_FIGURES, at most MAX_FIGURES; "n/d" on the
// undisclosed ones between two hubs.
const TOP_FIGURES = 20;
const BIG = 10e9;
const MAX_FIGURES = 30;
// The whole history: every commitment announced by then, for the layout and the folds.
const END_OF_TIME = "9999-12-31";
let graphSeq = 0;

/** An entity's name, whether or not it is drawn. */
export function nameOf(id) {
  const entity = state.names.get(id);
  return entity ? entity.name : id;
}

/** The node that stands for an entity in the picture: itself, or its fold while folded. */
export function nodeOf(id) {
  const fold = state.folds.foldOf.get(id);
  return fold && !state.open.has(fold) ? fold : id;
}

function nodeSize(usd) {
  // Area grows with log(amount): $1B -> ~22px, $100B -> ~38px, $1T -> ~44px at most.
  return usd > 0 ? Math.min(44, 16 + 10 * Math.log10(1 + usd / 1e9)) : 14;
}

function edgeWidth(usd) {
  return usd > 0 ? 1.2 + 1.9 * Math.log10(1 + usd / 1e9) : 1.2;
}

/** The whole history once: where every node sits (layout.js) and which groups fold. */
export async function loadUniverse() {
  const universe = await api("graph?" + query({ format: "json", as_of: END_OF_TIME }));
  state.names = new Map(universe.nodes.map((n) => [n.id, n]));
  state.folds = findFolds(universe);
  const faces = new Map();
  for (const l of universe.links) {
    for (const id of [l.source, l.target]) {
      const at = state.folds.foldOf.get(id) || id;
      faces.set(at, (faces.get(at) || 0) + (l.usd || 0));
    }
  }
  state.positions = computeLayout(universe, state.folds, (id) => nodeSize(faces.get(id) || 0));
}

/** The commitments whose figure the picture prints: id -> its rank (0 for the largest). */
function figuredLinks(links, hubs) {
  const counting = links.filter((l) => l.counts);
  const known = counting.filter((l) => l.usd !== null).sort((a, b) => b.usd - a.usd || a.id.localeCompare(b.id));
  const chosen = known.filter((l, i) => i < TOP_FIGURES || l.usd >= BIG).slice(0, MAX_FIGURES);
  const unknown = counting
    .filter((l) => l.usd === null && hubs.has(l.source) && hubs.has(l.target))
    .sort((a, b) => a.id.localeCompare(b.id));
  return new Map([...chosen, ...unknown].map((l, i) => [l.id, i]));
}

/** Which label goes first: the hubs' captions, then figures, then the other captions. */
function labelPriority(ele) {
  if (ele.isEdge()) return ele.hasClass("figured") ? 1000 + ele.data("rank") : null;
  const rank = ele.data("rank");
  return rank < HUBS ? rank : 2000 + rank;
}

export function placeAllLabels() {
  return placeLabels(cy, labelPriority);
}

function nodeData(id, counted, undisclosed) {
  const fold = state.folds.folds.get(id);
  const entity = fold ? state.names.get(fold.members[0]) : state.names.get(id);
  const sectors = entity.sectors ? entity.sectors.split(",") : [];
  const data = {
    id,
    name: fold ? fold.name : entity.name,
    label: fold ? fold.label : shortName(entity.name),
    kind: entity.kind,
    sectors,
    fold: fold ? fold.members : null,
    // Unknown, not 0, where every commitment that counts lacks a figure.
    counted: counted.has(id) ? counted.get(id) : undisclosed.has(id) ? null : 0,
    undisclosed: undisclosed.get(id) || 0,
    size: nodeSize(counted.get(id) || 0),
  };
  return Object.assign(data, nodeColours(data));
}

/** Cytoscape elements for the graph at state.asOf: the commitments drawn and their ends. */
function elementsFor(graph) {
  const links = graph.links.filter((l) => l.counts || state.showInactive);
  // A node's size: what its commitments count for at the date, as the API says (counted_usd).
  const counted = new Map();
  const undisclosed = new Map();
  for (const l of links) {
    for (const id of new Set([nodeOf(l.source), nodeOf(l.target)])) {
      if (l.counted_usd !== null) counted.set(id, (counted.get(id) || 0) + l.counted_usd);
      else if (l.counts) undisclosed.set(id, (undisclosed.get(id) || 0) + 1);
    }
  }
  const ids = [...new Set(links.flatMap((l) => [nodeOf(l.source), nodeOf(l.target)]))].filter((id) =>
    state.positions.has(id),
  );
  ids.sort((a, b) => (counted.get(b) || 0) - (counted.get(a) || 0) || a.localeCompare(b));
  const rank = new Map(ids.map((id, i) => [id, i]));
  const figured = figuredLinks(
    links.map((l) => ({ ...l, source: nodeOf(l.source), target: nodeOf(l.target) })),
    new Set(ids.slice(0, HUBS)),
  );
  const nodes = ids.map((id) => {
    const data = nodeData(id, counted, undisclosed);
    data.rank = rank.get(id);
    return {
      group: "nodes",
      data,
      position: { ...state.positions.get(id) },
      classes: [data.fold ? "fold" : "", rank.get(id) < MAJOR ? "" : "minor"].join(" ").trim(),
    };
  });
  const edges = links
    .filter((l) => rank.has(nodeOf(l.source)) && rank.has(nodeOf(l.target)))
    .map((l) => {
      const classes = [];
      if (l.binding === "false") classes.push("nonbinding");
      if (l.usd === null) classes.push("undisclosed");
      if (!l.counts) classes.push("inactive");
      if (figured.has(l.id)) classes.push("figured");
      return {
        group: "edges",
        data: {
          id: "c:" + l.id,
          cid: l.id,
          source: nodeOf(l.source),
          target: nodeOf(l.target),
          from: l.source,
          to: l.target,
          kind: l.kind,
          usd: l.usd,
          counts: l.counts,
          status: l.status,
          binding: l.binding,
          announced: l.announced,
          amount: amountText(l),
          figure: figure(l),
          rank: figured.get(l.id) ?? null,
          mx: 0,
          my: 0,
          width: edgeWidth(l.usd),
          colour: kindColour(l.kind),
        },
        classes: classes.join(" "),
      };
    });
  return { nodes, edges };
}

let labelScale = 1;

/** Keep labels' size on screen when zoomed out, and place them again when that changes. */
export function scaleLabels(force = false) {
  const k = Math.min(4, Math.max(1, 1 / cy.zoom()));
  if (!force && Math.abs(k - labelScale) / labelScale < 0.08) return;
  labelScale = k;
  cy.style(cyStyle(k));
  placeAllLabels();
}

/** The whole history's frame in view (so a date change moves nothing on screen). */
export function fitView() {
  cy.resize();
  const pad = 16;
  const zoom = Math.min((cy.width() - 2 * pad) / FRAME.w, (cy.height() - 2 * pad) / FRAME.h, 1.4);
  cy.viewport({ zoom, pan: { x: (cy.width() - zoom * FRAME.w) / 2, y: (cy.height() - zoom * FRAME.h) / 2 } });
  scaleLabels(true);
}

export function drawGraph(graph, { fit = false } = {}) {
  const { nodes, edges } = elementsFor(graph);
  cy.batch(() => {
    cy.elements().remove();
    cy.add(nodes);
    cy.add(edges);
  });
  renderLegend(); // before fitting: the legend's height sets the canvas's
  if (fit) fitView();
  else placeAllLabels();
  applyStress();
  applyHighlight();
  if (state.selected) cy.getElementById(nodeOf(state.selected)).addClass("focus");
  const inactive = graph.links.filter((l) => !l.counts).length;
  const live = graph.links.length - inactive;
  const inactiveText = inactive
    ? ` · ${inactive} paused, cancelled or not counting ${state.showInactive ? "(grey)" : "(hidden)"}`
    : "";
  const entities = new Set(graph.links.filter((l) => l.counts || state.showInactive).flatMap((l) => [l.source, l.target]));
  $("graph-status").textContent =
    `${entities.size} entities · ${live} commitments counting at ${state.asOf}` + inactiveText;
  renderTable();
  document.body.dataset.asOf = state.asOf;
}

export async function loadGraph({ fit = false, open = [] } = {}) {
  const seq = ++graphSeq;
  const asOf = $("as-of").value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    $("graph-status").textContent = "Pick a date (YYYY-MM-DD).";
    return;
  }
  $("graph-status").textContent = `Loading the graph as of ${asOf}…`;
  document.body.dataset.loading = "graph";
  try {
    if (!state.positions) {
      await loadUniverse();
      for (const id of open) if (state.folds.folds.has(id)) state.open.add(id);
    }
    const graph = await api("graph?" + query({ format: "json", as_of: asOf }));
    if (seq !== graphSeq) return; // a later date was picked meanwhile
    state.graph = graph;
    state.asOf = asOf;
    hideBanner();
    drawGraph(graph, { fit: fit || !state.fitted });
    state.fitted = true;
    fillShockEntities();
    syncUrl();
    if (state.selected) loadEntity(state.selected);
    if (state.scenario) runStress(state.scenario);
  } catch (error) {
    if (seq !== graphSeq) return;
    $("graph-status").textContent = "The graph could not be loaded.";
    showBanner(`Could not load the graph as of ${asOf}: ${error.message}`, () => loadGraph({ fit }));
  } finally {
    if (seq === graphSeq) delete document.body.dataset.loading;
  }
}

export function redrawStyle() {
  if (!state.graph) return;
  drawGraph(state.graph);
}

/** Open a folded group in the picture (its members appear around it), or fold it again. */
export function toggleFold(foldId, open) {
  if (open) state.open.add(foldId);
  else state.open.delete(foldId);
  syncUrl();
  redrawStyle();
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
    `${nameOf(d.from)} → ${nameOf(d.to)}`,
    `${kindLabel(d.kind)} · ${d.amount}`,
    `${d.status}${d.counts ? "" : " (does not count)"} · ${
      d.binding === "false" ? "non-binding" : d.binding === "true" ? "binding" : "binding not known"
    } · announced ${d.announced}`,
  ];
}

function nodeLines(node) {
  const d = node.data();
  const lines = [d.name];
  if (d.fold) lines.push(`${d.fold.length} groups, folded: click to open`);
  else lines.push([d.kind, d.sectors.join(", ")].filter(Boolean).join(" · "));
  lines.push(
    `counting at the date: ${atLeastText(d.counted, d.undisclosed)}`,
  );
  if (state.stress && d.distress !== undefined && node.hasClass("stressed"))
    lines.push(`loss: ${pct(d.distress)} of buffer`);
  return lines;
}

/** Clicks, hovers and zoom on the graph. */
export function wireGraph() {
  cy.on("tap", "node", (e) => {
    const fold = e.target.data("fold");
    if (fold) {
      toggleFold(e.target.id(), true);
      showFold(e.target.id());
    } else selectEntity(e.target.id());
  });
  cy.on("tap", "edge", (e) => showCommitment(e.target.data("cid")));
  cy.on("mouseover", "node", (e) => showTooltip(e, nodeLines(e.target)));
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
