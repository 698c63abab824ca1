// Risk over time, beside the timeline: the chosen scenario's total loss (the pull-back: lost
// inflows) at the first of each month over the whole history, as POST /analysis/stress/series
// answers it, with the page's date marked. A month's point moves the timeline there.

import { api } from "./api.js";
import { $, fill, h } from "./dom.js";
import { usdFull, usdShort } from "./format.js";
import { PULL_BACK, describeScenario, stressBody } from "./scenario.js";
import { state } from "./state.js";
import { setDate, timelineRange } from "./timeline.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 260; // the chart's drawing box, in CSS pixels
const H = 64;
const PAD = { left: 4, right: 4, top: 6, bottom: 4 };
const DAY = 86400000;

let shown = null; // {key, series} of the chart drawn
let seq = 0;

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, String(value));
  }
  el.append(...children);
  return el;
}

const dayOf = (iso) => Date.parse(iso + "T00:00:00Z") / DAY;

/** x of a date and y of an amount inside the drawing box. */
function scales(points, range) {
  const first = dayOf(range.first);
  const span = dayOf(range.last) - first || 1;
  const top = Math.max(...points.map((p) => p.total_loss_usd), 0) || 1;
  const x = (iso) => PAD.left + ((dayOf(iso) - first) / span) * (W - PAD.left - PAD.right);
  const y = (usd) => PAD.top + (1 - usd / top) * (H - PAD.top - PAD.bottom);
  return { x, y, top };
}

function draw(series, scenario, range) {
  const points = series.points;
  const { x, y, top } = scales(points, range);
  const line = points.map((p) => `${x(p.as_of).toFixed(2)},${y(p.total_loss_usd).toFixed(2)}`).join(" ");
  const what = scenario.model === PULL_BACK ? "lost inflows" : "total loss";
  const at = state.asOf && state.asOf >= range.first && state.asOf <= range.last ? state.asOf : null;
  const chart = svg(
    "svg",
    { id: "risk-svg", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-labelledby": "risk-title" },
    svg("line", { class: "risk-axis", x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0) }),
    svg("polyline", { class: "risk-line", points: line }),
    ...(at ? [svg("line", { id: "risk-now", class: "risk-now", x1: x(at), x2: x(at), y1: 0, y2: H, dataset: { asOf: at } })] : []),
    ...points.map((p) =>
      svg(
        "circle",
        {
          class: "risk-point",
          cx: x(p.as_of).toFixed(2),
          cy: y(p.total_loss_usd).toFixed(2),
          r: 2.5,
          dataset: { asOf: p.as_of, usd: String(p.total_loss_usd) },
        },
        svg("title", {}, `${p.as_of}: ${what} ${usdFull(p.total_loss_usd)}`),
      ),
    ),
  );
  chart.addEventListener("click", (e) => {
    const asOf = e.target.dataset && e.target.dataset.asOf;
    if (asOf && e.target.classList.contains("risk-point")) setDate(asOf);
  });
  const peak = points.reduce((a, p) => (p.total_loss_usd > a.total_loss_usd ? p : a), points[0]);
  fill(
    $("risk"),
    h(
      "p",
      { id: "risk-title", class: "risk-title" },
      `${what[0].toUpperCase()}${what.slice(1)} by month if ${describeScenario(scenario)}`,
    ),
    chart,
    h(
      "p",
      { class: "risk-scale muted" },
      h("span", {}, points[0].as_of.slice(0, 7)),
      h("span", { title: usdFull(top) }, peak ? `peak ${usdShort(peak.total_loss_usd)} (${peak.as_of.slice(0, 7)})` : ""),
      h("span", {}, points[points.length - 1].as_of.slice(0, 7)),
    ),
  );
}

/**
 * Show the series of `scenario` (null hides the chart). The series does not depend on the
 * page's date, so a new date only moves the mark; a new scenario asks the API once.
 */
export async function showRisk(scenario) {
  const box = $("risk");
  const run = ++seq;
  const range = timelineRange();
  if (!scenario || !range) {
    shown = null;
    box.hidden = true;
    box.replaceChildren();
    delete document.body.dataset.risk;
    return;
  }
  const body = { scenario: stressBody(scenario), since: range.first, until: range.last };
  const key = JSON.stringify(body);
  box.hidden = false;
  if (shown && shown.key === key) {
    draw(shown.series, scenario, range);
    document.body.dataset.risk = "done";
    return;
  }
  document.body.dataset.risk = "loading";
  fill(box, h("p", { class: "risk-title loading" }, "Risk over time…"));
  try {
    const series = await api("analysis/stress/series", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: key,
    });
    if (run !== seq) return;
    shown = { key, series };
    draw(series, scenario, range);
    document.body.dataset.risk = "done";
  } catch (error) {
    if (run !== seq) return;
    shown = null;
    const message =
      error.status === 404 || error.status === 405
        ? "This server has no stress series (POST /analysis/stress/series)."
        : `Risk over time could not be computed: ${error.message}`;
    fill(box, h("p", { class: "risk-title error" }, message));
    document.body.dataset.risk = "error";
  }
}
