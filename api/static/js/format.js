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

// Unknown is never zero: an amount the API gives as null reads "n/d", never "$0".
export function money(usd) {
  if (usd === null || usd === undefined) return h("span", { class: "muted", title: "amount not disclosed" }, "n/d");
  return h("span", { class: "usd", title: usdFull(usd), dataset: { usd: String(usd) } }, usdShort(usd));
}

/** A sum over figures some of which are not disclosed: the sum (or n/d) and how many it lacks. */
export function atLeast(usd, undisclosed) {
  return [money(usd), lacking(usd, undisclosed)];
}

/** The same in words, for tooltips: "$300B", "$300B + 2 n/d", or "n/d (2 undisclosed)". */
export function atLeastText(usd, undisclosed) {
  if (usd !== null && usd !== undefined) return usdShort(usd) + lacking(usd, undisclosed);
  return undisclosed ? `n/d (${undisclosed} undisclosed)` : "n/d";
}

function lacking(usd, undisclosed) {
  return usd !== null && usd !== undefined && undisclosed ? ` + ${undisclosed} n/d` : "";
}

export function pct(share) {
  return (share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0) + "%";
}

/** A figure the data cannot give: "n/k" (not known), its title saying why; never blank or 0. */
export function notKnown(why) {
  return h("abbr", { class: "muted", title: `not known: ${why}` }, "n/k");
}

/** A share as a percentage, or n/k (saying why) where the API gives null. */
export function share(value, why) {
  return value === null || value === undefined ? notKnown(why) : pct(value);
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

/** The figure an edge label prints: "$300B", "up to $100B", "~$20B" (an estimate), "n/d". */
export function figure(link) {
  if (link.usd === null || link.usd === undefined) return "n/d";
  return (link.up_to ? "up to " : link.estimate ? "~" : "") + usdShort(link.usd);
}

// Words a caption can do without: "Meta Platforms" reads as "Meta", "Nebius Group" as "Nebius".
const SUFFIXES =
  /(,? (Inc\.?|Corp\.?|Corporation|Company|Group|Holdings|Platforms|Technologies|Technology|Systems|Electronics|Global Management|Management|Investment Group|Capital Partners|Venture Partners|ASA|LLC|& Co\.))+$/;
const DATED = /,? (?:(?:January|February|March|April|May|June|July|August|September|October|November|December) )?\d{4}$/;
const TOO_PLAIN = new Set(["Capital", "Global", "Investment"]); // "Capital Group" stays whole
const LONGEST = 34; // characters: two lines of a caption

/** A caption for the picture: no parenthesis, date or corporate suffix (the panel has the name). */
export function shortName(name) {
  const bare = name.replace(/\s*\([^)]*\)/g, "").replace(/^The /, "").replace(DATED, "").trim();
  const cut = bare.replace(SUFFIXES, "").trim();
  const short = cut && !TOO_PLAIN.has(cut) ? cut : bare || name;
  return short.length <= LONGEST ? short : short.slice(0, LONGEST - 1).trimEnd() + "…";
}
