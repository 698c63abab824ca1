// The explorer page: the financing web drawn with cytoscape.js over the REST API.
// Native ES modules, no build step; cytoscape is the vendored global script. Colours come
// from palette.json (shared with neo4j/style.grass). window.aifg is a small hook for the
// browser tests and the console.

import { api, settled } from "./api.js";
import { $ } from "./dom.js";
import { selectEntity } from "./entity.js";
import { exportPng, exportSvg } from "./exporter.js";
import { isoToday, pct } from "./format.js";
import { fitView, loadGraph, redrawStyle, wireGraph } from "./graph.js";
import { cyStyle } from "./style.js";
import { hideBanner, showBanner } from "./messages.js";
import { wireSearch } from "./search.js";
import { PULL_BACK, scenarioOf } from "./scenario.js";
import { cy, readUrl, setCy, setPalette, state, syncUrl } from "./state.js";
import { clearStress, runStress } from "./stress.js";
import { renderTable } from "./table.js";
import { startTimeline } from "./timeline.js";

export function showTab(name) {
  for (const tab of ["entity", "domino"]) {
    const selected = tab === name;
    $("tab-" + tab).setAttribute("aria-selected", String(selected));
    $("tab-" + tab).tabIndex = selected ? 0 : -1;
    $("panel-" + tab).hidden = !selected;
  }
}

function wire() {
  $("colour-by").addEventListener("change", (e) => {
    state.colourBy = e.target.value;
    syncUrl();
    redrawStyle();
  });
  $("show-inactive").addEventListener("change", (e) => {
    state.showInactive = e.target.checked;
    syncUrl();
    redrawStyle();
  });
  $("fit").addEventListener("click", fitView);
  $("export-png").addEventListener("click", exportPng);
  $("export-svg").addEventListener("click", exportSvg);
  $("copy-link").addEventListener("click", copyLink);
  $("view-graph").addEventListener("click", () => setView("graph"));
  $("view-table").addEventListener("click", () => setView("table"));
  $("banner-close").addEventListener("click", hideBanner);
  wireSearch();

  for (const tab of ["entity", "domino"]) {
    $("tab-" + tab).addEventListener("click", () => showTab(tab));
    $("tab-" + tab).addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const other = tab === "entity" ? "domino" : "entity";
        showTab(other);
        $("tab-" + other).focus();
      }
    });
  }

  $("severity").addEventListener("input", (e) => {
    $("severity-out").textContent = pct(Number(e.target.value));
  });
  $("model").addEventListener("change", fitFormToModel);
  $("domino-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runStress(scenarioOf($("shock-entity").value, $("severity").value, $("model").value, $("buffer").value));
  });
  $("clear-stress").addEventListener("click", clearStress);
  wireGraph();
}

/** The form asks what the model takes: who fails and how badly, or who pulls back how much. */
function fitFormToModel() {
  const pullBack = $("model").value === PULL_BACK;
  $("shock-entity-label").textContent = pullBack ? "Entity that pulls back" : "Entity that fails";
  $("severity-label").textContent = pullBack ? "Share of its commitments cut" : "Severity";
  // The pull-back counts lost inflows, not losses against a buffer.
  $("buffer").disabled = pullBack;
}

/** The picture or the table of what it shows. */
function setView(view) {
  state.view = view;
  const table = view === "table";
  $("view-graph").setAttribute("aria-pressed", String(!table));
  $("view-table").setAttribute("aria-pressed", String(table));
  $("table-view").hidden = !table;
  $("cy").hidden = table;
  document.querySelector(".graph-tools").hidden = table;
  document.body.dataset.view = view;
  syncUrl();
  if (table) renderTable();
  else if (state.graph) {
    cy.resize();
    fitView();
  }
}

/** Put the page in the state a URL asks for (readUrl), before anything is drawn. */
function applyUrl(asked) {
  state.colourBy = asked.colourBy;
  state.showInactive = asked.showInactive;
  $("colour-by").value = asked.colourBy;
  $("show-inactive").checked = asked.showInactive;
}

function copyLink() {
  const done = (text) => {
    $("copy-link").textContent = text;
    setTimeout(() => ($("copy-link").textContent = "Copy link"), 1500);
  };
  navigator.clipboard.writeText(location.href).then(
    () => done("Link copied"),
    () => done("Copy the address bar"),
  );
}

async function start() {
  const asked = readUrl(location.search);
  const initial = asked.asOf || isoToday();
  $("as-of").value = initial;
  let palette;
  try {
    palette = await api("static/palette.json");
  } catch (error) {
    $("graph-status").textContent = "The page could not start.";
    showBanner(`Could not load the colour palette: ${error.message}`, () => location.reload());
    throw error;
  }
  setPalette(palette);
  // cytoscape.js is the vendored global script (static/vendor/cytoscape.min.js).
  setCy(window.cytoscape({ container: $("cy"), style: cyStyle(), minZoom: 0.1, maxZoom: 4, selectionType: "single" }));
  window.aifg.cy = cy;
  window.aifg.palette = palette;
  applyUrl(asked);
  // On a phone the legend starts folded: the graph gets the height.
  if (window.matchMedia("(max-width: 800px)").matches) $("legend-box").open = false;
  wire();
  try {
    await startTimeline({ load: () => loadGraph(), drawn: settled, initial });
  } catch (error) {
    showBanner(`Could not load the timeline: ${error.message}`, () => location.reload());
  }
  await loadGraph({ open: asked.open });
  if (asked.view !== "graph") setView(asked.view);
  if (asked.entity && state.names.has(asked.entity)) selectEntity(asked.entity);
  if (asked.scenario && state.names.has(asked.scenario.entity)) {
    const r = asked.scenario;
    $("shock-entity").value = r.entity;
    $("severity").value = String(r.severity);
    $("severity-out").textContent = pct(r.severity);
    $("model").value = r.model;
    $("buffer").value = r.buffer;
    fitFormToModel();
    showTab("domino");
    runStress(r);
  }
}

window.aifg = {
  cy: null,
  palette: null,
  state,
  /** Resolves when no request is in flight (the page has settled). */
  settled,
  /** The drawn edge of a commitment (an empty collection when it is not drawn). */
  edge: (cid) => cy.getElementById("c:" + cid),
};
window.aifg.ready = start();
