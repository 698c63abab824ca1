// The domino panel: run a scenario (POST /analysis/stress) and colour the graph by loss;
// for the pull-back model, by the inflow each entity loses as the cut travels on.

import { api } from "./api.js";
import { distressColour, kindLabel } from "./colours.js";
import { $, fill, h } from "./dom.js";
import { entityButton } from "./entity.js";
import { money, notKnown, pct } from "./format.js";
import { nameOf, nodeOf } from "./graph.js";
import { renderLegend } from "./legend.js";
import { panelError } from "./messages.js";
import { showRisk } from "./risk.js";
import { PULL_BACK, describeScenario, stressBody } from "./scenario.js";
import { cy, state, syncUrl } from "./state.js";

let stressSeq = 0;

export function fillShockEntities() {
  const select = $("shock-entity");
  const current = select.value || state.selected || "openai";
  const nodes = state.graph.nodes.slice().sort((a, b) => a.name.localeCompare(b.name));
  select.replaceChildren(...nodes.map((n) => h("option", { value: n.id }, n.name)));
  if (nodes.some((n) => n.id === current)) select.value = current;
}

/** Entities that stand to lose on a hit entity through a commitment without a figure. */
export function unpricedExposure(hitIds) {
  const found = new Map();
  for (const l of state.graph.links) {
    if (!l.counts || l.disclosed || !l.exposed) continue;
    // The API says who stands to lose on each link; the failing party is the other end.
    const exposed = l.exposed;
    const failing = exposed === l.source ? l.target : l.source;
    if (hitIds.has(failing) && !hitIds.has(exposed) && !found.has(exposed)) {
      found.set(exposed, { via: failing, kind: l.kind, cid: l.id });
    }
  }
  return found;
}

/** Recipients of the unpriced commitments a pull-back may travel along, by their payer. */
function unpricedRecipients(report, hitIds) {
  const links = new Map(state.graph.links.map((l) => [l.id, l]));
  const found = new Map();
  for (const cid of report.pull_back.unpriced) {
    const l = links.get(cid);
    if (l && !hitIds.has(l.target) && !found.has(l.target)) {
      found.set(l.target, { via: l.source, kind: l.kind, cid });
    }
  }
  return found;
}

/**
 * The entities a report hits, in one form for both kinds of model: `distress` is the loss
 * relative to the buffer, or for the pull-back the lost inflow relative to revenue (capped
 * at 1; 0 where no revenue figure is known, which the list says).
 */
export function hitsOf(report) {
  if (report.model !== PULL_BACK) {
    return report.entities.filter((e) => e.distress > 0 || e.loss_usd > 0 || e.defaulted);
  }
  return report.pull_back.entities
    .filter((e) => e.lost_inflow_usd > 0)
    .map((e) => ({
      ...e,
      loss_usd: e.lost_inflow_usd,
      distress: Math.min(1, e.lost_share_of_revenue ?? 0),
      defaulted: false,
    }));
}

/** Who started it: the failing entities, or the ones that pull back. */
function initiatorsOf(report) {
  return (report.model === PULL_BACK ? report.cuts : report.shocks).map((x) => x.entity).filter(Boolean);
}

export function applyStress() {
  if (!cy) return;
  cy.nodes().removeClass("stressed stress-none unpriced shocked");
  const report = state.stress;
  if (!report) return;
  const hit = new Map(hitsOf(report).map((e) => [e.id, e]));
  const hitIds = new Set(hit.keys());
  const unpriced = report.model === PULL_BACK ? unpricedRecipients(report, hitIds) : unpricedExposure(hitIds);
  cy.nodes().forEach((node) => {
    // A folded node shows its most distressed member (the panel lists them all).
    const members = node.data("fold") || [node.id()];
    const e = members
      .map((id) => hit.get(id))
      .filter(Boolean)
      .sort((a, b) => b.distress - a.distress)[0];
    if (e) {
      node.data("stressColour", distressColour(Math.max(e.distress, 0.04)));
      node.data("distress", e.distress);
      node.addClass("stressed");
    } else if (members.some((id) => unpriced.has(id))) {
      node.addClass("unpriced");
    } else {
      node.addClass("stress-none");
    }
  });
  for (const id of initiatorsOf(report)) cy.getElementById(nodeOf(id)).addClass("shocked");
}

/** In the order they were hit: by round, then most distressed (the pull-back: most lost). */
function byRound(hit, pullBack = false) {
  const worse = (a, b) =>
    pullBack ? b.loss_usd - a.loss_usd : b.distress - a.distress || b.loss_usd - a.loss_usd;
  return hit.sort((a, b) => (a.round ?? 1e9) - (b.round ?? 1e9) || worse(a, b));
}

function howComputed(report) {
  return h(
    "details",
    { class: "small" },
    h("summary", {}, "How this was computed"),
    h(
      "ul",
      {},
      report.rules.map((r) => h("li", {}, r)),
    ),
  );
}

/** The pull-back's answer: who loses inflow, in the order the cut reached them. */
export function pullBackList(report) {
  const pb = report.pull_back;
  const hit = byRound(hitsOf(report), true);
  const unpriced = unpricedRecipients(report, new Set(hit.map((e) => e.id)));
  return [
    h("p", { class: "question small" }, report.question),
    h(
      "p",
      { class: "summary" },
      `${hit.length} ${hit.length === 1 ? "entity loses" : "entities lose"} inflow in ${report.rounds} ${report.rounds === 1 ? "round" : "rounds"} · lost inflows `,
      money(report.total_loss_usd),
      " from a first cut of ",
      money(pb.total_initial_cut_usd),
    ),
    h(
      "ol",
      { class: "hits", id: "stress-hits" },
      hit.map((e) =>
        h(
          "li",
          { dataset: { id: e.id, distress: String(e.distress), lost: String(e.lost_inflow_usd) } },
          h("span", { class: "round" }, e.round === null ? "–" : `round ${e.round}`),
          entityButton(e.id, e.name),
          h("span", {
            class: "bar",
            style: `--w: ${Math.round(e.distress * 100)}%; --c: ${distressColour(Math.max(e.distress, 0.04))}`,
            title: e.lost_share_of_revenue === null ? "no revenue figure" : `${pct(e.lost_share_of_revenue)} of revenue`,
          }),
          e.lost_share_of_revenue === null
            ? h("span", { class: "num" }, notKnown("no revenue figure at the date"))
            : h("span", { class: "num", title: "of its latest revenue" }, pct(e.lost_share_of_revenue)),
          h("span", { class: "num", title: "inflow it loses" }, money(e.lost_inflow_usd)),
          e.cut_usd > 0 ? h("span", { class: "badge muted", title: "spending it cuts in turn" }, "cuts ", money(e.cut_usd)) : null,
        ),
      ),
    ),
    pb.boomerang.length
      ? h(
          "ul",
          { class: "plain small", id: "stress-boomerang" },
          pb.boomerang.map((b) =>
            h(
              "li",
              { dataset: { id: b.entity } },
              "Comes back: ",
              money(b.returned_usd),
              ` of ${nameOf(b.entity)}'s `,
              money(b.initial_cut_usd),
              ` cut returns to it as lost inflow (${pct(b.share)}).`,
            ),
          ),
        )
      : null,
    unpriced.size
      ? h(
          "div",
          { id: "stress-unpriced" },
          h("h4", {}, "The cut may travel further, by undisclosed amounts"),
          h(
            "p",
            { class: "small muted" },
            "Reached entities pay these without a figure, so the model cannot price the cut along them; they are ringed in the graph.",
          ),
          h(
            "ul",
            { class: "plain" },
            [...unpriced].map(([id, u]) =>
              h("li", { dataset: { id } }, entityButton(id, nameOf(id)), ` · ${kindLabel(u.kind)} from ${nameOf(u.via)}`),
            ),
          ),
        )
      : null,
    howComputed(report),
  ];
}

export function stressList(report) {
  if (report.model === PULL_BACK) return pullBackList(report);
  const hit = byRound(hitsOf(report));
  const unpriced = unpricedExposure(new Set(hit.map((e) => e.id)));
  const missing = new Set(report.missing_buffers);
  return [
    h(
      "p",
      { class: "summary" },
      `${hit.length} ${hit.length === 1 ? "entity" : "entities"} hit in ${report.rounds} ${report.rounds === 1 ? "round" : "rounds"} · total loss `,
      money(report.total_loss_usd),
      report.debtrank !== null && report.debtrank !== undefined
        ? ` · DebtRank R = ${report.debtrank.toFixed(3)}`
        : "",
    ),
    h(
      "ol",
      { class: "hits", id: "stress-hits" },
      hit.map((e) =>
        h(
          "li",
          { dataset: { id: e.id, distress: String(e.distress) } },
          h(
            "span",
            { class: "round" },
            e.round === null || e.round === undefined ? "–" : `round ${e.round}`,
          ),
          entityButton(e.id, e.name),
          h("span", {
            class: "bar",
            style: `--w: ${Math.round(e.distress * 100)}%; --c: ${distressColour(Math.max(e.distress, 0.04))}`,
            title: `${pct(e.distress)} of buffer`,
          }),
          h("span", { class: "num" }, pct(e.distress)),
          h("span", { class: "num" }, money(e.loss_usd)),
          e.defaulted ? h("span", { class: "badge" }, "defaults") : null,
          missing.has(e.id)
            ? h("span", { class: "badge muted", title: e.buffer_rule }, "no buffer figure")
            : null,
        ),
      ),
    ),
    unpriced.size
      ? h(
          "div",
          { id: "stress-unpriced" },
          h("h4", {}, "Also exposed, amount not disclosed"),
          h(
            "p",
            { class: "small muted" },
            "Their commitments carry no figure, so the model cannot price the loss; they are ringed in the graph.",
          ),
          h(
            "ul",
            { class: "plain" },
            [...unpriced].map(([id, u]) =>
              h(
                "li",
                { dataset: { id } },
                entityButton(id, nameOf(id)),
                ` · ${kindLabel(u.kind)} with ${nameOf(u.via)}`,
              ),
            ),
          ),
        )
      : null,
    report.missing_buffers.length
      ? h(
          "p",
          { class: "small muted" },
          `No ${report.buffer} figure for ${report.missing_buffers.map(nameOf).join(", ")}: their buffer is their total exposure.`,
        )
      : null,
    howComputed(report),
  ];
}

export async function runStress(scenario) {
  const seq = ++stressSeq;
  const out = $("domino-result");
  const button = $("run-stress");
  const body = { ...stressBody(scenario), as_of: state.asOf };
  state.scenario = scenario;
  document.body.dataset.stress = "running";
  syncUrl();
  showRisk(scenario);
  button.disabled = true;
  button.textContent = "Running…";
  fill(
    out,
    h(
      "p",
      { class: "loading" },
      `Running ${describeScenario(scenario)} as of ${body.as_of}…`,
    ),
  );
  try {
    const report = await api("analysis/stress", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (seq !== stressSeq) return;
    state.stress = report;
    applyStress();
    renderLegend();
    fill(out, stressList(report));
    document.body.dataset.stress = "done";
  } catch (error) {
    if (seq !== stressSeq) return;
    forgetScenario();
    const message =
      error.status === 404 || error.status === 405
        ? `This server has no stress endpoint (POST /analysis/stress answered HTTP ${error.status}).`
        : `The scenario could not be run: ${error.message}`;
    fill(out, panelError(message));
    document.body.dataset.stress = "error";
  } finally {
    if (seq === stressSeq) {
      button.disabled = false;
      button.textContent = "Run scenario";
    }
  }
}

/** No scenario: the URL, the chart, the colours and the legend say so. */
function forgetScenario() {
  state.stress = null;
  state.scenario = null;
  syncUrl();
  showRisk(null);
  applyStress();
  renderLegend();
}

export function clearStress() {
  stressSeq++;
  forgetScenario();
  $("domino-result").replaceChildren();
  delete document.body.dataset.stress;
}
