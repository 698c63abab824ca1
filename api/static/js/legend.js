// The legend under the graph: what the colours, lines and sizes mean, for what is drawn.

import { $, h } from "./dom.js";
import { cy, palette, state } from "./state.js";

function swatch(colour, shape) {
  return h("span", { class: "swatch " + (shape || "dot"), style: `--c: ${colour}` });
}

function legendGroup(title, ...rows) {
  return h("div", { class: "group" }, h("h4", {}, title), h("div", { class: "rows" }, rows));
}

function legendRow(colour, shape, text) {
  return h("span", { class: "row" }, swatch(colour, shape), text);
}

export function renderLegend() {
  const groups = [];
  if (state.stress) {
    const pullBack = state.stress.model === "pull_back";
    groups.push(
      legendGroup(
        pullBack ? "Lost inflow relative to revenue" : "Loss relative to buffer",
        h(
          "span",
          { class: "row" },
          "0%",
          h("span", {
            class: "ramp",
            style: `--ramp: linear-gradient(90deg, ${palette.distress.ramp.join(",")})`,
          }),
          "100%",
        ),
        legendRow(
          palette.distress.unpriced,
          "ring",
          pullBack ? "may lose inflow, amount not disclosed" : "exposed, amount not disclosed",
        ),
        legendRow(palette.distress.none, "dot", "not hit"),
        legendRow("#000", "ring-solid", pullBack ? "pulls back" : "shocked"),
      ),
    );
  } else {
    const present = new Set(cy.nodes().map((n) => n.data("colour")));
    const all =
      state.colourBy === "kind"
        ? Object.values(palette.entity_kinds).map((k) => ({ name: k.label, color: k.color }))
        : [...palette.sector_groups, palette.other_sector];
    groups.push(
      legendGroup(
        state.colourBy === "kind" ? "Entity kind" : "Sector",
        all.filter((g) => present.has(g.color)).map((g) => legendRow(g.color, "dot", g.name)),
      ),
    );
  }
  const kinds = new Set(cy.edges().map((e) => e.data("kind")));
  groups.push(
    legendGroup(
      "Commitment, payer → recipient",
      Object.entries(palette.commitment_kinds)
        .filter(([kind]) => kinds.has(kind))
        .map(([, k]) => legendRow(k.color, "line", k.label)),
    ),
    legendGroup(
      "Line",
      legendRow("#555", "dashed", "non-binding"),
      legendRow("#555", "dotted", "amount not disclosed"),
      state.showInactive ? legendRow(palette.inactive.color, "line", "paused or cancelled") : null,
      h("span", { class: "row muted" }, "width: amount (log) · node size: what counts at the date"),
    ),
  );
  $("legend").replaceChildren(...groups);
}
