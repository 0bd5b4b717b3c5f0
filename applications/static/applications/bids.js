// Progressive enhancement only: every page works without this file.
// 1. Live word counts under long answers. 2. Council suggestions while typing a partner.
for (const area of document.querySelectorAll("textarea[data-word-limit]")) {
  const counter = document.getElementById(area.id + "-count");
  if (!counter) continue;
  const limit = parseInt(area.dataset.wordLimit || "0", 10);
  const update = () => {
    const words = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
    counter.textContent = `${words} word${words === 1 ? "" : "s"}` + (limit ? ` of ${limit}` : "");
    counter.classList.toggle("govuk-error-message", Boolean(limit) && words > limit);
  };
  area.addEventListener("input", update);
}

const script = document.querySelector("script[data-search-url]");
const searchUrl = script && script.dataset.searchUrl;
if (searchUrl) {
  for (const input of document.querySelectorAll("input[data-module^='org-picker']")) {
    const list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    let timer;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const terms = input.value.split(",");
      const term = terms[terms.length - 1].trim();
      if (term.length < 2) return;
      timer = setTimeout(async () => {
        const response = await fetch(`${searchUrl}?q=${encodeURIComponent(term)}`, { credentials: "same-origin" });
        if (!response.ok) return;
        const data = await response.json();
        const prefix = terms.slice(0, -1).map((t) => t.trim()).filter(Boolean);
        list.replaceChildren(
          ...data.results.map((org) => {
            const option = document.createElement("option");
            option.value = [...prefix, org.code || org.name].join(", ");
            option.label = org.name;
            return option;
          }),
        );
      }, 200);
    });
  }
}
