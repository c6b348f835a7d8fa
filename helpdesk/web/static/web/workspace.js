/* Every workspace page: the live socket (/ws/agent/), keyboard shortcuts, announcements.
 * Pages add their part through window.Workspace: on(type, fn), onConnect(fn), send(msg),
 * shortcut(key, fn), announce(text). No framework, no build step. */
(function () {
  "use strict";

  var handlers = {};
  var connectHandlers = [];
  var shortcuts = {};
  var socket = null;
  var retry = 0;
  var heartbeat = null;
  var HEARTBEAT_MS = 30000;

  function indicator(state, text) {
    var el = document.getElementById("live-indicator");
    if (!el) return;
    el.dataset.state = state;
    el.querySelector(".live-text").textContent = text;
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(proto + location.host + "/ws/agent/");
    socket.onopen = function () {
      retry = 0;
      indicator("live", "Live");
      clearInterval(heartbeat);
      heartbeat = setInterval(function () { send({ type: "heartbeat" }); }, HEARTBEAT_MS);
      // Events may have been lost while the socket was down: every page re-fetches here.
      connectHandlers.forEach(function (fn) { fn(); });
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      (handlers[event.type] || []).forEach(function (fn) { fn(event); });
      (handlers["*"] || []).forEach(function (fn) { fn(event); });
    };
    socket.onclose = function () {
      clearInterval(heartbeat);
      indicator("offline", "Reconnecting…");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, Math.min(15000, 500 * Math.pow(2, retry)));
    };
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function on(type, fn) { (handlers[type] = handlers[type] || []).push(fn); }
  function onConnect(fn) { connectHandlers.push(fn); }
  function shortcut(key, fn) { shortcuts[key] = fn; }

  var announceTimer = null;
  function announce(text) {
    var el = document.getElementById("announcer");
    if (!el) return;
    // Clearing first makes a repeated message be read again.
    el.textContent = "";
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { el.textContent = text; }, 50);
  }

  // --- keyboard shortcuts: never while typing in a field ------------------------
  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (isTyping(target)) {
      if (event.key === "Escape" && target.tagName.toLowerCase() !== "select") target.blur();
      return;
    }
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return;
    var key = event.key;
    if (pendingG) {
      pendingG = false;
      if (key === "i") { event.preventDefault(); location.href = "/inbox/"; }
      return;
    }
    if (key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1200); return; }
    if (key === "?") { event.preventDefault(); openShortcuts(); return; }
    if (key === "/") {
      event.preventDefault();
      var search = document.getElementById("global-search");
      if (search) { search.focus(); search.select(); }
      return;
    }
    var fn = shortcuts[key];
    if (fn) { event.preventDefault(); fn(event); }
  });

  function openShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  // Ctrl/Cmd+Enter in a textarea sends its form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var target = event.target;
    if (target.tagName && target.tagName.toLowerCase() === "textarea" && target.form) {
      event.preventDefault();
      if (target.form.reportValidity()) target.form.requestSubmit();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("shortcuts-button");
    if (button) button.addEventListener("click", openShortcuts);
    if (document.body.dataset.user) connect();
  });

  window.Workspace = { on: on, onConnect: onConnect, send: send, shortcut: shortcut, announce: announce };
})();
