// Every page: start GOV.UK Frontend's components, and wire the few buttons that need JavaScript.
// GOV.UK Frontend's address comes from the tag that loads this file, so it stays the one the
// static files storage gave it (hashed in production) and is loaded once.
const script = document.querySelector("script[data-govuk-frontend]");
if (script) {
  import(script.dataset.govukFrontend).then(({ initAll }) => initAll());
}

// A print button sits in an element marked data-print-page, hidden until this script can make the
// button work.
for (const area of document.querySelectorAll("[data-print-page]")) {
  const button = area.querySelector("button");
  if (!button) continue;
  button.addEventListener("click", () => window.print());
  area.hidden = false;
}
