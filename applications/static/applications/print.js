// "Print this page": shown only when JavaScript can print; without it the browser's own print works.
for (const wrapper of document.querySelectorAll("[data-print]")) {
  wrapper.hidden = false;
  wrapper.querySelector("button").addEventListener("click", () => window.print());
}
