// Time as a timeline: a slider over the whole history (GET /timeline), with a marker on
// every day something changed (a status, a market event), play and pause, the previous
// and next change, one day either way, ISO dates, and the day of the pause one click away.

import { api } from "./api.js";
import { $, fill, h } from "./dom.js";
import { ISO_DATE, isoToday, shiftDate } from "./format.js";
import { state } from "./state.js";

/** The day Nvidia's up-to-$100B OpenAI plan was reported paused: the source article's pivot. */
export const KEY_DATE = "2026-01-30";
const PLAY_STEP_MS = 700; // the pause between two changes while playing (after drawing)
const DAY = 86400000;

let days = { first: null, last: null };
let changes = []; // distinct dates with an entry, ascending
let byDate = new Map(); // date -> entries
let playing = false;
let onDate = () => {};
let typing = null;

const toDay = (iso) => Math.round(Date.parse(iso + "T00:00:00Z") / DAY);
const fromDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);

/** The first and last day of the slider (ISO), or null before the history is loaded. */
export function timelineRange() {
  return days.first === null ? null : { first: fromDay(days.first), last: fromDay(days.last) };
}

/** The date the page is at (the text field, ISO), or null while it is not a valid date. */
export function currentDate() {
  const value = $("as-of").value.trim();
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

/** Move the timeline to `iso` (and draw it unless `load` is false). */
export function setDate(iso, { load = true } = {}) {
  $("as-of").value = iso;
  const slider = $("tl-slider");
  if (days.first !== null) {
    slider.value = String(Math.min(Math.max(toDay(iso), days.first), days.last) - days.first);
    slider.setAttribute("aria-valuetext", iso);
  }
  describeDay(iso);
  if (load) onDate(iso);
}

function describeDay(iso) {
  const entries = byDate.get(iso) || [];
  fill(
    $("tl-day"),
    entries.length
      ? [
          h("strong", {}, iso + ": "),
          entries
            .slice(0, 3)
            .map((e) => e.title.replace(" -> ", " → "))
            .join("; "),
          entries.length > 3 ? ` and ${entries.length - 3} more` : "",
        ]
      : h("span", { class: "muted" }, `${iso}: no change that day`),
  );
}

function step(direction) {
  const at = currentDate() || state.asOf;
  const next =
    direction > 0 ? changes.find((d) => d > at) : [...changes].reverse().find((d) => d < at);
  if (next) setDate(next);
  return next;
}

function stopPlaying() {
  playing = false;
  $("tl-play").setAttribute("aria-pressed", "false");
  $("tl-play").setAttribute("aria-label", "Play");
}

/** Play from here (from the start when at the last change) until paused or at the end. */
async function play(drawn) {
  if (playing) return stopPlaying();
  playing = true;
  $("tl-play").setAttribute("aria-pressed", "true");
  $("tl-play").setAttribute("aria-label", "Pause");
  if (!changes.some((d) => d > (currentDate() || ""))) setDate(changes[0]);
  while (playing) {
    await drawn();
    await new Promise((resolve) => setTimeout(resolve, PLAY_STEP_MS));
    if (!playing) break;
    if (!step(+1)) stopPlaying();
  }
}

function markers() {
  const span = days.last - days.first || 1;
  const marks = [];
  for (const [date, entries] of byDate) {
    const left = (((toDay(date) - days.first) / span) * 100).toFixed(3) + "%";
    const events = entries.filter((e) => e.type === "event");
    const stops = entries.filter((e) => ["paused", "cancelled", "replaced"].includes(e.new_status));
    const others = entries.length - events.length - stops.length;
    if (others) marks.push(h("span", { class: "mark change", style: `left: ${left}` }));
    if (stops.length) marks.push(h("span", { class: "mark stop", style: `left: ${left}` }));
    if (events.length) marks.push(h("span", { class: "mark event", style: `left: ${left}` }));
  }
  const years = [];
  for (let y = Number(fromDay(days.first).slice(0, 4)) + 1; y <= Number(fromDay(days.last).slice(0, 4)); y++) {
    const at = (toDay(`${y}-01-01`) - days.first) / span;
    if (at < 0.08 || at > 0.92) continue; // the ends print their dates
    const left = (at * 100).toFixed(3) + "%";
    years.push(h("span", { class: "year", style: `left: ${left}` }, String(y)));
  }
  fill($("tl-marks"), marks);
  fill($("tl-years"), years);
}

/**
 * Load the history and wire the controls. `load(iso)` draws a date; `drawn()` resolves when
 * the page has drawn it (play waits for it before the next step).
 */
export async function startTimeline({ load, drawn, initial }) {
  onDate = load;
  const entries = await api("timeline");
  byDate = new Map();
  for (const e of entries) {
    if (!byDate.has(e.date)) byDate.set(e.date, []);
    byDate.get(e.date).push(e);
  }
  changes = [...byDate.keys()].sort();
  const today = isoToday();
  const first = changes[0] || today;
  const last = [changes[changes.length - 1] || today, today, initial].sort().pop();
  days = { first: toDay(first), last: toDay(last) };
  const slider = $("tl-slider");
  slider.min = "0";
  slider.max = String(days.last - days.first);
  $("tl-first").textContent = first;
  $("tl-last").textContent = last;
  $("tl-key").title = (byDate.get(KEY_DATE) || []).map((e) => e.title).join("; ") || KEY_DATE;
  markers();
  setDate(initial, { load: false });

  slider.addEventListener("input", () => {
    const iso = fromDay(days.first + Number(slider.value));
    $("as-of").value = iso;
    slider.setAttribute("aria-valuetext", iso);
    describeDay(iso);
    clearTimeout(typing);
    typing = setTimeout(() => onDate(iso), 120); // while dragging: the last position wins
  });
  $("as-of").addEventListener("input", () => {
    clearTimeout(typing);
    const iso = currentDate();
    if (iso) typing = setTimeout(() => setDate(iso), 250);
  });
  $("as-of").addEventListener("change", () => {
    clearTimeout(typing);
    const iso = currentDate();
    if (iso) setDate(iso);
    else $("graph-status").textContent = "Type a date as YYYY-MM-DD.";
  });
  $("tl-prev").addEventListener("click", () => step(-1));
  $("tl-next").addEventListener("click", () => step(+1));
  $("day-back").addEventListener("click", () => setDate(shiftDate(currentDate() || state.asOf, -1)));
  $("day-forward").addEventListener("click", () => setDate(shiftDate(currentDate() || state.asOf, +1)));
  $("tl-key").addEventListener("click", () => setDate(KEY_DATE));
  $("tl-play").addEventListener("click", () => play(drawn));
}
