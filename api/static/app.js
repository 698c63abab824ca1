// The explorer page: the financing web drawn with cytoscape.js over the REST API.
// Plain browser JavaScript, no build step. Colours come from palette.json (shared with
// neo4j/style.grass). window.aifg is a small hook for the browser tests and the console.
"use strict";

(() => {
  // Who stands to lose when the other side fails (DESIGN.md, direct exposure).

  const LABELLED = 30; // entities whose labels keep full size when zoomed out: the largest
  const $ = (id) => document.getElementById(id);
  const state = {
    asOf: null, // the date the drawn graph is for (YYYY-MM-DD)
    graph: null, // the last /graph JSON
    colourBy: "sector",
    showInactive: false,
    selected: null, // entity id shown in the side panel
    cycles: [], // the selected entity's loops
    highlighted: null, // index into cycles, or null
    stressRequest: null, // the last scenario run, re-run when the date changes
    stress: null, // its report
  };
  let palette = null;
  let cy = null;
  let graphSeq = 0;
  let entitySeq = 0;
  let stressSeq = 0;
  let pending = 0;
  let waiters = [];

  // ---------------------------------------------------------------- small helpers

  /** An element with attributes and children (strings become text nodes, never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(el.dataset, value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  /** USD in short form: $300B, $22.4B, $1.4T, $950M. */
  function usdShort(usd) {
    const abs = Math.abs(usd);
    const [div, suffix] =
      abs >= 1e12 ? [1e12, "T"] : abs >= 1e9 ? [1e9, "B"] : abs >= 1e6 ? [1e6, "M"] : [1, ""];
    const value = usd / div;
    const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
    return "$" + Number(value.toFixed(digits)).toLocaleString("en-US") + suffix;
  }

  /** USD in full, for titles: $300,000,000,000. */
  function usdFull(usd) {
    return "$" + Math.round(usd).toLocaleString("en-US");
  }

  /** Replace an element's children, skipping null/false (as h() does). */
  function fill(el, ...children) {
    el.replaceChildren(
      ...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false),
    );
    return el;
  }

  function money(usd) {
    return h("span", { class: "usd", title: usdFull(usd), dataset: { usd: String(usd) } }, usdShort(usd));
  }

  function pct(share) {
    return (share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0) + "%";
  }

  function isoToday() {
    const d = new Date();
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function shiftDate(iso, days) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function nameOf(id) {
    const node = cy && cy.getElementById(id);
    return node && node.nonempty() ? node.data("name") : id;
  }

  function kindLabel(kind) {
    return (palette.commitment_kinds[kind] || { label: kind }).label;
  }

  // ---------------------------------------------------------------- requests

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  function busy(delta) {
    pending += delta;
    document.body.dataset.busy = pending > 0 ? "true" : "false";
    if (pending === 0) {
      const done = waiters;
      waiters = [];
      done.forEach((resolve) => resolve());
    }
  }

  /** JSON from the API; a problem detail (RFC 9457) becomes an ApiError with its detail. */
  async function api(path, options = {}) {
    busy(+1);
    try {
      let response;
      try {
        response = await fetch(path, {
          ...options,
          headers: { Accept: "application/json", ...(options.headers || {}) },
        });
      } catch (error) {
        throw new ApiError(`Could not reach the server: ${error.message}`, 0);
      }
      if (!response.ok) {
        let detail = response.statusText || "request failed";
        try {
          const body = await response.json();
          detail = body.detail || body.title || detail;
        } catch (_) {
          /* not JSON: keep the status text */
        }
        throw new ApiError(`${detail} (HTTP ${response.status})`, response.status);
      }
      return await response.json();
    } finally {
      busy(-1);
    }
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) q.set(k, v);
    return q.toString();
  }

  function showBanner(message, retry) {
    $("banner-text").textContent = message;
    $("banner-retry").hidden = !retry;
    $("banner-retry").onclick = retry
      ? () => {
          hideBanner();
          retry();
        }
      : null;
    $("banner").hidden = false;
  }

  function hideBanner() {
    $("banner").hidden = true;
  }

  function panelError(message) {
    return h("p", { class: "error", role: "alert" }, message);
  }

  // ---------------------------------------------------------------- colours and sizes

  function sectorGroup(sectors) {
    for (const sector of sectors) {
      const group = palette.sector_groups.find((g) => g.sectors.includes(sector));
      if (group) return group;
    }
    return palette.other_sector;
  }

  function nodeColours(node) {
    if (state.colourBy === "kind") {
      const k = palette.entity_kinds[node.kind] || palette.entity_kinds.company;
      return { colour: k.color, border: k.border };
    }
    const colour = sectorGroup(node.sectors).color;
    return { colour, border: colour };
  }

  function nodeSize(totalUsd) {
    // Area grows with log(total): $1B -> ~22px, $100B -> ~40px, $1T -> ~50px.
    return totalUsd > 0 ? 16 + 11 * Math.log10(1 + totalUsd / 1e9) : 14;
  }

  function edgeWidth(usd) {
    return usd > 0 ? 1.2 + 1.9 * Math.log10(1 + usd / 1e9) : 1.2;
  }

  function hexToRgb(hex) {
    const n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  function distressColour(distress) {
    const ramp = palette.distress.ramp.map(hexToRgb);
    const x = Math.max(0, Math.min(1, distress)) * (ramp.length - 1);
    const i = Math.min(ramp.length - 2, Math.floor(x));
    const t = x - i;
    const rgb = ramp[i].map((c, j) => Math.round(c + (ramp[i + 1][j] - c) * t));
    return `rgb(${rgb.join(",")})`;
  }

  // ---------------------------------------------------------------- the graph

  /**
   * The stylesheet at a label scale k: when zoomed out (k = 1 / zoom > 1) labels keep about
   * 12px on screen (10px beyond the LABELLED largest entities).
   */
  function cyStyle(k = 1) {
    return [
      {
        selector: "node",
        style: {
          width: (node) => node.data("size") * Math.sqrt(k),
          height: (node) => node.data("size") * Math.sqrt(k),
          "background-color": "data(colour)",
          "border-color": "data(border)",
          "border-width": 1.5,
          label: "data(name)",
          "font-size": 12 * k,
          "font-family": "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif",
          color: "#1d2330",
          "text-valign": "bottom",
          "text-margin-y": 3 * k,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2.5 * k,
          "text-wrap": "wrap",
          "text-max-width": 120 * k,
        },
      },
      {
        selector: "node.minor",
        style: k > 1.25 ? { "font-size": 10 * k, color: "#5a6272", "text-max-width": 100 * k } : {},
      },
      {
        // Nothing drawn at this date: a one-line label in the grid beside the graph.
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
          width: (edge) => edge.data("width") * Math.sqrt(k),
          "line-color": "data(colour)",
          "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.9,
          "curve-style": "bezier",
          opacity: 0.85,
        },
      },
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
        style: {
          label: "data(amount)",
          "font-size": 11,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.9,
          "text-background-padding": 2,
          "underlay-color": palette.highlight,
          "underlay-opacity": 0.3,
          "underlay-padding": 4,
        },
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

  function amountText(link) {
    if (!link.disclosed) return "amount not disclosed";
    const range =
      link.usd_low !== link.usd_high ? ` (${usdShort(link.usd_low)}–${usdShort(link.usd_high)})` : "";
    return (link.up_to ? "up to " : "") + usdShort(link.usd) + range;
  }

  /** Cytoscape elements for the graph at state.asOf: every entity, the commitments drawn. */
  function elementsFor(graph) {
    const totals = new Map();
    const links = graph.links.filter((l) => l.counts || state.showInactive);
    for (const l of graph.links) {
      if (!l.counts) continue;
      totals.set(l.source, (totals.get(l.source) || 0) + l.usd);
      totals.set(l.target, (totals.get(l.target) || 0) + l.usd);
    }
    const touched = new Set(links.flatMap((l) => [l.source, l.target]));
    const ranked = graph.nodes.map((n) => n.id).sort((x, y) => (totals.get(y) || 0) - (totals.get(x) || 0));
    const major = new Set(ranked.slice(0, LABELLED));
    const nodes = graph.nodes.map((n) => {
      const sectors = n.sectors ? n.sectors.split(",") : [];
      const total = totals.get(n.id) || 0;
      const data = {
        id: n.id,
        name: n.name,
        kind: n.kind,
        sectors,
        country: n.country,
        ticker: n.ticker,
        total,
        size: nodeSize(total),
      };
      Object.assign(data, nodeColours(data));
      const classes = [touched.has(n.id) ? "" : "idle", major.has(n.id) ? "" : "minor"];
      return { group: "nodes", data, classes: classes.join(" ").trim() };
    });
    const edges = links.map((l) => {
      const classes = [];
      if (l.binding === "false") classes.push("nonbinding");
      if (!l.disclosed) classes.push("undisclosed");
      if (!l.counts) classes.push("inactive");
      return {
        group: "edges",
        data: {
          id: "c:" + l.id,
          cid: l.id,
          source: l.source,
          target: l.target,
          kind: l.kind,
          usd: l.usd,
          counts: l.counts,
          status: l.status,
          binding: l.binding,
          disclosed: l.disclosed,
          announced: l.announced,
          amount: amountText(l),
          width: edgeWidth(l.usd),
          colour: (palette.commitment_kinds[l.kind] || palette.commitment_kinds.other).color,
        },
        classes: classes.join(" "),
      };
    });
    return { nodes, edges };
  }

  /**
   * Arrange the drawn graph: the largest entities in the middle to start with (deterministic,
   * so the same data gives the same picture), a force-directed pass (cose, built in), and
   * entities with no commitment drawn at this date in a grid beside it. Labels are left out
   * of the forces: they keep a readable size on screen whatever the zoom (scaleLabels).
   */
  function layout() {
    const linked = cy.nodes().filter((n) => n.degree(false) > 0);
    const alone = cy
      .nodes()
      .not(linked)
      .sort((a, b) => a.data("name").localeCompare(b.data("name")));
    const part = linked.union(linked.connectedEdges());
    if (linked.nonempty()) {
      part
        .layout({
          name: "concentric",
          animate: false,
          fit: false,
          concentric: (node) => Math.log10(1 + node.data("total") / 1e9),
          levelWidth: () => 0.6,
          minNodeSpacing: 30,
        })
        .run();
      part
        .layout({
          name: "cose",
          randomize: false,
          animate: false,
          fit: false,
          nodeDimensionsIncludeLabels: false,
          idealEdgeLength: () => 90,
          edgeElasticity: () => 80,
          nodeRepulsion: () => 40000,
          nodeOverlap: 12,
          gravity: 0.4,
          componentSpacing: 50,
          numIter: 2500,
          initialTemp: 600,
        })
        .run();
    }
    // The grid is planned in screen pixels (cells of 140 x 24 px at the zoom that will fit
    // everything), so its labels neither overlap nor crowd out the graph.
    const box = linked.nonempty() ? linked.boundingBox() : { x1: 0, x2: 0, y1: 0, w: 1, h: 1 };
    const [W, H] = [cy.width(), cy.height()];
    const rows = Math.max(1, Math.floor((H - 60) / 24));
    const cols = Math.ceil(alone.length / rows);
    const gridW = cols ? cols * 140 + 40 : 0;
    const z = Math.min(1.4, (W - gridW - 60) / Math.max(box.w, 1), (H - 60) / Math.max(box.h, 1));
    const zoom = Math.max(z, 0.05);
    alone.forEach((node, i) => {
      node.position({
        x: box.x2 + (40 + Math.floor(i / rows) * 140) / zoom,
        y: box.y1 + ((i % rows) * 24) / zoom,
      });
    });
    fitView();
    scaleLabels();
  }

  let labelScale = 1;

  function scaleLabels() {
    const k = Math.min(4, Math.max(1, 1 / cy.zoom()));
    if (Math.abs(k - labelScale) / labelScale < 0.08) return;
    labelScale = k;
    cy.style(cyStyle(k));
  }

  /** Fit the graph, but no closer than 1.4x: a small web should not fill the screen. */
  function fitView() {
    cy.resize();
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center();
    }
  }

  function drawGraph(graph, { relayout }) {
    const { nodes, edges } = elementsFor(graph);
    const known = new Set(cy.nodes().map((n) => n.id()));
    const fresh = nodes.length !== known.size || nodes.some((n) => !known.has(n.data.id));
    cy.batch(() => {
      cy.edges().remove();
      if (fresh) cy.nodes().remove();
      for (const n of nodes) {
        const el = cy.getElementById(n.data.id);
        if (el.nonempty()) {
          el.data(n.data);
          el.classes(n.classes);
        } else {
          cy.add(n);
        }
      }
      cy.add(edges);
    });
    renderLegend(); // before the layout: the legend's height sets the canvas's
    cy.resize();
    if (fresh || relayout) layout();
    applyStress();
    applyHighlight();
    if (state.selected) cy.getElementById(state.selected).addClass("focus");
    const inactive = graph.links.filter((l) => !l.counts).length;
    const live = graph.links.length - inactive;
    const inactiveText = inactive
      ? ` · ${inactive} paused, cancelled or not counting ${state.showInactive ? "(grey)" : "(hidden)"}`
      : "";
    $("graph-status").textContent =
      `${nodes.length} entities · ${live} commitments counting at ${state.asOf}` + inactiveText;
    document.body.dataset.asOf = state.asOf;
  }

  async function loadGraph({ relayout = false } = {}) {
    const seq = ++graphSeq;
    const asOf = $("as-of").value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      $("graph-status").textContent = "Pick a date (YYYY-MM-DD).";
      return;
    }
    $("graph-status").textContent = `Loading the graph as of ${asOf}…`;
    document.body.dataset.loading = "graph";
    try {
      const graph = await api("graph?" + query({ format: "json", as_of: asOf }));
      if (seq !== graphSeq) return; // a later date was picked meanwhile
      state.graph = graph;
      state.asOf = asOf;
      hideBanner();
      drawGraph(graph, { relayout });
      fillShockEntities();
      syncUrl();
      if (state.selected) loadEntity(state.selected);
      if (state.stressRequest) runStress(state.stressRequest);
    } catch (error) {
      if (seq !== graphSeq) return;
      $("graph-status").textContent = "The graph could not be loaded.";
      showBanner(`Could not load the graph as of ${asOf}: ${error.message}`, () => loadGraph({ relayout }));
    } finally {
      if (seq === graphSeq) delete document.body.dataset.loading;
    }
  }

  function redrawStyle() {
    if (!state.graph) return;
    drawGraph(state.graph, { relayout: false });
  }

  // ---------------------------------------------------------------- legend

  function swatch(colour, shape) {
    return h("span", { class: "swatch " + (shape || "dot"), style: `--c: ${colour}` });
  }

  function legendGroup(title, ...rows) {
    return h("div", { class: "group" }, h("h4", {}, title), h("div", { class: "rows" }, rows));
  }

  function legendRow(colour, shape, text) {
    return h("span", { class: "row" }, swatch(colour, shape), text);
  }

  function renderLegend() {
    const groups = [];
    if (state.stress) {
      groups.push(
        legendGroup(
          "Loss relative to buffer",
          h(
            "span",
            { class: "row" },
            "0%",
            h("span", {
              class: "ramp",
              style: `--ramp: linear-gradient(90deg, ${palette.distress.ramp.join(",")})`,
            }),
            "100%",
          ),
          legendRow(palette.distress.unpriced, "ring", "exposed, amount not disclosed"),
          legendRow(palette.distress.none, "dot", "not hit"),
          legendRow("#000", "ring-solid", "shocked"),
        ),
      );
    } else {
      const present = new Set(cy.nodes().map((n) => n.data("colour")));
      const all =
        state.colourBy === "kind"
          ? Object.values(palette.entity_kinds).map((k) => ({ name: k.label, color: k.color }))
          : [...palette.sector_groups, palette.other_sector];
      groups.push(
        legendGroup(
          state.colourBy === "kind" ? "Entity kind" : "Sector",
          all.filter((g) => present.has(g.color)).map((g) => legendRow(g.color, "dot", g.name)),
        ),
      );
    }
    const kinds = new Set(cy.edges().map((e) => e.data("kind")));
    groups.push(
      legendGroup(
        "Commitment, payer → recipient",
        Object.entries(palette.commitment_kinds)
          .filter(([kind]) => kinds.has(kind))
          .map(([, k]) => legendRow(k.color, "line", k.label)),
      ),
      legendGroup(
        "Line",
        legendRow("#555", "dashed", "non-binding"),
        legendRow("#555", "dotted", "amount not disclosed"),
        state.showInactive ? legendRow(palette.inactive.color, "line", "paused or cancelled") : null,
        h("span", { class: "row muted" }, "width: amount (log) · node size: total commitments"),
      ),
    );
    $("legend").replaceChildren(...groups);
  }

  // ---------------------------------------------------------------- tooltip

  function showTooltip(event, lines) {
    const tip = $("tooltip");
    tip.replaceChildren(...lines.map((line, i) => h(i === 0 ? "strong" : "div", {}, line)));
    const { x, y } = event.renderedPosition || { x: 0, y: 0 };
    tip.style.left = `${x + 14}px`;
    tip.style.top = `${y + 14}px`;
    tip.hidden = false;
  }

  function edgeLines(e) {
    const d = e.data();
    return [
      `${nameOf(d.source)} → ${nameOf(d.target)}`,
      `${kindLabel(d.kind)} · ${d.amount}`,
      `${d.status}${d.counts ? "" : " (does not count)"} · ${
        d.binding === "false" ? "non-binding" : d.binding === "true" ? "binding" : "binding not known"
      } · announced ${d.announced}`,
    ];
  }

  // ---------------------------------------------------------------- entity panel

  function exposureTable(report, caption) {
    if (!report.counterparties.length) return h("p", { class: "muted" }, "None at this date.");
    return h(
      "table",
      { class: "data" },
      h("caption", { class: "visually-hidden" }, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Counterparty"),
          h("th", { scope: "col", class: "num" }, "USD"),
          h("th", { scope: "col", class: "num" }, "A year"),
          h("th", { scope: "col", class: "num" }, "Share"),
          h("th", { scope: "col", class: "num", title: "of the exposed party's latest revenue" }, "Of revenue"),
          h("th", { scope: "col" }, "Kinds"),
        ),
      ),
      h(
        "tbody",
        {},
        report.counterparties.map((c) => {
          // The API says what is unknown (null) and how many figures a sum lacks.
          const perYear = c.items.map((i) => i.usd_per_year).filter((u) => u !== null);
          const amount =
            c.usd === null
              ? h("span", { class: "muted", title: "amount not disclosed" }, "n/d")
              : (c.up_to ? "up to " : "") + (c.estimate ? "est. " : "") + money(c.usd) +
                (c.undisclosed ? ` + ${c.undisclosed} n/d` : "");
          return h(
            "tr",
            { dataset: { id: c.id } },
            h("td", {}, entityButton(c.id, c.name)),
            h("td", { class: "num" }, amount),
            h("td", { class: "num" }, perYear.length ? money(perYear.reduce((a, b) => a + b, 0)) : ""),
            h("td", { class: "num" }, c.share === null ? "" : pct(c.share)),
            h(
              "td",
              {
                class: "num",
                title: c.exposed_revenue ? `revenue ${money(c.exposed_revenue.usd)} (${c.exposed_revenue.period || c.exposed_revenue.as_of})` : "",
              },
              c.share_of_revenue === null ? "" : pct(c.share_of_revenue),
            ),
            h("td", { class: "kinds" }, c.kinds.map(kindLabel).join(", ")),
          );
        }),
      ),
    );
  }

  function lookThroughTable(report, caption) {
    const rows = report.look_through.filter((l) => l.id !== report.entity).slice(0, 12);
    if (!rows.length) return h("p", { class: "muted" }, "None at this date.");
    return h(
      "table",
      { class: "data" },
      h("caption", { class: "visually-hidden" }, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Entity"),
          h("th", { scope: "col", class: "num" }, "USD"),
          h("th", { scope: "col" }, "Largest path"),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((l) =>
          h(
            "tr",
            { dataset: { id: l.id } },
            h("td", {}, entityButton(l.id, l.name)),
            h("td", { class: "num" }, money(l.usd)),
            h("td", { class: "path" }, l.paths.length ? l.paths[0].path.map(nameOf).join(" → ") : ""),
          ),
        ),
      ),
    );
  }

  function entityButton(id, name) {
    return h(
      "button",
      { type: "button", class: "link", onclick: () => selectEntity(id, { centre: true }) },
      name,
    );
  }

  function keyFact(id, label, report, whose) {
    const top = report.counterparties.find((c) => c.usd > 0);
    if (!top) return h("p", { id, class: "key-fact muted" }, `${label}: none at this date.`);
    return h(
      "p",
      { id, class: "key-fact", dataset: { id: top.id, usd: String(top.usd) } },
      `${label}: `,
      h("strong", { class: "name" }, top.name),
      " ",
      money(top.usd),
      ` (${pct(top.share)} of ${whose})`,
    );
  }

  function cyclesList(report) {
    if (!report.cycles.length) return h("p", { class: "muted" }, "Not on any loop at this date.");
    return h(
      "ol",
      { class: "cycles" },
      report.cycles.map((cycle, i) =>
        h(
          "li",
          {},
          h("span", { class: "loop" }, cycle.entities.map(nameOf).join(" → ")),
          h("span", { class: "muted" }, " round trip ", money(cycle.round_trip_usd)),
          " ",
          h(
            "button",
            {
              type: "button",
              class: "small-button",
              "aria-pressed": state.highlighted === i ? "true" : "false",
              dataset: { cycle: String(i) },
              onclick: () => toggleCycle(i),
            },
            "Highlight",
          ),
        ),
      ),
      report.truncated
        ? h("li", { class: "muted" }, "More loops exist; the API returned the largest.")
        : null,
    );
  }

  function toggleCycle(i) {
    state.highlighted = state.highlighted === i ? null : i;
    applyHighlight();
    document.querySelectorAll("[data-cycle]").forEach((b) => {
      b.setAttribute("aria-pressed", String(Number(b.dataset.cycle) === state.highlighted));
    });
  }

  function applyHighlight() {
    if (!cy) return;
    cy.elements().removeClass("dim hl");
    const cycle = state.highlighted === null ? null : state.cycles[state.highlighted];
    if (!cycle) return;
    const keep = cy.collection();
    for (const id of cycle.entities) keep.merge(cy.getElementById(id));
    for (const hop of cycle.commitments) for (const cid of hop) keep.merge(cy.getElementById("c:" + cid));
    cy.elements().not(keep).addClass("dim");
    keep.addClass("hl");
  }

  function selectEntity(id, { centre = false } = {}) {
    state.selected = id;
    state.highlighted = null;
    cy.elements().removeClass("focus");
    const node = cy.getElementById(id);
    node.addClass("focus");
    if (centre && node.nonempty()) cy.animate({ center: { eles: node }, duration: 250 });
    showTab("entity");
    syncUrl();
    loadEntity(id);
  }

  async function loadEntity(id) {
    const seq = ++entitySeq;
    const body = $("entity-body");
    const asOf = state.asOf;
    const node = cy.getElementById(id);
    fill(
      body,
      h("h2", {}, node.nonempty() ? node.data("name") : id),
      h("p", { class: "loading" }, `Loading exposure as of ${asOf}…`),
    );
    applyHighlight();
    const base = `entities/${encodeURIComponent(id)}`;
    const results = await Promise.allSettled([
      api(base),
      api(`${base}/exposure?` + query({ direction: "out", as_of: asOf, depth: 2 })),
      api(`${base}/exposure?` + query({ direction: "in", as_of: asOf, depth: 2 })),
      api("analysis/cycles?" + query({ entity: id, as_of: asOf })),
    ]);
    if (seq !== entitySeq) return;
    const [detail, out, inn, cycles] = results.map((r) => (r.status === "fulfilled" ? r.value : r.reason));
    const failed = (x) => x instanceof Error;
    const entity = failed(detail) ? null : detail.entity;
    const name = entity ? entity.name : node.nonempty() ? node.data("name") : id;
    const meta = entity
      ? [entity.kind, entity.sectors.join(", "), entity.country, entity.ticker].filter(Boolean).join(" · ")
      : "";
    state.cycles = failed(cycles) ? [] : cycles.cycles;
    state.highlighted = null;
    applyHighlight();
    fill(
      body,
      h("h2", { id: "entity-name" }, name),
      meta ? h("p", { class: "meta" }, meta) : null,
      entity && entity.aliases.length
        ? h("p", { class: "meta" }, "Also: " + entity.aliases.join(", "))
        : null,
      failed(detail) ? panelError(`Could not load ${id}: ${detail.message}`) : null,
      h("h3", {}, "Largest counterparties"),
      failed(out)
        ? panelError(`Exposure could not be loaded: ${out.message}`)
        : keyFact("largest-out", "Stands to lose most from", out, `what ${name} stands to lose`),
      failed(inn)
        ? null
        : keyFact("largest-in", "Would hurt most if it failed", inn, `what others stand to lose on ${name}`),
      h(
        "h3",
        {},
        `Stands to lose if they fail (out)`,
        failed(out) ? null : h("span", { class: "total" }, " ", money(out.total_usd)),
      ),
      failed(out)
        ? null
        : h(
            "div",
            { id: "exposure-out" },
            exposureTable(out, `What ${name} stands to lose, by counterparty`),
          ),
      h(
        "h3",
        {},
        `Who loses if ${name} fails (in)`,
        failed(inn) ? null : h("span", { class: "total" }, " ", money(inn.total_usd)),
      ),
      failed(inn)
        ? panelError(`Exposure could not be loaded: ${inn.message}`)
        : h("div", { id: "exposure-in" }, exposureTable(inn, `Who stands to lose if ${name} fails`)),
      h("h3", {}, "Look-through exposure (depth 2)"),
      h(
        "p",
        { class: "small muted" },
        "Through intermediaries: each stakeholder's share of what is at stake in the next one, never more than any hop.",
      ),
      failed(out) ? null : h("h4", {}, `${name} to…`),
      failed(out)
        ? null
        : h("div", { id: "look-through-out" }, lookThroughTable(out, `${name}'s look-through exposure`)),
      failed(inn) ? null : h("h4", {}, `…to ${name}`),
      failed(inn)
        ? null
        : h("div", { id: "look-through-in" }, lookThroughTable(inn, `Look-through exposure to ${name}`)),
      h("h3", {}, "Circular financing loops"),
      failed(cycles)
        ? panelError(`Loops could not be loaded: ${cycles.message}`)
        : h("div", { id: "cycles" }, cyclesList(cycles)),
      h(
        "p",
        { class: "small" },
        h("a", { href: `${base}`, target: "_blank", rel: "noopener" }, "JSON"),
        " · ",
        h(
          "a",
          { href: `${base}/exposure?` + query({ as_of: asOf, depth: 2 }), target: "_blank", rel: "noopener" },
          "exposure JSON",
        ),
      ),
    );
  }

  async function showCommitment(cid) {
    const seq = ++entitySeq;
    state.selected = null;
    state.highlighted = null;
    applyHighlight();
    showTab("entity");
    const body = $("entity-body");
    fill(body, h("h2", {}, cid), h("p", { class: "loading" }, "Loading the commitment…"));
    try {
      const c = await api(`commitments/${encodeURIComponent(cid)}`);
      if (seq !== entitySeq) return;
      const a = c.amount;
      fill(
        body,
        h("h2", {}, `${nameOf(c.from)} → ${nameOf(c.to)}`),
        h("p", { class: "meta" }, `${kindLabel(c.kind)} · ${c.id}`),
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Amount"),
          h(
            "dd",
            {},
            a
              ? [
                  a.as_written || "",
                  a.as_written ? " · " : "",
                  cy.getElementById("c:" + cid).data("amount") || "",
                ]
              : "not disclosed",
          ),
          h("dt", {}, "Binding"),
          h(
            "dd",
            {},
            c.binding === null || c.binding === undefined
              ? "not known"
              : c.binding
                ? "yes"
                : "no (non-binding)",
          ),
          h("dt", {}, "Announced"),
          h("dd", {}, c.announced),
          h("dt", {}, "Status"),
          h(
            "dd",
            {},
            h(
              "ul",
              { class: "plain" },
              c.status.map((s) => h("li", {}, `${s.date}: ${s.status}`, s.note ? ` (${s.note})` : "")),
            ),
          ),
        ),
        h("h3", {}, "Sources"),
        h(
          "ul",
          { class: "plain" },
          c.sources.map((s) =>
            h(
              "li",
              {},
              h("a", { href: s.url, target: "_blank", rel: "noopener noreferrer" }, s.publisher),
              s.date ? ` · ${s.date}` : "",
            ),
          ),
        ),
        c.notes ? h("p", { class: "small" }, c.notes) : null,
        h(
          "p",
          {},
          entityButton(c.from, `Open ${nameOf(c.from)}`),
          " ",
          entityButton(c.to, `Open ${nameOf(c.to)}`),
        ),
      );
    } catch (error) {
      if (seq !== entitySeq) return;
      fill(body, h("h2", {}, cid), panelError(`Could not load the commitment: ${error.message}`));
    }
  }

  // ---------------------------------------------------------------- domino panel

  function fillShockEntities() {
    const select = $("shock-entity");
    const current = select.value || state.selected || "openai";
    const nodes = state.graph.nodes.slice().sort((a, b) => a.name.localeCompare(b.name));
    select.replaceChildren(...nodes.map((n) => h("option", { value: n.id }, n.name)));
    if (nodes.some((n) => n.id === current)) select.value = current;
  }

  /** Entities that stand to lose on a hit entity through a commitment without a figure. */
  function unpricedExposure(hitIds) {
    const found = new Map();
    for (const l of state.graph.links) {
      if (!l.counts || l.disclosed || !l.exposed) continue;
      // The API says who stands to lose on each link; the failing party is the other end.
      const exposed = l.exposed;
      const failing = exposed === l.source ? l.target : l.source;
      if (hitIds.has(failing) && !hitIds.has(exposed) && !found.has(exposed)) {
        found.set(exposed, { via: failing, kind: l.kind, cid: l.id });
      }
    }
    return found;
  }

  function applyStress() {
    if (!cy) return;
    cy.nodes().removeClass("stressed stress-none unpriced shocked");
    const report = state.stress;
    if (!report) return;
    const hit = new Map(
      report.entities.filter((e) => e.distress > 0 || e.loss_usd > 0 || e.defaulted).map((e) => [e.id, e]),
    );
    const unpriced = unpricedExposure(new Set(hit.keys()));
    cy.nodes().forEach((node) => {
      const e = hit.get(node.id());
      if (e) {
        node.data("stressColour", distressColour(Math.max(e.distress, 0.04)));
        node.data("distress", e.distress);
        node.addClass("stressed");
      } else if (unpriced.has(node.id())) {
        node.addClass("unpriced");
      } else {
        node.addClass("stress-none");
      }
    });
    for (const shock of report.shocks) cy.getElementById(shock.entity).addClass("shocked");
  }

  function stressList(report) {
    const hit = report.entities.filter((e) => e.distress > 0 || e.loss_usd > 0 || e.defaulted);
    hit.sort(
      (a, b) => (a.round ?? 1e9) - (b.round ?? 1e9) || b.distress - a.distress || b.loss_usd - a.loss_usd,
    );
    const unpriced = unpricedExposure(new Set(hit.map((e) => e.id)));
    const missing = new Set(report.missing_buffers);
    return [
      h(
        "p",
        { class: "summary" },
        `${hit.length} ${hit.length === 1 ? "entity" : "entities"} hit in ${report.rounds} ${report.rounds === 1 ? "round" : "rounds"} · total loss `,
        money(report.total_loss_usd),
        report.debtrank !== null && report.debtrank !== undefined
          ? ` · DebtRank R = ${report.debtrank.toFixed(3)}`
          : "",
      ),
      h(
        "ol",
        { class: "hits", id: "stress-hits" },
        hit.map((e) =>
          h(
            "li",
            { dataset: { id: e.id, distress: String(e.distress) } },
            h(
              "span",
              { class: "round" },
              e.round === null || e.round === undefined ? "–" : `round ${e.round}`,
            ),
            entityButton(e.id, e.name),
            h("span", {
              class: "bar",
              style: `--w: ${Math.round(e.distress * 100)}%; --c: ${distressColour(Math.max(e.distress, 0.04))}`,
              title: `${pct(e.distress)} of buffer`,
            }),
            h("span", { class: "num" }, pct(e.distress)),
            h("span", { class: "num" }, money(e.loss_usd)),
            e.defaulted ? h("span", { class: "badge" }, "defaults") : null,
            missing.has(e.id)
              ? h("span", { class: "badge muted", title: e.buffer_rule }, "no buffer figure")
              : null,
          ),
        ),
      ),
      unpriced.size
        ? h(
            "div",
            { id: "stress-unpriced" },
            h("h4", {}, "Also exposed, amount not disclosed"),
            h(
              "p",
              { class: "small muted" },
              "Their commitments carry no figure, so the model cannot price the loss; they are ringed in the graph.",
            ),
            h(
              "ul",
              { class: "plain" },
              [...unpriced].map(([id, u]) =>
                h(
                  "li",
                  { dataset: { id } },
                  entityButton(id, nameOf(id)),
                  ` · ${kindLabel(u.kind)} with ${nameOf(u.via)}`,
                ),
              ),
            ),
          )
        : null,
      report.missing_buffers.length
        ? h(
            "p",
            { class: "small muted" },
            `No ${report.buffer} figure for ${report.missing_buffers.map(nameOf).join(", ")}: their buffer is their total exposure.`,
          )
        : null,
      h(
        "details",
        { class: "small" },
        h("summary", {}, "How this was computed"),
        h(
          "ul",
          {},
          report.rules.map((r) => h("li", {}, r)),
        ),
      ),
    ];
  }

  async function runStress(request) {
    const seq = ++stressSeq;
    const out = $("domino-result");
    const button = $("run-stress");
    const body = { ...request, as_of: state.asOf };
    state.stressRequest = request;
    button.disabled = true;
    button.textContent = "Running…";
    fill(
      out,
      h(
        "p",
        { class: "loading" },
        `Running ${body.model} on ${nameOf(body.shocks[0].entity)} as of ${body.as_of}…`,
      ),
    );
    try {
      const report = await api("analysis/stress", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (seq !== stressSeq) return;
      state.stress = report;
      applyStress();
      renderLegend();
      fill(out, stressList(report));
      document.body.dataset.stress = "done";
    } catch (error) {
      if (seq !== stressSeq) return;
      state.stress = null;
      state.stressRequest = null;
      applyStress();
      renderLegend();
      const message =
        error.status === 404 || error.status === 405
          ? `This server has no stress endpoint (POST /analysis/stress answered HTTP ${error.status}).`
          : `The scenario could not be run: ${error.message}`;
      fill(out, panelError(message));
      document.body.dataset.stress = "error";
    } finally {
      if (seq === stressSeq) {
        button.disabled = false;
        button.textContent = "Run scenario";
      }
    }
  }

  function clearStress() {
    stressSeq++;
    state.stress = null;
    state.stressRequest = null;
    applyStress();
    renderLegend();
    $("domino-result").replaceChildren();
    delete document.body.dataset.stress;
  }

  // ---------------------------------------------------------------- search

  let searchTimer = null;
  let searchSeq = 0;
  let searchDone = Promise.resolve([]);

  function closeSearch() {
    $("search-results").hidden = true;
    $("search").setAttribute("aria-expanded", "false");
  }

  function search(text) {
    const seq = ++searchSeq;
    const list = $("search-results");
    if (!text.trim()) {
      closeSearch();
      searchDone = Promise.resolve([]);
      return searchDone;
    }
    searchDone = api("entities?" + query({ q: text.trim(), limit: 10 }))
      .then((page) => {
        if (seq !== searchSeq) return page.items;
        const q = text.trim().toLowerCase();
        fill(
          list,
          page.items.length
            ? page.items.map((e) => {
                const alias = e.name.toLowerCase().includes(q)
                  ? null
                  : e.aliases.find((a) => a.toLowerCase().includes(q));
                return h(
                  "li",
                  {},
                  h(
                    "button",
                    { type: "button", dataset: { id: e.id }, onclick: () => pickResult(e.id) },
                    e.name,
                    alias ? h("span", { class: "muted" }, ` (${alias})`) : null,
                  ),
                );
              })
            : [h("li", { class: "muted" }, "No match.")],
        );
        list.hidden = false;
        $("search").setAttribute("aria-expanded", "true");
        return page.items;
      })
      .catch((error) => {
        if (seq === searchSeq) {
          list.replaceChildren(h("li", { class: "error", role: "alert" }, `Search failed: ${error.message}`));
          list.hidden = false;
        }
        return [];
      });
    return searchDone;
  }

  function pickResult(id) {
    closeSearch();
    selectEntity(id, { centre: true });
  }

  // ---------------------------------------------------------------- tabs, URL, wiring

  function showTab(name) {
    for (const tab of ["entity", "domino"]) {
      const selected = tab === name;
      $("tab-" + tab).setAttribute("aria-selected", String(selected));
      $("tab-" + tab).tabIndex = selected ? 0 : -1;
      $("panel-" + tab).hidden = !selected;
    }
  }

  function syncUrl() {
    const params = new URLSearchParams(location.search);
    params.set("as_of", state.asOf);
    if (state.selected) params.set("entity", state.selected);
    else params.delete("entity");
    history.replaceState(null, "", "?" + params.toString());
  }

  function wire() {
    $("as-of").addEventListener("change", () => loadGraph());
    $("day-back").addEventListener("click", () => {
      $("as-of").value = shiftDate($("as-of").value || isoToday(), -1);
      loadGraph();
    });
    $("day-forward").addEventListener("click", () => {
      $("as-of").value = shiftDate($("as-of").value || isoToday(), +1);
      loadGraph();
    });
    $("colour-by").addEventListener("change", (e) => {
      state.colourBy = e.target.value;
      redrawStyle();
    });
    $("show-inactive").addEventListener("change", (e) => {
      state.showInactive = e.target.checked;
      redrawStyle();
    });
    $("fit").addEventListener("click", fitView);
    $("relayout").addEventListener("click", () => layout());
    $("banner-close").addEventListener("click", hideBanner);

    const input = $("search");
    input.addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => search(input.value), 180);
    });
    input.addEventListener("keydown", async (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(searchTimer);
        const items = await search(input.value);
        if (items.length) pickResult(items[0].id);
      } else if (e.key === "ArrowDown") {
        e.preventDefault();
        const first = $("search-results").querySelector("button");
        if (first) first.focus();
      } else if (e.key === "Escape") {
        closeSearch();
      }
    });
    $("search-results").addEventListener("keydown", (e) => {
      const buttons = [...$("search-results").querySelectorAll("button")];
      const i = buttons.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < buttons.length - 1) buttons[i + 1].focus();
      else if (e.key === "ArrowUp") (i > 0 ? buttons[i - 1] : input).focus();
      else if (e.key === "Escape") {
        closeSearch();
        input.focus();
      } else return;
      e.preventDefault();
    });
    document.addEventListener("click", (e) => {
      if (!e.target.closest(".search")) closeSearch();
    });

    for (const tab of ["entity", "domino"]) {
      $("tab-" + tab).addEventListener("click", () => showTab(tab));
      $("tab-" + tab).addEventListener("keydown", (e) => {
        if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
          const other = tab === "entity" ? "domino" : "entity";
          showTab(other);
          $("tab-" + other).focus();
        }
      });
    }

    $("severity").addEventListener("input", (e) => {
      $("severity-out").textContent = pct(Number(e.target.value));
    });
    $("domino-form").addEventListener("submit", (e) => {
      e.preventDefault();
      runStress({
        shocks: [{ entity: $("shock-entity").value, severity: Number($("severity").value) }],
        model: $("model").value,
        buffer: $("buffer").value,
      });
    });
    $("clear-stress").addEventListener("click", clearStress);

    cy.on("tap", "node", (e) => selectEntity(e.target.id()));
    cy.on("tap", "edge", (e) => showCommitment(e.target.data("cid")));
    cy.on("mouseover", "node", (e) => {
      const d = e.target.data();
      const lines = [
        d.name,
        [d.kind, d.sectors.join(", ")].filter(Boolean).join(" · "),
        `commitments counting: ${usdShort(d.total)}`,
      ];
      if (state.stress && d.distress !== undefined && e.target.hasClass("stressed"))
        lines.push(`loss: ${pct(d.distress)} of buffer`);
      showTooltip(e, lines);
    });
    cy.on("mouseover", "edge", (e) => showTooltip(e, edgeLines(e.target)));
    cy.on("mouseout", "node, edge", () => {
      $("tooltip").hidden = true;
    });
    let scaling = false;
    cy.on("zoom", () => {
      if (scaling) return;
      scaling = true;
      requestAnimationFrame(() => {
        scaling = false;
        scaleLabels();
      });
    });
    $("cy").addEventListener("mouseleave", () => {
      $("tooltip").hidden = true;
    });
    cy.on("pan zoom", () => {
      $("tooltip").hidden = true;
    });
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    $("as-of").value = /^\d{4}-\d{2}-\d{2}$/.test(params.get("as_of") || "")
      ? params.get("as_of")
      : isoToday();
    try {
      palette = await api("static/palette.json");
    } catch (error) {
      $("graph-status").textContent = "The page could not start.";
      showBanner(`Could not load the colour palette: ${error.message}`, () => location.reload());
      throw error;
    }
    cy = cytoscape({
      container: $("cy"),
      style: cyStyle(),
      minZoom: 0.1,
      maxZoom: 4,
      selectionType: "single",
    });
    window.aifg.cy = cy;
    window.aifg.palette = palette;
    wire();
    await loadGraph();
    const entity = params.get("entity");
    if (entity && cy.getElementById(entity).nonempty()) selectEntity(entity);
  }

  window.aifg = {
    cy: null,
    palette: null,
    state,
    /** Resolves when no request is in flight (the page has settled). */
    settled: () => (pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    /** The drawn edge of a commitment (an empty collection when it is not drawn). */
    edge: (cid) => cy.getElementById("c:" + cid),
  };
  window.aifg.ready = start();
})();
