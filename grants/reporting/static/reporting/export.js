// The export progress page: asks for the job's status every two seconds and moves the bar on; the
// status line is a polite live region, so a screen reader hears progress without losing its place.
// When the job finishes the page reloads to show the download link or the error.
(function () {
  var url = document.currentScript.getAttribute("data-status-url");
  var bar = document.getElementById("export-progress");
  var text = document.getElementById("export-progress-text");
  var tag = document.getElementById("export-status");
  var failures = 0;
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        failures = 0;
        bar.value = s.percent;
        bar.textContent = s.percent + "%";
        tag.textContent = s.label;
        if (s.finished) {
          text.textContent = s.label + ": " + s.text;
          window.location.reload();
          return;
        }
        text.textContent = s.text;
        window.setTimeout(poll, 2000);
      })
      .catch(function () { if (++failures < 5) { window.setTimeout(poll, 5000); } });
  }
  window.setTimeout(poll, 2000);
})();
