// Where every node sits: computed once from the whole history, so the same data give the
// same picture on every load and moving the date moves no node.
//
// A small force simulation of our own, deterministic (a seeded generator, nodes in id
// order, a fixed number of steps): springs along commitments, repulsion between nodes,
// and a pull towards the region of the node's role, so the web reads left to right:
// financiers, AI labs, clouds (above) and neoclouds and data centres (below), chips.
// Each node takes the room of its caption, so captions have space to be printed.
// Members of a folded group wait in a small arc behind their fold.

import { sectorGroup } from "./colours.js";
import { shortName } from "./format.js";
import { isGroup } from "./folds.js";

/** The layout's frame, in model units: about the graph's size on screen at 1400x900. */
export const FRAME = { w: 1000, h: 620 };

// Role regions, as fractions of the frame; by the palette's sector group names.
const REGIONS = {
  "AI labs": [0.4, 0.45],
  "Hyperscalers and cloud": [0.64, 0.3],
  "Neoclouds and data centres": [0.6, 0.78],
  "Chips and memory": [0.88, 0.5],
  "Investors and lenders": [0.1, 0.5],
  "States and sovereign funds": [0.12, 0.88],
  Other: [0.88, 0.88],
};
// The busiest entities (the hubs) take fixed places in their role's region, the largest
// first, so the figures between them have room; the others settle around them.
const SLOTS = {
  "AI labs": [[0.4, 0.45], [0.27, 0.2], [0.3, 0.76], [0.5, 0.86], [0.5, 0.1]],
  "Hyperscalers and cloud": [[0.66, 0.22], [0.8, 0.12], [0.54, 0.1], [0.8, 0.34], [0.93, 0.2]],
  "Neoclouds and data centres": [[0.64, 0.7], [0.82, 0.82], [0.5, 0.62]],
  "Chips and memory": [[0.88, 0.5], [0.92, 0.72], [0.92, 0.3]],
  "Investors and lenders": [[0.1, 0.4], [0.1, 0.66], [0.12, 0.16]],
  "States and sovereign funds": [[0.14, 0.9]],
  Other: [[0.88, 0.9]],
};
const HUBS = 10; // at most, each with at least MIN_HUB_DEGREE counterparties
const MIN_HUB_DEGREE = 6;
const STEPS = 400;
const LINK_LENGTH = 80;
const CHARGE = 900;

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: a tiny seeded generator, the same numbers everywhere. */
function generator(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A caption's box from its characters (not from font metrics: those differ by machine). */
function captionBox(label) {
  let width = 0;
  for (const ch of label) width += ch.codePointAt(0) > 0x2e80 ? 12 : /[A-Z]/.test(ch) ? 7.8 : 6.4;
  const lines = Math.min(2, Math.ceil(width / 118));
  return { w: Math.min(width, 118), h: 15 * lines };
}

/**
 * Positions {id: {x, y}} for every entity that has a commitment in `universe`, every fold
 * in `folds` and its members. `sizeOf(id)` is a node's largest diameter.
 */
export function computeLayout(universe, { foldOf, folds }, sizeOf) {
  const names = new Map(universe.nodes.map((n) => [n.id, n]));
  const place = (id) => foldOf.get(id) || id;
  const pairs = new Map();
  for (const l of universe.links) {
    const [a, b] = [place(l.source), place(l.target)].sort();
    if (a === b) continue;
    pairs.set(a + "\n" + b, [a, b]);
  }
  const ids = [...new Set([...pairs.values()].flat())].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const random = generator(hash(ids.join(",")));
  const nodes = ids.map((id) => {
    const fold = folds.get(id);
    const entity = fold ? names.get(fold.members[0]) : names.get(id);
    const grouped = Boolean(fold) || isGroup(entity);
    const role = sectorGroup(entity.sectors ? entity.sectors.split(",") : []).name;
    const region = REGIONS[role] || REGIONS.Other;
    const caption = captionBox(fold ? fold.label : shortName(entity.name));
    const d = sizeOf(id);
    return {
      id,
      role,
      grouped,
      pinned: false,
      ax: region[0] * FRAME.w,
      ay: region[1] * FRAME.h,
      x: region[0] * FRAME.w + (random() - 0.5) * 200,
      y: region[1] * FRAME.h + (random() - 0.5) * 200,
      vx: 0,
      vy: 0,
      w: Math.max(d, caption.w) + 10,
      h: d + caption.h + 8,
      degree: 0,
    };
  });
  const springs = [...pairs.values()].map(([a, b]) => [nodes[index.get(a)], nodes[index.get(b)]]);
  for (const [a, b] of springs) {
    a.degree++;
    b.degree++;
  }
  const taken = new Map();
  const hubs = nodes
    .filter((n) => !n.grouped && n.degree >= MIN_HUB_DEGREE)
    .sort((a, b) => b.degree - a.degree || a.id.localeCompare(b.id))
    .slice(0, HUBS);
  for (const hub of hubs) {
    const slots = SLOTS[hub.role] || SLOTS.Other;
    const i = taken.get(hub.role) || 0;
    if (i >= slots.length) continue;
    taken.set(hub.role, i + 1);
    Object.assign(hub, { pinned: true, x: slots[i][0] * FRAME.w, y: slots[i][1] * FRAME.h });
    clamp(hub);
  }
  for (let step = 0; step < STEPS; step++) {
    const alpha = Math.pow(0.002, step / STEPS);
    for (const [a, b] of springs) {
      // d3-force's link force: the busier end moves less.
      const dx = b.x + b.vx - a.x - a.vx;
      const dy = b.y + b.vy - a.y - a.vy;
      const dist = Math.hypot(dx, dy) || 1;
      const strength = 1 / Math.min(a.degree, b.degree);
      const pull = ((dist - LINK_LENGTH) / dist) * alpha * strength * 0.5;
      const bias = a.degree / (a.degree + b.degree);
      b.vx -= dx * pull * bias;
      b.vy -= dy * pull * bias;
      a.vx += dx * pull * (1 - bias);
      a.vy += dy * pull * (1 - bias);
    }
    for (let i = 0; i < nodes.length; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length; j++) {
        const b = nodes[j];
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const d2 = Math.max(dx * dx + dy * dy, 100);
        const push = (CHARGE * alpha) / d2;
        a.vx -= dx * push;
        a.vy -= dy * push;
        b.vx += dx * push;
        b.vy += dy * push;
      }
      // Groups follow their counterparty; the others keep to their role's region.
      const k = a.grouped ? 0.01 : 0.25;
      a.vx += (a.ax - a.x) * k * alpha;
      a.vy += (a.ay - a.y) * k * alpha;
    }
    for (const n of nodes) {
      n.vx *= 0.6;
      n.vy *= 0.6;
      if (n.pinned) continue;
      n.x += n.vx;
      n.y += n.vy;
    }
    if (step > STEPS / 3) collide(nodes, 0.5);
    for (const n of nodes) clamp(n);
  }
  stretch(nodes);
  for (let round = 0; round < 60; round++) {
    if (!collide(nodes, 1)) break;
    for (const n of nodes) clamp(n);
  }
  const out = new Map(nodes.map((n) => [n.id, { x: round(n.x), y: round(n.y) }]));
  for (const fold of folds.values()) placeMembers(fold, out);
  return out;
}

const round = (v) => Math.round(v * 10) / 10;

/** A small web, spread over the frame (at most 3x), so its figures have room. */
function stretch(nodes) {
  const x0 = Math.min(...nodes.map((n) => n.x - n.w / 2));
  const x1 = Math.max(...nodes.map((n) => n.x + n.w / 2));
  const y0 = Math.min(...nodes.map((n) => n.y - n.h / 2));
  const y1 = Math.max(...nodes.map((n) => n.y + n.h / 2));
  const f = Math.min(3, FRAME.w / (x1 - x0 || 1), FRAME.h / (y1 - y0 || 1));
  if (f <= 1.05) return;
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  for (const n of nodes) {
    n.x = FRAME.w / 2 + (n.x - cx) * f;
    n.y = FRAME.h / 2 + (n.y - cy) * f;
    clamp(n);
  }
}

/** Keep a node and its caption inside the frame. */
function clamp(n) {
  n.x = Math.min(FRAME.w - n.w / 2, Math.max(n.w / 2, n.x));
  n.y = Math.min(FRAME.h - n.h / 2, Math.max(n.h / 2, n.y));
}

/** Push apart nodes whose boxes (node and caption) overlap, along the shorter way out. */
function collide(nodes, strength) {
  let moved = false;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i];
      const b = nodes[j];
      const ox = (a.w + b.w) / 2 - Math.abs(a.x - b.x);
      const oy = (a.h + b.h) / 2 - Math.abs(a.y - b.y);
      if (ox <= 0 || oy <= 0) continue;
      moved = true;
      if (a.pinned && b.pinned) continue;
      // A pinned node stays: the other takes the whole way out.
      const [sa, sb] = a.pinned ? [0, 2] : b.pinned ? [2, 0] : [1, 1];
      if (ox < oy) {
        const s = (a.x < b.x ? -1 : 1) * (ox / 2 + 0.5) * strength;
        a.x += s * sa;
        b.x -= s * sb;
      } else {
        const s = (a.y < b.y ? -1 : 1) * (oy / 2 + 0.5) * strength;
        a.y += s * sa;
        b.y -= s * sb;
      }
    }
  }
  return moved;
}

/** Members of a fold, on an arc behind it (away from its counterparty), when it is opened. */
function placeMembers(fold, out) {
  const at = out.get(fold.id);
  const partner = out.get(fold.counterparty);
  if (!at) return;
  const away = partner ? Math.atan2(at.y - partner.y, at.x - partner.x) : Math.PI;
  const n = fold.members.length;
  const spread = Math.min(Math.PI * 0.9, 0.55 * (n - 1));
  fold.members.forEach((id, i) => {
    const angle = away + (n === 1 ? 0 : -spread / 2 + (spread * i) / (n - 1));
    const r = 48 + 6 * n;
    const x = Math.min(FRAME.w - 40, Math.max(40, at.x + r * Math.cos(angle)));
    const y = Math.min(FRAME.h - 15, Math.max(15, at.y + r * Math.sin(angle)));
    out.set(id, { x: round(x), y: round(y) });
  });
}
