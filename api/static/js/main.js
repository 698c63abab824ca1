// The explorer page: the financing web drawn with cytoscape.js over the REST API.
// Native ES modules, no build step; cytoscape is the vendored global script. Colours come
// from palette.json (shared with neo4j/style.grass). window.aifg is a small hook for the
// browser tests and the console.

import { api, settled } from "./api.js";
import { $ } from "./dom.js";
import { selectEntity } from "./entity.js";
import { isoToday, ISO_DATE, pct } from "./format.js";
import { fitView, loadGraph, redrawStyle, wireGraph } from "./graph.js";
import { cyStyle } from "./style.js";
import { hideBanner, showBanner } from "./messages.js";
import { wireSearch } from "./search.js";
import { cy, setCy, setPalette, state } from "./state.js";
import { clearStress, runStress } from "./stress.js";
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
    redrawStyle();
  });
  $("show-inactive").addEventListener("change", (e) => {
    state.showInactive = e.target.checked;
    redrawStyle();
  });
  $("fit").addEventListener("click", fitView);
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
  $("domino-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runStress({
      shocks: [{ entity: $("shock-entity").value, severity: Number($("severity").value) }],
      model: $("model").value,
      buffer: $("buffer").value,
    });
  });
  $("clear-stress").addEventListener("click", clearStress);
  wireGraph();
}

async function start() {
  const params = new URLSearchParams(location.search);
  const initial = ISO_DATE.test(params.get("as_of") || "") ? params.get("as_of") : isoToday();
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
  wire();
  try {
    await startTimeline({ load: () => loadGraph(), drawn: settled, initial });
  } catch (error) {
    showBanner(`Could not load the timeline: ${error.message}`, () => location.reload());
  }
  await loadGraph();
  const entity = params.get("entity");
  if (entity && state.names.has(entity)) selectEntity(entity);
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
