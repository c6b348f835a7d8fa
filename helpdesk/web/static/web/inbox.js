/* The inbox: rows and counts follow live events in place; j/k move, Enter or o open. */
(function () {
  "use strict";

  var W = window.Workspace;
  var table = document.getElementById("tickets");
  var tbody = document.getElementById("ticket-rows");
  var status = document.getElementById("inbox-status");
  if (!table || !tbody || !W) return;

  var REFRESH_MS = 60000; // also keeps "5 min ago" and SLA countdowns honest
  var pending = null;
  var inFlight = false;
  var again = false;
  var lastNews = "";

  function rows() {
    return Array.prototype.filter.call(tbody.children, function (row) { return row.dataset.ticket; });
  }

  function time() {
    return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function flash(row) {
    row.classList.add("is-fresh");
    setTimeout(function () { row.classList.remove("is-fresh"); }, 2500);
  }

  // Put the new rows in place, reusing the row elements that are still there, so
  // focus and selection stay put and nothing on the page jumps.
  function applyRows(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var focusedTicket = null;
    var active = document.activeElement;
    if (active && tbody.contains(active)) focusedTicket = active.closest("tr").dataset.ticket;
    var existing = {};
    rows().forEach(function (row) { existing[row.dataset.ticket] = row; });

    var nodes = Array.prototype.map.call(template.content.querySelectorAll("tr"), function (row) {
      var old = row.dataset.ticket && existing[row.dataset.ticket];
      if (!old) {
        if (row.dataset.ticket) flash(row);
        return row;
      }
      if (old.innerHTML !== row.innerHTML) {
        var changed = old.dataset.updated !== row.dataset.updated;
        old.innerHTML = row.innerHTML;
        old.dataset.updated = row.dataset.updated;
        if (changed) flash(old);
      }
      return old;
    });
    nodes.forEach(function (node, index) {
      if (tbody.children[index] !== node) tbody.insertBefore(node, tbody.children[index] || null);
    });
    while (tbody.children.length > nodes.length) tbody.removeChild(tbody.lastElementChild);

    if (focusedTicket) {
      var row = tbody.querySelector('tr[data-ticket="' + focusedTicket + '"] .row-link');
      if (row && document.activeElement !== row) row.focus({ preventScroll: true });
    }
  }

  function applyCounts(counts) {
    Object.keys(counts).forEach(function (view) {
      var el = document.querySelector('[data-count="' + view + '"]');
      if (el && el.textContent !== String(counts[view])) el.textContent = counts[view];
    });
  }

  function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    fetch(table.dataset.rowsUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        applyRows(data.rows);
        applyCounts(data.counts);
        status.textContent = (lastNews ? lastNews + " · " : "") + "Up to date at " + time();
      })
      .catch(function () { status.textContent = "Could not refresh the list; retrying…"; })
      .then(function () {
        inFlight = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  }

  W.onConnect(refresh);
  W.on("ticket.created", function (event) {
    var ticket = event.object || {};
    var who = ticket.customer ? ticket.customer.name : "a customer";
    lastNews = "New ticket #" + event.ticket + " from " + who;
    W.announce(lastNews + ": " + (ticket.subject || ""));
    schedule();
  });
  W.on("ticket.updated", schedule);
  W.on("message.created", schedule);
  setInterval(refresh, REFRESH_MS);

  // --- keyboard: j/k select, Enter/o open ---------------------------------------
  function select(step) {
    var all = rows();
    if (!all.length) return;
    var current = tbody.querySelector("tr.is-selected");
    var index = current ? all.indexOf(current) : -1;
    var next = all[Math.max(0, Math.min(all.length - 1, index + step))];
    if (current) current.classList.remove("is-selected");
    next.classList.add("is-selected");
    var link = next.querySelector(".row-link");
    if (link) link.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  tbody.addEventListener("focusin", function (event) {
    var row = event.target.closest("tr");
    if (!row || !row.dataset.ticket) return;
    var current = tbody.querySelector("tr.is-selected");
    if (current && current !== row) current.classList.remove("is-selected");
    row.classList.add("is-selected");
  });

  W.shortcut("j", function () { select(1); });
  W.shortcut("k", function () { select(-1); });
  W.shortcut("o", function () {
    var link = tbody.querySelector("tr.is-selected .row-link");
    if (link) link.click();
  });
})();
