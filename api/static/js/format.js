// How numbers and dates are written on the page: USD in short form, ISO dates.

import { h } from "./dom.js";

/** USD in short form: $300B, $22.4B, $1.4T, $950M. */
export function usdShort(usd) {
  const abs = Math.abs(usd);
  const [div, suffix] = abs >= 1e12 ? [1e12, "T"] : abs >= 1e9 ? [1e9, "B"] : abs >= 1e6 ? [1e6, "M"] : [1, ""];
  const value = usd / div;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return "$" + Number(value.toFixed(digits)).toLocaleString("en-US") + suffix;
}

/** USD in full, for titles: $300,000,000,000. */
export function usdFull(usd) {
  return "$" + Math.round(usd).toLocaleString("en-US");
}

export function money(usd) {
  return h("span", { class: "usd", title: usdFull(usd), dataset: { usd: String(usd) } }, usdShort(usd));
}

export function pct(share) {
  return (share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0) + "%";
}

/** A link's amount in words, for tooltips and the commitment panel. */
export function amountText(link) {
  if (!link.disclosed) return "amount not disclosed";
  const range = link.usd_low !== link.usd_high ? ` (${usdShort(link.usd_low)}–${usdShort(link.usd_high)})` : "";
  return (link.up_to ? "up to " : "") + usdShort(link.usd) + range;
}

export function isoToday() {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

export function shiftDate(iso, days) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
