// Progressive enhancement of conditional questions on a section page, as GOV.UK radios'
// conditional reveal: a question wrapped in [data-show-if] is shown while the controlling
// question's answer (its radios, checkboxes or select, named by data-show-if) is one of
// data-show-if-values. The server renders the same decision (applications.answers'
// shown_question_ids), and without this script the council sees a revealed question after saving.
// Hiding never clears what was typed: the server ignores an answer its rules do not show.
const wrappers = [...document.querySelectorAll("[data-show-if]")];

const controls = (name) => [...document.querySelectorAll(`[name="${CSS.escape(name)}"]`)];

const chosen = (name) =>
  controls(name).flatMap((el) => {
    if (el instanceof HTMLSelectElement) return [...el.selectedOptions].map((o) => o.value);
    return el.checked ? [el.value] : [];
  });

const values = (wrapper) => JSON.parse(wrapper.dataset.showIfValues || "[]");

// Each controlling radio or checkbox whose value reveals a question names it in aria-controls.
for (const wrapper of wrappers) {
  const wanted = values(wrapper);
  for (const input of controls(wrapper.dataset.showIf)) {
    if (!(input instanceof HTMLInputElement) || !wanted.includes(input.value)) continue;
    const ids = new Set((input.getAttribute("aria-controls") || "").split(" ").filter(Boolean));
    ids.add(wrapper.id);
    input.setAttribute("aria-controls", [...ids].join(" "));
  }
}

function sync() {
  // In page order, so a question that depends on a revealed one hides with it (a chain).
  const shown = new Set();
  for (const wrapper of wrappers) {
    const name = wrapper.dataset.showIf;
    const parent = document.querySelector(`[data-show-if] [name="${CSS.escape(name)}"]`)?.closest("[data-show-if]");
    const parentShown = !parent || shown.has(parent);
    const show = parentShown && chosen(name).some((v) => values(wrapper).includes(v));
    wrapper.hidden = !show;
    if (show) shown.add(wrapper);
  }
  for (const input of document.querySelectorAll("input[aria-controls]")) {
    const targets = input.getAttribute("aria-controls").split(" ").map((id) => document.getElementById(id));
    input.setAttribute("aria-expanded", String(input.checked && targets.some((t) => t && !t.hidden)));
  }
}

if (wrappers.length) {
  const names = new Set(wrappers.map((w) => w.dataset.showIf));
  document.addEventListener("change", (event) => {
    if (names.has(event.target.name)) sync();
  });
  window.addEventListener("pageshow", sync); // the browser's back button restores ticked answers
  sync();
}
