// What the page shows, in one place, and the URL that reopens it.

import { scenarioOf } from "./scenario.js";

export const state = {
  asOf: null, // the date the drawn graph is for (YYYY-MM-DD)
  graph: null, // the last /graph JSON
  colourBy: "sector",
  showInactive: false,
  selected: null, // entity id shown in the side panel
  cycles: [], // the selected entity's loops
  highlighted: null, // index into cycles, or null
  scenario: null, // the last scenario run (scenario.js), re-run when the date changes
  stress: null, // its report
  names: new Map(), // every entity of the whole history, by id
  folds: { foldOf: new Map(), folds: new Map() }, // folds.js
  open: new Set(), // folds the reader opened
  positions: null, // id -> {x, y} for the whole history (layout.js)
  fitted: false,
  view: "graph", // or "table"
};

/** The cytoscape instance and the palette (palette.json), set once at start. */
export let cy = null;
export let palette = null;

export function setPalette(loaded) {
  palette = loaded;
}

export function setCy(instance) {
  cy = instance;
}

const VIEWS = ["graph", "table"];

/**
 * The URL reopens what was seen: ?as_of=2026-01-29&entity=oracle&view=table
 * &scenario=openai,1,debtrank,equity (who fails or pulls back, how much, model, buffer)
 * &open=fold:coreweave&colour=kind&inactive=1.
 */
export function syncUrl() {
  const params = new URLSearchParams();
  params.set("as_of", state.asOf);
  if (state.selected) params.set("entity", state.selected);
  const r = state.scenario;
  if (r) params.set("scenario", [r.entity, r.severity, r.model, r.buffer].join(","));
  if (state.view !== "graph") params.set("view", state.view);
  if (state.open.size) params.set("open", [...state.open].sort().join(","));
  if (state.colourBy !== "sector") params.set("colour", state.colourBy);
  if (state.showInactive) params.set("inactive", "1");
  const search = "?" + params.toString().replaceAll("%2C", ",").replaceAll("%3A", ":");
  if (search !== location.search) history.replaceState(null, "", search);
}

/** What a URL asks for; anything malformed is left out (the page's defaults apply). */
export function readUrl(search) {
  const params = new URLSearchParams(search);
  const asked = {
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(params.get("as_of") || "") ? params.get("as_of") : null,
    entity: params.get("entity"),
    view: VIEWS.includes(params.get("view")) ? params.get("view") : "graph",
    open: (params.get("open") || "").split(",").filter(Boolean),
    colourBy: params.get("colour") === "kind" ? "kind" : "sector",
    showInactive: params.get("inactive") === "1",
    scenario: scenarioOf(...(params.get("scenario") || "").split(",")),
  };
  return asked;
}
