/* Receipt import page: poll the job's JSON status and move the progress bar until it is done. */
(function () {
  "use strict";
  var main = document.querySelector("[data-import-status]");
  if (!main) return;
  var url = main.getAttribute("data-import-status");
  var bar = document.getElementById("import-progress");
  var state = document.getElementById("import-state");
  var totals = document.getElementById("import-totals");
  var table = document.getElementById("import-errors");

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    state.setAttribute("data-status", job.status);
    state.textContent = job.status.charAt(0).toUpperCase() + job.status.slice(1) + ": " +
      job.processed_rows + " of " + (job.total_rows || "?") + " rows read." + (job.detail ? " " + job.detail : "");
    if (job.status !== "done") return;
    totals.hidden = false;
    totals.querySelectorAll("[data-field]").forEach(function (el) {
      el.textContent = job[el.getAttribute("data-field")];
    });
    if (job.errors.length) {
      var body = table.querySelector("tbody");
      body.textContent = "";
      job.errors.forEach(function (e) {
        var row = body.insertRow();
        row.insertCell().textContent = e.line;
        row.insertCell().textContent = e.reason;
      });
      table.hidden = false;
    }
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        show(job);
        if (job.status === "queued" || job.status === "running") setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  var status = state.getAttribute("data-status");
  if (status === "queued" || status === "running") poll();
})();
