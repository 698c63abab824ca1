// The picture for publication: PNG (cytoscape's own rendering) or SVG (drawn here from what
// cytoscape drew), each with a caption block: title, date, the licence line, and how many
// sources the commitments drawn rest on.

import { describeScenario } from "./scenario.js";
import { cy, state } from "./state.js";
import { FONT_STACK } from "./style.js";

const PAD = 16;
const LINE = 18;
const CAPTION_H = PAD + 3 * LINE + 6;
const SCALE = 2; // PNG pixels per CSS pixel

/** The caption's three lines, from what is drawn now. */
export function captionLines() {
  const drawn = new Set(cy.edges().map((e) => e.data("cid")));
  const links = state.graph.links.filter((l) => drawn.has(l.id));
  const entities = new Set(links.flatMap((l) => [l.source, l.target]));
  const sources = new Set(links.flatMap((l) => (l.source_urls || l.source_url || "").split(" ").filter(Boolean)));
  const scenario = state.scenario ? ` · domino: ${describeScenario(state.scenario)}` : "";
  const inactive = links.filter((l) => !l.counts).length;
  return [
    `AI financing commitments as of ${state.asOf}${scenario}`,
    `${links.length - inactive} commitments counting between ${entities.size} entities` +
      (inactive ? `, ${inactive} paused or cancelled in grey` : "") +
      ` · figures in USD; "up to" is a ceiling, n/d not disclosed`,
    `Source: AI Financing Graph, data CC BY 4.0 · ${sources.size} sources behind the ${links.length} commitments shown`,
  ];
}

function fileName(ext) {
  return `ai-financing-graph-${state.asOf}.${ext}`;
}

function download(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The view as drawn, with the caption below it, as PNG. */
export async function exportPng() {
  const picture = await cy.png({ output: "blob-promise", full: false, scale: SCALE, bg: "#ffffff" });
  const image = await createImageBitmap(picture);
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height + CAPTION_H * SCALE;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0);
  ctx.scale(SCALE, SCALE);
  const top = image.height / SCALE;
  ctx.fillStyle = "#d8dde6";
  ctx.fillRect(0, top, canvas.width / SCALE, 1);
  captionLines().forEach((text, i) => {
    ctx.fillStyle = i === 0 ? "#1d2330" : "#4a5263";
    ctx.font = `${i === 0 ? "600 14px" : "12px"} ${FONT_STACK}`;
    ctx.fillText(text, PAD, top + PAD + 12 + i * LINE);
  });
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  download(blob, fileName("png"));
  return blob.size;
}

const esc = (s) =>
  String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

const r1 = (v) => Math.round(v * 10) / 10;

function edgePath(e) {
  const s = e.renderedSourceEndpoint();
  const t = e.renderedTargetEndpoint();
  let cps = [];
  try {
    cps = e.renderedControlPoints() || []; // cytoscape throws for a straight edge
  } catch (_) {
    cps = [];
  }
  if (!cps.length) return { d: `M${r1(s.x)},${r1(s.y)}L${r1(t.x)},${r1(t.y)}`, from: s, to: t };
  let d = `M${r1(s.x)},${r1(s.y)}`;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    const end = i === cps.length - 1 ? t : { x: (c.x + cps[i + 1].x) / 2, y: (c.y + cps[i + 1].y) / 2 };
    d += `Q${r1(c.x)},${r1(c.y)} ${r1(end.x)},${r1(end.y)}`;
  }
  return { d, from: cps[cps.length - 1], to: t };
}

function arrow(from, to, size, colour) {
  const a = Math.atan2(to.y - from.y, to.x - from.x);
  const p = (da, r) => `${r1(to.x - r * Math.cos(a + da))},${r1(to.y - r * Math.sin(a + da))}`;
  return `<path d="M${r1(to.x)},${r1(to.y)}L${p(0.45, size)}L${p(-0.45, size)}Z" fill="${colour}"/>`;
}

/** The lines of a label as cytoscape wrapped them (its own cache, else the text). */
function labelLines(ele) {
  const cached = ele._private.rscratch.labelWrapCachedLines;
  return Array.isArray(cached) && cached.length ? cached.map((l) => l.trim()) : [ele.style("label")];
}

function labelSvg(ele) {
  const b = ele.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
  if (!(b.w > 0)) return "";
  const size = parseFloat(ele.style("font-size")) * cy.zoom();
  const lines = labelLines(ele);
  const weight = ele.style("font-weight");
  const colour = ele.style("color");
  const cx = (b.x1 + b.x2) / 2;
  const step = b.h / lines.length;
  let out = '<g class="label">';
  if (ele.isEdge()) {
    out += `<rect x="${r1(b.x1)}" y="${r1(b.y1)}" width="${r1(b.w)}" height="${r1(b.h)}" rx="2" fill="#fff" fill-opacity="0.92" stroke="${ele.data("colour")}" stroke-opacity="0.8"/>`;
  }
  lines.forEach((line, i) => {
    const y = b.y1 + step * (i + 0.5);
    out +=
      `<text x="${r1(cx)}" y="${r1(y)}" font-size="${r1(size)}" font-weight="${weight}" fill="${colour}" ` +
      `text-anchor="middle" dominant-baseline="central"${ele.isNode() ? ' class="outlined"' : ""}>${esc(line)}</text>`;
  });
  return out + "</g>";
}

/** The view as drawn, as SVG: the same arrows, nodes, captions and figures, and the caption. */
export function exportSvg() {
  const w = cy.width();
  const h = cy.height();
  const parts = [];
  for (const e of cy.edges(":visible")) {
    const { d, from, to } = edgePath(e);
    const colour = e.style("line-color");
    const width = parseFloat(e.style("width")) * cy.zoom();
    const style = e.style("line-style");
    const dash = style === "dashed" ? ` stroke-dasharray="${r1(width * 3)},${r1(width * 2)}"` : style === "dotted" ? ` stroke-dasharray="${r1(width)},${r1(width * 1.5)}"` : "";
    parts.push(
      `<g opacity="${e.style("opacity")}"><path d="${d}" fill="none" stroke="${colour}" stroke-width="${r1(width)}"${dash}/>` +
        arrow(from, to, 6 + width * 1.5, colour) +
        "</g>",
    );
  }
  for (const n of cy.nodes(":visible")) {
    const p = n.renderedPosition();
    const border = parseFloat(n.style("border-width")) * cy.zoom();
    parts.push(
      `<circle cx="${r1(p.x)}" cy="${r1(p.y)}" r="${r1(n.renderedWidth() / 2)}" fill="${n.style("background-color")}" ` +
        `stroke="${n.style("border-color")}" stroke-width="${r1(border)}" opacity="${n.style("opacity")}"><title>${esc(n.data("name"))}</title></circle>`,
    );
  }
  for (const ele of cy.elements(":visible")) if (ele.style("label")) parts.push(labelSvg(ele));
  const caption = captionLines()
    .map(
      (text, i) =>
        `<text x="${PAD}" y="${h + PAD + 12 + i * LINE}" font-size="${i === 0 ? 14 : 12}" font-weight="${i === 0 ? 600 : 400}" fill="${i === 0 ? "#1d2330" : "#4a5263"}">${esc(text)}</text>`,
    )
    .join("");
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + CAPTION_H}" viewBox="0 0 ${w} ${h + CAPTION_H}" ` +
    `font-family='${FONT_STACK.replaceAll("'", "")}'>` +
    `<title>${esc(captionLines()[0])}</title>` +
    `<style>.outlined{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}</style>` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g id="graph">${parts.join("")}</g>` +
    `<rect x="0" y="${h}" width="${w}" height="1" fill="#d8dde6"/><g id="caption">${caption}</g></svg>`;
  const blob = new Blob([svg], { type: "image/svg+xml" });
  download(blob, fileName("svg"));
  return blob.size;
}
