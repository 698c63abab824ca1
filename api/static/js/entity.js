// The entity panel (exposure both ways, look-through, loops) and the commitment panel.

import { api, query } from "./api.js";
import { kindLabel } from "./colours.js";
import { $, fill, h } from "./dom.js";
import { atLeast, money, notKnown, pct, share, usdShort } from "./format.js";
import { nameOf, nodeOf, toggleFold } from "./graph.js";
import { showTab } from "./main.js";
import { panelError } from "./messages.js";
import { cy, state, syncUrl } from "./state.js";

let entitySeq = 0;

/** A panel table: its caption for screen readers, header cells, body rows. */
function dataTable(caption, headers, rows) {
  return h(
    "table",
    { class: "data" },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, headers)),
    h("tbody", {}, rows),
  );
}

export function exposureTable(report, caption) {
  if (!report.counterparties.length) return h("p", { class: "muted" }, "None at this date.");
  const headers = [
    h("th", { scope: "col" }, "Counterparty, kinds"),
    h("th", { scope: "col", class: "num" }, "USD"),
    h("th", { scope: "col", class: "num" }, "A year"),
    h("th", { scope: "col", class: "num" }, "Share"),
    h("th", { scope: "col", class: "num", title: "of the exposed party's latest revenue" }, "Of revenue"),
  ];
  const rows = report.counterparties.map((c) => {
    // The API says what is unknown (null) and how many figures a sum lacks.
    const amount = [
      c.usd === null ? "" : (c.up_to ? "up to " : "") + (c.estimate ? "est. " : ""),
      atLeast(c.usd, c.undisclosed),
    ];
    const revenue = c.exposed_revenue;
    return h(
      "tr",
      { dataset: { id: c.id } },
      // The kinds under the name: six columns do not fit the side panel.
      h("td", {}, entityButton(c.id, c.name), h("div", { class: "kinds" }, c.kinds.map(kindLabel).join(", "))),
      h("td", { class: "num" }, amount),
      h("td", { class: "num" }, perYearCell(c)),
      h("td", { class: "num" }, share(c.share, "its amount is not disclosed")),
      h(
        "td",
        { class: "num", title: revenue ? `revenue ${usdShort(revenue.usd)} (${revenue.period || revenue.as_of})` : "" },
        share(c.share_of_revenue, revenue ? "its amount is not disclosed" : "no revenue figure for the exposed party"),
      ),
    );
  });
  // The API pages a hub's counterparties; its totals still cover them all.
  const more = report.counterparty_count - report.offset - rows.length;
  return [
    dataTable(caption, headers, rows),
    more > 0 ? h("p", { class: "muted" }, `The largest ${rows.length} of ${report.counterparty_count} counterparties.`) : null,
  ];
}

// A year's worth covers only the commitments with a term or a per-year figure and an
// amount: the cell says so when that is not all of them.
function perYearCell(c) {
  if (c.usd_per_year === null) {
    return notKnown(`none of its ${c.commitment_count} commitments has both a term and a figure`);
  }
  if (c.per_year_count === c.commitment_count) return money(c.usd_per_year);
  return h(
    "span",
    { title: `a year's worth of ${c.per_year_count} of its ${c.commitment_count} commitments; the others have no term or no figure` },
    money(c.usd_per_year),
    h("span", { class: "muted" }, ` (${c.per_year_count} of ${c.commitment_count})`),
  );
}

export function lookThroughTable(report, caption) {
  const rows = report.look_through.filter((l) => l.id !== report.entity).slice(0, 12);
  if (!rows.length) return h("p", { class: "muted" }, "None at this date.");
  const headers = [
    h("th", { scope: "col" }, "Entity"),
    h("th", { scope: "col", class: "num" }, "USD"),
    h("th", { scope: "col" }, "Largest path"),
  ];
  return dataTable(
    caption,
    headers,
    rows.map((l) =>
      h(
        "tr",
        { dataset: { id: l.id } },
        h("td", {}, entityButton(l.id, l.name)),
        h("td", { class: "num" }, money(l.usd)),
        h("td", { class: "path" }, l.paths.length ? l.paths[0].path.map(nameOf).join(" → ") : ""),
      ),
    ),
  );
}

export function entityButton(id, name) {
  return h(
    "button",
    { type: "button", class: "link", onclick: () => selectEntity(id, { centre: true }) },
    name,
  );
}

export function keyFact(id, label, report, whose) {
  const top = report.counterparties.find((c) => c.usd > 0);
  if (!top && report.counterparty_count)
    return h("p", { id, class: "key-fact muted" }, `${label}: not known (no figure disclosed).`);
  if (!top) return h("p", { id, class: "key-fact muted" }, `${label}: none at this date.`);
  return h(
    "p",
    { id, class: "key-fact", dataset: { id: top.id, usd: String(top.usd) } },
    `${label}: `,
    h("strong", { class: "name" }, top.name),
    " ",
    money(top.usd),
    ` (${pct(top.share)} of ${whose})`,
  );
}

export function cyclesList(report) {
  if (!report.cycles.length) return h("p", { class: "muted" }, "Not on any loop at this date.");
  return h(
    "ol",
    { class: "cycles" },
    report.cycles.map((cycle, i) =>
      h(
        "li",
        {},
        h("span", { class: "loop" }, cycle.entities.map(nameOf).join(" → ")),
        h("span", { class: "muted" }, " round trip ", money(cycle.round_trip_usd)),
        " ",
        h(
          "button",
          {
            type: "button",
            class: "small-button",
            "aria-pressed": state.highlighted === i ? "true" : "false",
            dataset: { cycle: String(i) },
            onclick: () => toggleCycle(i),
          },
          "Highlight",
        ),
      ),
    ),
    report.truncated
      ? h("li", { class: "muted" }, "More loops exist; the API returned the largest.")
      : null,
  );
}

export function toggleCycle(i) {
  state.highlighted = state.highlighted === i ? null : i;
  applyHighlight();
  document.querySelectorAll("[data-cycle]").forEach((b) => {
    b.setAttribute("aria-pressed", String(Number(b.dataset.cycle) === state.highlighted));
  });
}

export function applyHighlight() {
  if (!cy) return;
  cy.elements().removeClass("dim hl");
  const cycle = state.highlighted === null ? null : state.cycles[state.highlighted];
  if (!cycle) return;
  const keep = cy.collection();
  for (const id of cycle.entities) keep.merge(cy.getElementById(nodeOf(id)));
  for (const hop of cycle.commitments) for (const cid of hop) keep.merge(cy.getElementById("c:" + cid));
  cy.elements().not(keep).addClass("dim");
  keep.addClass("hl");
}

/** For a member of a folded group: which group, and a button to fold it again. */
function foldNote(id) {
  const foldId = state.folds.foldOf.get(id);
  if (!foldId) return null;
  const fold = state.folds.folds.get(foldId);
  return h(
    "p",
    { class: "meta" },
    `One of ${fold.members.length} groups that deal only with ${nameOf(fold.counterparty)}. `,
    h("button", { type: "button", class: "small-button", onclick: () => foldAgain(foldId) }, "Fold them again"),
  );
}

function foldAgain(foldId) {
  if (state.folds.foldOf.get(state.selected) === foldId) state.selected = null;
  toggleFold(foldId, false);
  showFold(foldId);
}

/** The panel of a folded group: its members (opened in the picture when clicked). */
export function showFold(foldId) {
  const fold = state.folds.folds.get(foldId);
  entitySeq++;
  state.selected = null;
  state.highlighted = null;
  applyHighlight();
  showTab("entity");
  syncUrl();
  const opened = state.open.has(foldId);
  fill(
    $("entity-body"),
    h("h2", { id: "entity-name" }, fold.label),
    h(
      "p",
      { class: "meta" },
      `Unnamed groups (syndicates, bondholders, a round's other investors) that deal only with ${nameOf(fold.counterparty)}, ` +
        (opened ? "drawn one by one." : "folded into one node; each commitment keeps its own arrow."),
    ),
    h("ul", { class: "plain", id: "fold-members" }, fold.members.map((m) => h("li", {}, entityButton(m, nameOf(m))))),
    h(
      "p",
      {},
      h(
        "button",
        { type: "button", onclick: () => (opened ? foldAgain(foldId) : (toggleFold(foldId, true), showFold(foldId))) },
        opened ? "Fold them again" : "Open the group",
      ),
    ),
  );
}

export function selectEntity(id, { centre = false } = {}) {
  state.selected = id;
  state.highlighted = null;
  const fold = state.folds.foldOf.get(id);
  if (fold && !state.open.has(fold)) toggleFold(fold, true); // a member is shown as itself
  cy.elements().removeClass("focus");
  const node = cy.getElementById(nodeOf(id));
  node.addClass("focus");
  if (centre && node.nonempty()) cy.animate({ center: { eles: node }, duration: 250 });
  showTab("entity");
  syncUrl();
  loadEntity(id);
}

export async function loadEntity(id) {
  const seq = ++entitySeq;
  const body = $("entity-body");
  const asOf = state.asOf;
  fill(
    body,
    h("h2", {}, nameOf(id)),
    h("p", { class: "loading" }, `Loading exposure as of ${asOf}…`),
  );
  applyHighlight();
  const base = `entities/${encodeURIComponent(id)}`;
  const results = await Promise.allSettled([
    api(base),
    api(`${base}/exposure?` + query({ direction: "out", as_of: asOf, depth: 2 })),
    api(`${base}/exposure?` + query({ direction: "in", as_of: asOf, depth: 2 })),
    api("analysis/cycles?" + query({ entity: id, as_of: asOf })),
  ]);
  if (seq !== entitySeq) return;
  const [detail, out, inn, cycles] = results.map((r) => (r.status === "fulfilled" ? r.value : r.reason));
  const failed = (x) => x instanceof Error;
  const entity = failed(detail) ? null : detail.entity;
  const name = entity ? entity.name : nameOf(id);
  const meta = entity
    ? [entity.kind, entity.sectors.join(", "), entity.country, entity.ticker].filter(Boolean).join(" · ")
    : "";
  state.cycles = failed(cycles) ? [] : cycles.cycles;
  state.highlighted = null;
  applyHighlight();
  fill(
    body,
    h("h2", { id: "entity-name" }, name),
    meta ? h("p", { class: "meta" }, meta) : null,
    entity && entity.aliases.length
      ? h("p", { class: "meta" }, "Also: " + entity.aliases.join(", "))
      : null,
    foldNote(id),
    failed(detail) ? panelError(`Could not load ${id}: ${detail.message}`) : null,
    h("h3", {}, "Largest counterparties"),
    failed(out)
      ? panelError(`Exposure could not be loaded: ${out.message}`)
      : keyFact("largest-out", "Stands to lose most from", out, `what ${name} stands to lose`),
    failed(inn)
      ? null
      : keyFact("largest-in", "Would hurt most if it failed", inn, `what others stand to lose on ${name}`),
    h(
      "h3",
      {},
      `Stands to lose if they fail (out)`,
      failed(out) ? null : h("span", { class: "total" }, " ", atLeast(out.total_usd, out.undisclosed)),
    ),
    failed(out)
      ? null
      : h(
          "div",
          { id: "exposure-out" },
          exposureTable(out, `What ${name} stands to lose, by counterparty`),
        ),
    h(
      "h3",
      {},
      `Who loses if ${name} fails (in)`,
      failed(inn) ? null : h("span", { class: "total" }, " ", atLeast(inn.total_usd, inn.undisclosed)),
    ),
    failed(inn)
      ? panelError(`Exposure could not be loaded: ${inn.message}`)
      : h("div", { id: "exposure-in" }, exposureTable(inn, `Who stands to lose if ${name} fails`)),
    h("h3", {}, "Look-through exposure (depth 2)"),
    h(
      "p",
      { class: "small muted" },
      "Through intermediaries: each stakeholder's share of what is at stake in the next one, never more than any hop.",
    ),
    failed(out) ? null : h("h4", {}, `${name} to…`),
    failed(out)
      ? null
      : h("div", { id: "look-through-out" }, lookThroughTable(out, `${name}'s look-through exposure`)),
    failed(inn) ? null : h("h4", {}, `…to ${name}`),
    failed(inn)
      ? null
      : h("div", { id: "look-through-in" }, lookThroughTable(inn, `Look-through exposure to ${name}`)),
    h("h3", {}, "Circular financing loops"),
    failed(cycles)
      ? panelError(`Loops could not be loaded: ${cycles.message}`)
      : h("div", { id: "cycles" }, cyclesList(cycles)),
    h(
      "p",
      { class: "small" },
      h("a", { href: `${base}`, target: "_blank", rel: "noopener" }, "JSON"),
      " · ",
      h(
        "a",
        { href: `${base}/exposure?` + query({ as_of: asOf, depth: 2 }), target: "_blank", rel: "noopener" },
        "exposure JSON",
      ),
    ),
  );
}

export async function showCommitment(cid) {
  const seq = ++entitySeq;
  state.selected = null;
  state.highlighted = null;
  applyHighlight();
  showTab("entity");
  const body = $("entity-body");
  fill(body, h("h2", {}, cid), h("p", { class: "loading" }, "Loading the commitment…"));
  try {
    const c = await api(`commitments/${encodeURIComponent(cid)}`);
    if (seq !== entitySeq) return;
    const a = c.amount;
    fill(
      body,
      h("h2", {}, `${nameOf(c.from)} → ${nameOf(c.to)}`),
      h("p", { class: "meta" }, `${kindLabel(c.kind)} · ${c.id}`),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Amount"),
        h(
          "dd",
          {},
          a
            ? [
                a.as_written || "",
                a.as_written ? " · " : "",
                cy.getElementById("c:" + cid).data("amount") || "",
              ]
            : "not disclosed",
        ),
        h("dt", {}, "Binding"),
        h(
          "dd",
          {},
          c.binding === null || c.binding === undefined
            ? "not known"
            : c.binding
              ? "yes"
              : "no (non-binding)",
        ),
        h("dt", {}, "Announced"),
        h("dd", {}, c.announced),
        h("dt", {}, "Status"),
        h(
          "dd",
          {},
          h(
            "ul",
            { class: "plain" },
            c.status.map((s) => h("li", {}, `${s.date}: ${s.status}`, s.note ? ` (${s.note})` : "")),
          ),
        ),
      ),
      h("h3", {}, "Sources"),
      h(
        "ul",
        { class: "plain" },
        c.sources.map((s) =>
          h(
            "li",
            {},
            h("a", { href: s.url, target: "_blank", rel: "noopener noreferrer" }, s.publisher),
            s.date ? ` · ${s.date}` : "",
          ),
        ),
      ),
      c.notes ? h("p", { class: "small" }, c.notes) : null,
      h(
        "p",
        {},
        entityButton(c.from, `Open ${nameOf(c.from)}`),
        " ",
        entityButton(c.to, `Open ${nameOf(c.to)}`),
      ),
    );
  } catch (error) {
    if (seq !== entitySeq) return;
    fill(body, h("h2", {}, cid), panelError(`Could not load the commitment: ${error.message}`));
  }
}
