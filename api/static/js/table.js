// The table view: the commitments the picture draws at the date, one row each, sortable,
// for readers who would rather read than look and for screen readers.

import { kindLabel } from "./colours.js";
import { $, fill, h } from "./dom.js";
import { figure, money, usdFull } from "./format.js";
import { nameOf } from "./graph.js";
import { selectEntity, showCommitment } from "./entity.js";
import { state } from "./state.js";

// Column: [key, heading, value to sort by (null sorts last), numeric].
const COLUMNS = [
  ["from", "Payer", (l) => nameOf(l.source), false],
  ["to", "Recipient", (l) => nameOf(l.target), false],
  ["kind", "Kind", (l) => kindLabel(l.kind), false],
  ["usd", "Amount", (l) => l.usd, true],
  ["counted", "Counts for", (l) => l.counted_usd, true],
  ["status", "Status", (l) => l.status, false],
  ["announced", "Announced", (l) => l.announced, false],
  ["source", "Lead source", (l) => l.source_publisher || l.source_url, false],
];

let sort = { key: "usd", descending: true };

function rows() {
  return state.graph.links.filter((l) => l.counts || state.showInactive);
}

function sorted(links) {
  const [, , value] = COLUMNS.find(([key]) => key === sort.key);
  const sign = sort.descending ? -1 : 1;
  return links.slice().sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || x === undefined) return y === null || y === undefined ? a.id.localeCompare(b.id) : 1;
    if (y === null || y === undefined) return -1;
    const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    return sign * order || a.id.localeCompare(b.id);
  });
}

function amountCell(l) {
  if (l.usd === null) return h("td", { class: "num", dataset: { usd: "" } }, h("abbr", { title: "not disclosed" }, "n/d"));
  return h("td", { class: "num", title: usdFull(l.usd), dataset: { usd: String(l.usd) } }, figure(l));
}

// What a commitment counts for at the date: a figure, "n/d" where it counts but its amount
// (or its remainder beyond its parts) is not disclosed, "none" where it does not count.
function countedCell(l) {
  if (!l.counts) return h("td", { class: "num" }, h("abbr", { title: "does not count at this date" }, "none"));
  return h("td", { class: "num" }, money(l.counted_usd));
}

function row(l) {
  const tr = h(
    "tr",
    { dataset: { id: l.id }, class: l.counts ? "" : "inactive" },
    h("td", {}, h("button", { type: "button", class: "link", onclick: () => selectEntity(l.source) }, nameOf(l.source))),
    h("td", {}, h("button", { type: "button", class: "link", onclick: () => selectEntity(l.target) }, nameOf(l.target))),
    h("td", {}, h("button", { type: "button", class: "link", onclick: () => showCommitment(l.id) }, kindLabel(l.kind))),
    amountCell(l),
    countedCell(l),
    h("td", {}, l.status + (l.counts ? "" : " (does not count)")),
    h("td", { class: "date" }, l.announced),
    h(
      "td",
      {},
      h("a", { href: l.source_url, target: "_blank", rel: "noopener noreferrer" }, l.source_publisher || l.source_url),
      l.source_kind ? h("span", { class: "muted" }, ` · ${l.source_kind}`) : null,
    ),
  );
  // Each cell names its column, for the one-card-per-row layout on a phone.
  [...tr.cells].forEach((cell, i) => (cell.dataset.label = COLUMNS[i][1]));
  return tr;
}

/** Draw the table for state.graph (when the table view is on). */
export function renderTable() {
  if (state.view !== "table" || !state.graph) return;
  const links = rows();
  const heading = COLUMNS.find(([key]) => key === sort.key)[1].toLowerCase();
  fill(
    $("table-view"),
    h(
      "table",
      { class: "data commitments", id: "commitments-table" },
      h(
        "caption",
        {},
        `${links.length} commitments ${state.showInactive ? "announced by" : "counting at"} ${state.asOf}, ` +
          `sorted by ${heading}, ${sort.descending ? "descending" : "ascending"}`,
      ),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          COLUMNS.map(([key, label, , numeric]) =>
            h(
              "th",
              {
                scope: "col",
                class: numeric ? "num" : null,
                "aria-sort": sort.key === key ? (sort.descending ? "descending" : "ascending") : "none",
              },
              h(
                "button",
                {
                  type: "button",
                  class: "sort",
                  dataset: { key },
                  onclick: () => {
                    sort = { key, descending: sort.key === key ? !sort.descending : numeric };
                    renderTable();
                    $("table-view").querySelector(`button[data-key="${key}"]`).focus();
                  },
                },
                label,
              ),
            ),
          ),
        ),
      ),
      h("tbody", {}, sorted(links).map(row)),
    ),
  );
}
