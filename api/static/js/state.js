// What the page shows, in one place, and the URL that reopens it.

export const state = {
  asOf: null, // the date the drawn graph is for (YYYY-MM-DD)
  graph: null, // the last /graph JSON
  colourBy: "sector",
  showInactive: false,
  selected: null, // entity id shown in the side panel
  cycles: [], // the selected entity's loops
  highlighted: null, // index into cycles, or null
  stressRequest: null, // the last scenario run, re-run when the date changes
  stress: null, // its report
  names: new Map(), // every entity of the whole history, by id
  folds: { foldOf: new Map(), folds: new Map() }, // folds.js
  open: new Set(), // folds the reader opened
  positions: null, // id -> {x, y} for the whole history (layout.js)
  fitted: false,
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

export function syncUrl() {
  const params = new URLSearchParams(location.search);
  params.set("as_of", state.asOf);
  if (state.selected) params.set("entity", state.selected);
  else params.delete("entity");
  history.replaceState(null, "", "?" + params.toString());
}
