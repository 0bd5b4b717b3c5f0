// "Print this page": shown only when JavaScript can print; without it the browser's own print works.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
