// cytoscape's stylesheet: colours from palette.json, captions and figures that stay legible.

import { palette } from "./state.js";

/** The canvas cannot read CSS: the same stack as style.css, CJK fallbacks included. */
export const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK TC", "Noto Sans CJK SC", ' +
  '"Source Han Sans TC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang TC", "PingFang SC", ' +
  '"Hiragino Sans", "Microsoft JhengHei", "Microsoft YaHei", sans-serif';

/**
 * The stylesheet at a label scale k: when zoomed out (k = 1 / zoom > 1) captions and
 * figures keep their size on screen. Which captions and figures are drawn, and where
 * a caption sits around its node, labels.js decides (classes lbl-*, nolabel, figured).
 */
export function cyStyle(k = 1) {
  const s = Math.sqrt(k);
  return [
    {
      selector: "node",
      style: {
        width: (node) => node.data("size") * s,
        height: (node) => node.data("size") * s,
        "background-color": "data(colour)",
        "border-color": "data(border)",
        "border-width": 1.5,
        label: "data(label)",
        "font-size": 12 * k,
        "font-family": FONT_STACK,
        color: "#1d2330",
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 2 * k,
        "text-outline-color": "#ffffff",
        "text-outline-width": 2 * k,
        "text-wrap": "wrap",
        "text-max-width": 118 * k,
        "min-zoomed-font-size": 0,
      },
    },
    { selector: "node.minor", style: { "font-size": 10.5 * k, color: "#4a5263", "text-max-width": 104 * k } },
    { selector: "node.lbl-top", style: { "text-valign": "top", "text-margin-y": -2 * k } },
    {
      selector: "node.lbl-right",
      style: { "text-valign": "center", "text-halign": "right", "text-margin-x": 3 * k, "text-margin-y": 0 },
    },
    {
      selector: "node.lbl-left",
      style: { "text-valign": "center", "text-halign": "left", "text-margin-x": -3 * k, "text-margin-y": 0 },
    },
    {
      // Nothing drawn at this date: a one-line caption in the grid beside the graph.
      selector: "node.idle",
      style: {
        opacity: 0.55,
        "font-size": 10 * k,
        color: "#5a6272",
        "text-wrap": "ellipsis",
        "text-max-width": 118 * k,
        "text-valign": "center",
        "text-halign": "right",
        "text-margin-x": 4 * k,
        "text-margin-y": 0,
      },
    },
    {
      selector: "edge",
      style: {
        width: (edge) => edge.data("width") * s,
        "line-color": "data(colour)",
        "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.9,
        "curve-style": "bezier",
        opacity: 0.85,
        "font-family": FONT_STACK,
      },
    },
    {
      // The figure on a large commitment: its amount, "up to" and "n/d" as the API says.
      selector: "edge.figured",
      style: {
        label: "data(figure)",
        "text-margin-x": "data(mx)",
        "text-margin-y": "data(my)",
        "font-size": 11 * k,
        "font-weight": 600,
        color: "#1d2330",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.92,
        "text-background-padding": 1.5 * k,
        "text-background-shape": "roundrectangle",
        "text-border-color": "data(colour)",
        "text-border-width": 1,
        "text-border-opacity": 0.8,
      },
    },
    { selector: "node.nolabel, edge.nolabel", style: { label: "" } },
    { selector: "edge.nonbinding", style: { "line-style": "dashed", "line-dash-pattern": [7, 4] } },
    { selector: "edge.undisclosed", style: { "line-style": "dotted" } },
    {
      selector: "edge.inactive",
      style: {
        "line-color": palette.inactive.color,
        "target-arrow-color": palette.inactive.color,
        opacity: 0.75,
      },
    },
    {
      selector: "edge:selected",
      style: { "underlay-color": palette.highlight, "underlay-opacity": 0.3, "underlay-padding": 4 },
    },
    {
      selector: "node.stress-none",
      style: { "background-color": palette.distress.none, "border-color": "#b8b8b8" },
    },
    {
      selector: "node.stressed",
      style: { "background-color": "data(stressColour)", "border-color": "#5b0000", "border-width": 1.5 },
    },
    {
      selector: "node.unpriced",
      style: {
        "background-color": palette.distress.none,
        "border-color": palette.distress.unpriced,
        "border-width": 4,
        "border-style": "dashed",
      },
    },
    { selector: "node.shocked", style: { "border-color": "#000000", "border-width": 4 } },
    { selector: ".dim", style: { opacity: 0.12 } },
    {
      selector: ".hl",
      style: {
        "underlay-color": palette.highlight,
        "underlay-opacity": 0.35,
        "underlay-padding": 5,
        opacity: 1,
        "z-index": 10,
      },
    },
    {
      selector: "node:selected, node.focus",
      style: {
        "underlay-color": palette.highlight,
        "underlay-opacity": 0.45,
        "underlay-padding": 6,
        "underlay-shape": "ellipse",
      },
    },
  ];
}
