// Search names and aliases in any script (GET /entities?q=), from the keyboard too.

import { $, fill, h } from "./dom.js";
import { api, query } from "./api.js";
import { selectEntity } from "./entity.js";

let searchTimer = null;
let searchSeq = 0;
let searchDone = Promise.resolve([]);

export function closeSearch() {
  $("search-results").hidden = true;
  $("search").setAttribute("aria-expanded", "false");
}

export function search(text) {
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

export function pickResult(id) {
  closeSearch();
  selectEntity(id, { centre: true });
}

export function wireSearch() {
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
}
