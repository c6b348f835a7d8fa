/* The ticket page: who else is here and typing, live timeline, canned replies, shortcuts. */
(function () {
  "use strict";

  var W = window.Workspace;
  var page = document.querySelector(".ticket-page");
  if (!page || !W) return;

  var ticketId = parseInt(page.dataset.ticket, 10);
  var customerId = parseInt(page.dataset.customer, 10);
  var me = parseInt(document.body.dataset.user, 10);
  var reply = document.getElementById("reply-text");
  var channel = document.getElementById("reply-channel");
  var timeline = document.getElementById("timeline");
  var TYPING_SEND_MS = 2000;
  var TYPING_SHOW_MS = 6500;

  // --- presence: viewers and typing -------------------------------------------------
  var presence = document.getElementById("presence");
  var viewersEl = document.getElementById("presence-viewers");
  var typingEl = document.getElementById("presence-typing");
  var agentsTyping = [];
  var visitorTyping = false;
  var agentsTimer = null;
  var visitorTimer = null;

  function names(people) {
    return people.map(function (p) { return p.name; }).join(", ");
  }

  function renderTyping() {
    var parts = [];
    if (agentsTyping.length) parts.push(names(agentsTyping) + (agentsTyping.length > 1 ? " are" : " is") + " typing a reply…");
    if (visitorTyping) parts.push("The customer is typing…");
    typingEl.textContent = parts.join(" · ");
  }

  W.on("presence", function (event) {
    if (event.ticket !== ticketId) return;
    var others = (event.viewers || []).filter(function (p) { return p.id !== me; });
    var was = viewersEl.textContent;
    if (others.length) {
      viewersEl.textContent = "Also viewing: " + names(others);
      presence.dataset.state = "others";
    } else {
      viewersEl.textContent = "Only you are viewing this ticket.";
      presence.dataset.state = "alone";
    }
    if (was !== viewersEl.textContent && others.length) W.announce(viewersEl.textContent);
    agentsTyping = (event.typing || []).filter(function (p) { return p.id !== me; });
    clearTimeout(agentsTimer);
    if (agentsTyping.length) {
      // A typing mark lapses unless it is renewed.
      agentsTimer = setTimeout(function () { agentsTyping = []; renderTyping(); }, TYPING_SHOW_MS);
    }
    renderTyping();
  });

  W.on("typing", function (event) {
    if (event.ticket !== ticketId || event.who !== "visitor") return;
    visitorTyping = true;
    clearTimeout(visitorTimer);
    visitorTimer = setTimeout(function () { visitorTyping = false; renderTyping(); }, TYPING_SHOW_MS);
    renderTyping();
  });

  W.on("view.refused", function (event) {
    if (event.ticket === ticketId) viewersEl.textContent = "Live presence is not available for this ticket.";
  });

  // Tell the others while typing a reply (never for a note); at most every 2 s.
  var lastTypingSent = 0;
  var typingActive = false;
  function typing(active) {
    var now = Date.now();
    if (active && typingActive && now - lastTypingSent < TYPING_SEND_MS) return;
    if (!active && !typingActive) return;
    typingActive = active;
    lastTypingSent = now;
    W.send({ type: "typing", ticket: ticketId, active: active, channel: channel ? channel.value : null });
  }
  if (reply) {
    reply.addEventListener("input", function () { typing(reply.value.trim() !== ""); expandShortcut(); });
    reply.addEventListener("blur", function () { typing(false); });
    reply.form.addEventListener("submit", function () { typing(false); });
  }
  if (channel) {
    channel.addEventListener("change", function () {
      var name = document.getElementById("reply-channel-name");
      if (name) name.textContent = channel.options[channel.selectedIndex].text.replace(" (latest)", "");
    });
  }

  // --- live timeline and summary ----------------------------------------------------
  var knownTickets = {};
  knownTickets[ticketId] = true;
  function learnTickets() {
    timeline.querySelectorAll("a.entry-ticket").forEach(function (a) {
      var match = a.getAttribute("href").match(/\/tickets\/(\d+)\//);
      if (match) knownTickets[parseInt(match[1], 10)] = true;
    });
  }
  learnTickets();

  var pending = null;
  function schedule() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  }

  function applyTimeline(html, flashNew) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var existing = {};
    timeline.querySelectorAll("li[data-entry]").forEach(function (li) { existing[li.dataset.entry] = li; });
    var fresh = [];
    var nodes = Array.prototype.map.call(template.content.children, function (li) {
      var old = li.dataset.entry && existing[li.dataset.entry];
      if (old) {
        if (old.innerHTML !== li.innerHTML) old.innerHTML = li.innerHTML;
        return old;
      }
      if (li.dataset.entry && flashNew) { li.classList.add("is-fresh"); fresh.push(li); }
      return li;
    });
    nodes.forEach(function (node, index) {
      if (timeline.children[index] !== node) timeline.insertBefore(node, timeline.children[index] || null);
    });
    while (timeline.children.length > nodes.length) timeline.removeChild(timeline.lastElementChild);
    setTimeout(function () { fresh.forEach(function (li) { li.classList.remove("is-fresh"); }); }, 3000);
    return fresh;
  }

  var loadedOnce = false;
  function refresh() {
    fetch(page.dataset.liveUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        var summary = document.getElementById("ticket-summary");
        if (summary.innerHTML !== data.summary) summary.innerHTML = data.summary;
        var fresh = applyTimeline(data.timeline, loadedOnce);
        loadedOnce = true;
        learnTickets();
        if (fresh.length) {
          var first = fresh[0].querySelector(".entry-who");
          var kind = fresh[0].querySelector(".entry-kind");
          W.announce("New on the timeline: " + (first ? first.textContent.trim() : "") + " " + (kind ? kind.textContent.trim() : ""));
        }
      })
      .catch(function () { /* the next event or reconnect tries again */ });
  }

  function concernsThisCustomer(event) {
    if (knownTickets[event.ticket]) return true;
    var object = event.object || {};
    if (object.customer && object.customer.id === customerId) {
      knownTickets[event.ticket] = true;
      return true;
    }
    return false;
  }
  ["ticket.created", "ticket.updated", "message.created", "message.status"].forEach(function (type) {
    W.on(type, function (event) { if (concernsThisCustomer(event)) schedule(); });
  });

  W.onConnect(function () {
    W.send({ type: "view", ticket: ticketId });
    typingActive = false; // a new socket has told nobody yet
    refresh();
  });

  // --- canned replies -----------------------------------------------------------------
  var cannedData = [];
  var cannedScript = document.getElementById("canned-data");
  if (cannedScript) { try { cannedData = JSON.parse(cannedScript.textContent) || []; } catch (e) { cannedData = []; } }

  function insertText(text, replaceFrom) {
    var start = replaceFrom !== undefined ? replaceFrom : reply.selectionStart;
    var end = reply.selectionEnd;
    reply.setRangeText(text, start, end, "end");
    reply.dispatchEvent(new Event("input"));
  }

  function announceMissing(item) {
    if (item.missing && item.missing.length) {
      W.announce("Fill in by hand: " + item.missing.join(", ") + ".");
    }
  }

  var cannedSelect = document.getElementById("canned-select");
  if (cannedSelect && reply) {
    cannedSelect.addEventListener("change", function () {
      var id = parseInt(cannedSelect.value, 10);
      var item = cannedData.filter(function (c) { return c.id === id; })[0];
      cannedSelect.value = "";
      if (!item) return;
      reply.focus();
      insertText(item.text);
      announceMissing(item);
    });
  }

  // ";shortcut" followed by a space expands to that canned reply.
  var expanding = false;
  function expandShortcut() {
    if (expanding || !cannedData.length) return;
    var before = reply.value.slice(0, reply.selectionStart);
    var match = before.match(/(^|\s);([a-z0-9_-]+) $/);
    if (!match) return;
    var item = cannedData.filter(function (c) { return c.shortcut && c.shortcut === match[2]; })[0];
    if (!item) return;
    expanding = true;
    reply.setSelectionRange(before.length - match[2].length - 2, before.length);
    insertText(item.text);
    expanding = false;
    announceMissing(item);
  }

  // --- shortcuts ------------------------------------------------------------------------
  function submit(id) {
    var form = document.getElementById(id);
    if (form) { form.requestSubmit(); return true; }
    return false;
  }
  W.shortcut("r", function () {
    if (reply) { reply.focus(); reply.scrollIntoView({ block: "center" }); }
  });
  W.shortcut("n", function () {
    var details = document.getElementById("note-details");
    details.open = true;
    document.getElementById("note-text").focus();
  });
  W.shortcut("c", function () {
    if (!submit("claim-form")) W.announce("This ticket already has an owner. Use a (hand over) to change it.");
  });
  W.shortcut("s", function () {
    if (!submit("solve-form")) W.announce("This ticket is already solved or closed.");
  });
  W.shortcut("a", function () {
    var details = document.getElementById("assign-details");
    details.open = true;
    document.getElementById("assign-owner").focus();
  });
  var assignDetails = document.getElementById("assign-details");
  if (assignDetails) {
    assignDetails.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { assignDetails.open = false; assignDetails.querySelector("summary").focus(); }
    });
  }

  var conflict = document.getElementById("conflict");
  if (conflict) conflict.scrollIntoView({ block: "center" });
})();
