// Which captions and figures the picture prints, and where: none may cover another.
//
// Greedy, by priority (the largest entities' captions, then the figures from the largest
// amount down, then the other captions): a caption tries below, above, right and left of
// its node; a figure sits at its edge's middle, else slid along it, else just beside it.
// Whatever would cover a drawn label or a node is left out (its text is in the tooltip,
// the panel and the table). A last pass measures what cytoscape actually draws and drops
// the later of any two that touch.

const SIDES = ["bottom", "top", "right", "left"];
const SLIDES = [0, -0.2, 0.2, -0.32, 0.32]; // a figure's shift along its edge, as a share of its length
const SIDE_CLASSES = "lbl-top lbl-right lbl-left";
const GAP = 1; // px of air kept around every label, in model units at zoom 1

function box(b, pad = 0) {
  return { x1: b.x1 - pad, y1: b.y1 - pad, x2: b.x2 + pad, y2: b.y2 + pad };
}

function hits(a, b) {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** The box a node's caption would take on `side`, from the one measured below the node. */
function sideBox(node, below, side) {
  const p = node.position();
  const r = node.height() / 2;
  const w = below.x2 - below.x1;
  const hgt = below.y2 - below.y1;
  const gap = below.y1 - (p.y + r); // the caption's margin, as drawn
  switch (side) {
    case "top":
      return { x1: below.x1, x2: below.x2, y2: p.y - r - gap, y1: p.y - r - gap - hgt };
    case "right":
      return { x1: p.x + r + gap, x2: p.x + r + gap + w, y1: p.y - hgt / 2, y2: p.y + hgt / 2 };
    case "left":
      return { x2: p.x - r - gap, x1: p.x - r - gap - w, y1: p.y - hgt / 2, y2: p.y + hgt / 2 };
    default:
      return below;
  }
}

const labelBox = (ele) =>
  ele.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false, useCache: false });

/** The elements whose label is drawn now (a test reads the same thing). */
export function drawnLabels(cy) {
  return cy.elements(":visible").filter((ele) => {
    if (!ele.style("label")) return false;
    const b = labelBox(ele);
    return b.w > 0 && b.h > 0;
  });
}

/**
 * Place the labels of `cy`'s visible elements. `priority(ele)` orders them, smaller first;
 * null means never labelled.
 */
export function placeLabels(cy, priority) {
  cy.batch(() => {
    cy.nodes().removeClass(SIDE_CLASSES + " nolabel");
    cy.edges().removeClass("nolabel").data({ mx: 0, my: 0 });
  });
  const visible = cy.elements(":visible");
  const candidates = visible
    .filter((ele) => priority(ele) !== null && ele.style("label"))
    .sort((a, b) => priority(a) - priority(b));
  const bodies = visible.nodes().map((n) => ({ id: n.id(), b: box(n.boundingBox({ includeLabels: false, includeOverlays: false })) }));
  const placed = [];
  const view = cy.extent(); // a label cut by the canvas's edge is not printed
  const inside = (b) => b.x1 >= view.x1 && b.x2 <= view.x2 && b.y1 >= view.y1 && b.y2 <= view.y2;
  const free = (b, own) =>
    inside(b) && !placed.some((p) => hits(b, p)) && !bodies.some((n) => n.id !== own && hits(b, n.b));
  const side = new Map();
  const slide = new Map();
  const hidden = [];
  for (const ele of candidates) {
    const measured = labelBox(ele);
    if (!(measured.w > 0)) continue;
    if (ele.isEdge()) {
      // At the middle of the edge, else slid along it, else beside it (a parallel edge's
      // figure may sit on the line); never on a node, its own ends too.
      const s = ele.sourceEndpoint();
      const t = ele.targetEndpoint();
      const length = Math.hypot(t.x - s.x, t.y - s.y) || 1;
      const away = measured.y2 - measured.y1 + 2 * GAP; // one label's height off the line
      const [nx, ny] = [(-(t.y - s.y) / length) * away, ((t.x - s.x) / length) * away];
      const choice = [0, 1, -1]
        .flatMap((side) => SLIDES.map((f) => [f * (t.x - s.x) + side * nx, f * (t.y - s.y) + side * ny]))
        .map(([dx, dy]) => [dx, dy, box({ x1: measured.x1 + dx, x2: measured.x2 + dx, y1: measured.y1 + dy, y2: measured.y2 + dy }, GAP)])
        .find(([, , b]) => free(b, null));
      if (choice) {
        slide.set(ele, choice);
        placed.push(choice[2]);
      } else hidden.push(ele);
      continue;
    }
    const choice = SIDES.map((s) => [s, box(sideBox(ele, measured, s), GAP)]).find(([, b]) => free(b, ele.id()));
    if (choice) {
      side.set(ele, choice[0]);
      placed.push(choice[1]);
    } else hidden.push(ele);
  }
  cy.batch(() => {
    for (const [node, s] of side) if (s !== "bottom") node.addClass("lbl-" + s);
    for (const [edge, [dx, dy]] of slide) edge.data({ mx: dx, my: dy });
    for (const ele of hidden) ele.addClass("nolabel");
    for (const ele of visible.filter((e) => priority(e) === null)) ele.addClass("nolabel");
  });
  // What cytoscape draws may differ from the estimate by a pixel: check, and drop the later.
  const drawn = drawnLabels(cy).sort((a, b) => (priority(a) ?? 1e9) - (priority(b) ?? 1e9));
  const kept = [];
  const late = [];
  for (const ele of drawn) {
    const b = box(labelBox(ele));
    if (kept.some((k) => hits(b, k))) late.push(ele);
    else kept.push(b);
  }
  if (late.length) cy.batch(() => late.forEach((ele) => ele.addClass("nolabel")));
  return { drawn: drawn.length - late.length, hidden: hidden.length + late.length };
}
