// Colours from palette.json (shared with neo4j/style.grass), and the distress ramp.

import { palette, state } from "./state.js";

export function sectorGroup(sectors) {
  for (const sector of sectors) {
    const group = palette.sector_groups.find((g) => g.sectors.includes(sector));
    if (group) return group;
  }
  return palette.other_sector;
}

export function nodeColours(node) {
  if (state.colourBy === "kind") {
    const k = palette.entity_kinds[node.kind] || palette.entity_kinds.company;
    return { colour: k.color, border: k.border };
  }
  const colour = sectorGroup(node.sectors).color;
  return { colour, border: colour };
}

export function kindColour(kind) {
  return (palette.commitment_kinds[kind] || palette.commitment_kinds.other).color;
}

export function kindLabel(kind) {
  return (palette.commitment_kinds[kind] || { label: kind }).label;
}

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function distressColour(distress) {
  const ramp = palette.distress.ramp.map(hexToRgb);
  const x = Math.max(0, Math.min(1, distress)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  const t = x - i;
  const rgb = ramp[i].map((c, j) => Math.round(c + (ramp[i + 1][j] - c) * t));
  return `rgb(${rgb.join(",")})`;
}
