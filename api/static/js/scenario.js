// A domino scenario as the page holds it, in the URL and in the form: who, how much, which
// model, which buffer. The API takes shocks (who fails) for the failure models and cuts
// (what is withdrawn) for the pull-back model; this module is the one place that knows it.

import { nameOf } from "./graph.js";

export const PULL_BACK = "pull_back";
export const MODELS = ["debtrank", "differential_debtrank", "eisenberg_noe", "default_cascade", PULL_BACK];
export const BUFFERS = ["equity", "market_cap", "revenue", "cash", "valuation"];

/** The scenario {entity, severity, model, buffer}, or null when one part is not valid. */
export function scenarioOf(entity, severity, model, buffer) {
  const s = Number(severity);
  if (!entity || !(s >= 0 && s <= 1) || !MODELS.includes(model) || !BUFFERS.includes(buffer)) return null;
  return { entity, severity: s, model, buffer };
}

/** The scenario as POST /analysis/stress takes it (without the date). */
export function stressBody(scenario) {
  const { entity, severity, model, buffer } = scenario;
  // The pull-back counts lost inflows, not losses against a buffer: it takes none.
  return model === PULL_BACK
    ? { cuts: [{ entity, fraction: severity }], model }
    : { shocks: [{ entity, severity }], model, buffer };
}

/** "OpenAI fails (debtrank, equity buffer)", "Nvidia pulls back 50% of its commitments". */
export function describeScenario(scenario) {
  const { entity, severity, model, buffer } = scenario;
  const share = `${Math.round(severity * 100)}%`;
  return model === PULL_BACK
    ? `${nameOf(entity)} pulls back ${share} of its commitments (pull-back)`
    : `${nameOf(entity)} fails at ${share} (${model}, ${buffer} buffer)`;
}
