// The domino panel: run a scenario (POST /analysis/stress) and colour the graph by loss.

import { api } from "./api.js";
import { distressColour, kindLabel } from "./colours.js";
import { $, fill, h } from "./dom.js";
import { entityButton } from "./entity.js";
import { money, pct } from "./format.js";
import { nameOf, nodeOf } from "./graph.js";
import { renderLegend } from "./legend.js";
import { panelError } from "./messages.js";
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

export function applyStress() {
  if (!cy) return;
  cy.nodes().removeClass("stressed stress-none unpriced shocked");
  const report = state.stress;
  if (!report) return;
  const hit = new Map(
    report.entities.filter((e) => e.distress > 0 || e.loss_usd > 0 || e.defaulted).map((e) => [e.id, e]),
  );
  const unpriced = unpricedExposure(new Set(hit.keys()));
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
  for (const shock of report.shocks) cy.getElementById(nodeOf(shock.entity)).addClass("shocked");
}

export function stressList(report) {
  const hit = report.entities.filter((e) => e.distress > 0 || e.loss_usd > 0 || e.defaulted);
  hit.sort(
    (a, b) => (a.round ?? 1e9) - (b.round ?? 1e9) || b.distress - a.distress || b.loss_usd - a.loss_usd,
  );
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
    h(
      "details",
      { class: "small" },
      h("summary", {}, "How this was computed"),
      h(
        "ul",
        {},
        report.rules.map((r) => h("li", {}, r)),
      ),
    ),
  ];
}

export async function runStress(request) {
  const seq = ++stressSeq;
  const out = $("domino-result");
  const button = $("run-stress");
  const body = { ...request, as_of: state.asOf };
  state.stressRequest = request;
  syncUrl();
  button.disabled = true;
  button.textContent = "Running…";
  fill(
    out,
    h(
      "p",
      { class: "loading" },
      `Running ${body.model} on ${nameOf(body.shocks[0].entity)} as of ${body.as_of}…`,
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
    state.stress = null;
    state.stressRequest = null;
    syncUrl();
    applyStress();
    renderLegend();
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

export function clearStress() {
  stressSeq++;
  state.stress = null;
  state.stressRequest = null;
  syncUrl();
  applyStress();
  renderLegend();
  $("domino-result").replaceChildren();
  delete document.body.dataset.stress;
}
