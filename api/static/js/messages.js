// The banner for failed loads, and errors inside a panel.

import { $, h } from "./dom.js";

export function showBanner(message, retry) {
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

export function hideBanner() {
  $("banner").hidden = true;
}

export function panelError(message) {
  return h("p", { class: "error", role: "alert" }, message);
}

