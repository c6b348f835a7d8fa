/* Helpdesk live chat: <script src="https://HELPDESK/chat/widget.js" data-key="KEY" async></script>
 * No dependencies; a Shadow DOM keeps shop CSS out; network text is only set as textContent. */
(function () {
"use strict";
var script = document.currentScript || document.querySelector('script[src*="/chat/widget.js"][data-key]');
if (!script || window.__helpdeskChat) return;
window.__helpdeskChat = 1;
var KEY = script.getAttribute("data-key") || "";
var src = new URL(script.src, location.href);
var WS_URL = (src.protocol === "https:" ? "wss://" : "ws://") + src.host + "/ws/chat/" + encodeURIComponent(KEY) + "/";
var SLOT = "helpdesk-chat:" + KEY;
var color = script.getAttribute("data-color") || "";
if (!/^#[0-9a-f]{3,8}$/i.test(color)) color = "#2b5f8e";

var MUTED = "color:#616e7c;font-size:13px";
var CSS = ":host{all:initial}*{box-sizing:border-box}[hidden]{display:none!important}" +
  ".w{--c:" + color + ";font:15px/1.45 system-ui,sans-serif;color:#1f2933;position:fixed;right:20px;bottom:20px;z-index:2147483000}" +
  "button,input,textarea{font:inherit;color:inherit}button{cursor:pointer}svg{width:24px;height:24px}" +
  ".launch{width:56px;height:56px;border-radius:50%;border:0;background:var(--c);color:#fff;box-shadow:0 4px 14px #0003;display:grid;place-items:center;position:relative}" +
  ".badge{position:absolute;top:-2px;right:-2px;min-width:20px;border-radius:10px;background:#c2410c;color:#fff;font-size:12px;line-height:20px;padding:0 5px}" +
  ".panel{position:absolute;right:0;bottom:72px;width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 110px);background:#fff;border-radius:14px;box-shadow:0 10px 40px #0003;display:flex;flex-direction:column;overflow:hidden}" +
  "header{background:var(--c);color:#fff;padding:14px 12px 14px 18px;display:flex;align-items:center;gap:8px}" +
  "header div{flex:1}h2{font-size:16px;margin:0}.sub{font-size:13px;opacity:.9;margin:2px 0 0}" +
  ".hb{background:none;border:1px solid #fff6;color:#fff;border-radius:8px;padding:5px 10px;font-size:13px}.x{border:0;font-size:22px;line-height:1}" +
  ".body{flex:1;overflow:auto;padding:16px 16px 8px;background:#f7f8fa}" +
  ".note{background:#fff;border:1px solid #e4e7eb;border-radius:10px;padding:10px 12px;margin:0 0 12px;font-size:14px;color:#3e4c59}" +
  ".alert{border-color:#f5c2a8;background:#fff6f1;color:#8a2c0d}" +
  "ol,form{display:flex;flex-direction:column;gap:10px;margin:0;padding:0}li{max-width:82%;display:flex;flex-direction:column}" +
  ".in{align-self:flex-end;align-items:flex-end}.out{align-self:flex-start}.sys{align-self:center;max-width:none;" + MUTED + "}" +
  ".b{padding:9px 13px;border-radius:16px 16px 4px;white-space:pre-wrap;overflow-wrap:anywhere;background:var(--c);color:#fff}" +
  ".out .b{background:#fff;color:inherit;border:1px solid #e4e7eb;border-radius:16px 16px 16px 4px}" +
  ".meta,.who,.typing{" + MUTED + ";margin:3px 4px 0}.who{display:flex;align-items:center;gap:6px;margin:0 4px 4px}" +
  ".av{width:22px;height:22px;border-radius:50%;background:#e4ecf5;color:var(--c);font-size:10px;font-weight:700;display:grid;place-items:center}" +
  ".sending .b{opacity:.6}.failed .b{outline:2px solid #c2410c}.typing{min-height:20px}" +
  "label{font-size:13px;font-weight:600;color:#3e4c59;display:grid;gap:4px}" +
  "input,textarea{border:1px solid #cbd2d9;border-radius:8px;padding:9px 11px;background:#fff;font-weight:400;width:100%;resize:none}" +
  ":focus-visible{outline:2px solid var(--c);outline-offset:2px}header :focus-visible{outline-color:#fff}" +
  ".go{background:var(--c);color:#fff;border:1px solid var(--c);border-radius:8px;padding:10px 14px;font-weight:600}.ghost{background:#fff;color:var(--c)}" +
  ".compose{flex-direction:row;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e4e7eb}.compose textarea{flex:1;max-height:120px}" +
  ".icon{background:none;border:0;padding:8px;color:#52606d;display:grid}.done>:not(.ghost){display:none}" +
  "@media (max-width:480px){.w{right:12px;bottom:12px}.panel{position:fixed;inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}.open .launch{display:none}}";

function svg(d) { return '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="' + d + '"/></svg>'; }
var TEXT = {
  rate_limited: "Please wait a moment before sending more.",
  too_large: "That file is too large to send.",
  invalid_email: "Please enter a valid email address.",
  email_required: "Please enter your email address.",
  email_mismatch: "Please use the email address you gave before.",
  not_verified: "We could not match that order number and postcode.",
  already_sent: "The transcript has already been sent.",
  error: "Something went wrong. Please try again."
};

function el(tag, attrs, kids) {
  var n = document.createElement(tag);
  for (var k in attrs || {}) {
    var v = attrs[k];
    if (k === "text") n.textContent = v;
    else if (k === "html") n.innerHTML = v; // only our own constant icons
    else if (v !== false && v != null) n.setAttribute(k, v === true ? "" : v);
  }
  (kids || []).forEach(function (c) { if (c) n.appendChild(c); });
  return n;
}
function field(label, name, type, required, extra) {
  var attrs = Object.assign({ name: name, required: required }, type === "textarea" ? { rows: 4 } : { type: type }, extra);
  return el("label", { text: label }, [el(type === "textarea" ? "textarea" : "input", attrs)]);
}
// Browser storage may be blocked (privacy modes, sandboxed frames): the chat then just forgets.
function stored(area, name, value) {
  try {
    var s = window[area], k = SLOT + name;
    if (value === undefined) return s.getItem(k);
    if (value === null) s.removeItem(k); else s.setItem(k, value);
  } catch (e) { return null; }
}
function local(name, value) { return stored("localStorage", name, value); }
function btn(label, cls, submit) { return el("button", { class: cls || "go", type: submit ? "submit" : "button", text: label }); }
function rid() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }
function clock(iso) { return (iso ? new Date(iso) : new Date()).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }

// the DOM
var host = el("div", { id: "helpdesk-chat" });
var root = host.attachShadow({ mode: "open" });
root.appendChild(el("style", { text: CSS }));
var badge = el("span", { class: "badge", hidden: true, "aria-hidden": "true" });
var launch = el("button", { class: "launch", type: "button", "aria-label": "Open chat", "aria-expanded": "false", "aria-controls": "hd-panel", html: svg("M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z") });
launch.appendChild(badge);
var title = el("h2", { id: "hd-title", text: "Chat" });
var sub = el("p", { class: "sub" });
var endBtn = btn("End chat", "hb");
endBtn.hidden = true;
var closeBtn = el("button", { class: "hb x", type: "button", "aria-label": "Close chat", text: "\u00d7" });
var notice = el("p", { class: "note", role: "status", hidden: true });
var log = el("ol", { role: "log", "aria-live": "polite", "aria-label": "Messages" });
var typing = el("p", { class: "typing", "aria-live": "polite" });
var prechat = el("form", { "aria-label": "Before we start", hidden: true });
var offline = el("form", { "aria-label": "Leave a message", hidden: true }, [
  el("p", { class: "note", text: "No one is online right now. Leave a message and we will answer by email." }),
  field("Your name", "name", "text", false, { autocomplete: "name" }),
  field("Email", "email", "email", true, { autocomplete: "email" }),
  field("Message", "text", "textarea", true),
  btn("Send message", 0, 1)]);
var newChat = btn("Start a new chat", "go ghost");
var ended = el("form", { "aria-label": "Chat ended", hidden: true }, [
  el("p", { class: "note", text: "The chat has ended. Would you like a copy by email?" }),
  field("Email", "email", "email", true, { autocomplete: "email" }),
  btn("Email me the transcript", 0, 1), newChat]);
var chatView = el("div", { hidden: true }, [log, typing]);
var views = { prechat: prechat, offline: offline, chat: chatView, ended: ended };
var body = el("div", { class: "body" }, [notice, prechat, offline, chatView, ended]);
var text = el("textarea", { rows: 1, "aria-label": "Type your message", placeholder: "Type your message\u2026", maxlength: 5000 });
var file = el("input", { type: "file", hidden: true });
var attach = el("button", { class: "icon", type: "button", "aria-label": "Attach a file", html: svg("M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9") });
var compose = el("form", { class: "compose", hidden: true }, [attach, file, text, btn("Send", 0, 1)]);
var panel = el("section", { class: "panel", id: "hd-panel", role: "dialog", "aria-labelledby": "hd-title", hidden: true }, [
  el("header", {}, [el("div", {}, [title, sub]), endBtn, closeBtn]), body, compose]);
var frame = el("div", { class: "w" }, [panel, launch]);
root.appendChild(frame);

// state
var ws = null, config = null, token = local(""), started = false, everOpen = false, failures = 0;
var outbox = {}, shown = {}, unread = 0, maxOut = 0, readSent = 0, lastTyping = 0, typingTimer = null, view = null, retry = null;

function say(msg, alert) {
  notice.hidden = !msg; notice.textContent = msg || "";
  notice.className = "note" + (alert ? " alert" : "");
  notice.setAttribute("role", alert ? "alert" : "status");
}
function show(name) {
  view = name;
  for (var k in views) views[k].hidden = k !== name;
  compose.hidden = endBtn.hidden = name !== "chat";
  if (!panel.hidden) focusView();
}
function focusView() {
  var first = view === "chat" ? text : body.querySelector("form:not([hidden]) :is(input,textarea,button)");
  (first || closeBtn).focus();
}
function send(data) { if (ws && ws.readyState === 1) { ws.send(JSON.stringify(data)); return true; } return false; }
function thanks(email) { say("Thanks! We will answer your message by email at " + email + "."); }
function online(yes) { sub.textContent = yes ? "We are online" : "We reply by email"; }

function render(m, pending) {
  var key = m.id ? "m" + m.id : "c" + m.client_id;
  if (shown[key]) return;
  var mine = m.direction === "in", name = !mine && m.author && m.author.name;
  var b = el("div", { class: "b", text: m.text || "" });
  (m.attachments || []).forEach(function (a) { b.appendChild(el("div", { text: (m.text ? "\n" : "") + "\ud83d\udcce " + a.filename })); });
  var li = el("li", { class: (mine ? "in" : "out") + (pending ? " sending" : "") }, [
    name ? el("span", { class: "who" }, [el("span", { class: "av", "aria-hidden": "true", text: m.author.initials || "" }), el("span", { text: name })]) : null,
    b, el("span", { class: "meta", text: (mine ? "You \u00b7 " : "") + clock(m.sent_at) })]);
  log.appendChild(li);
  shown[key] = li;
  if (!mine && m.id > maxOut) maxOut = m.id;
  body.scrollTop = 1e9;
}
function system(value) { log.appendChild(el("li", { class: "sys", text: value })); }
function pendingAgain() {
  Object.keys(outbox).forEach(function (id) {
    var f = outbox[id];
    render({ direction: "in", text: f.text, client_id: id, attachments: f.filename ? [{ filename: f.filename }] : [] }, true);
  });
}
function markRead() {
  if (!panel.hidden && document.visibilityState === "visible" && maxOut > readSent && send({ type: "read", up_to: maxOut })) readSent = maxOut;
}
function setUnread(n) {
  unread = n; badge.hidden = !n; badge.textContent = n > 9 ? "9+" : String(n);
  launch.setAttribute("aria-label", n ? "Open chat, " + n + " new" : "Open chat");
}

// the socket
function connect() {
  if (ws) return;
  clearTimeout(retry);
  var opened = false;
  try { ws = new WebSocket(WS_URL); } catch (e) { ws = null; return fail(false); }
  ws.onopen = function () { opened = everOpen = true; failures = 0; };
  ws.onmessage = function (e) {
    var m;
    try { m = JSON.parse(e.data); } catch (x) { return; }
    if (on[m.type]) on[m.type](m);
  };
  ws.onclose = function () { ws = null; started = false; fail(opened); };
}
function fail(wasOpen) {
  failures += 1;
  // Never opened, twice: the page's site may not use this chat (or the helpdesk is down).
  if (!wasOpen && !everOpen && failures >= 2) {
    show(null); say("Chat is not available on this page right now. Please try again later.", true);
    sub.textContent = "Unavailable";
  } else if (wasOpen) sub.textContent = "Reconnecting\u2026";
  if (!panel.hidden || token) retry = setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, failures)));
}
function start(values) { send({ type: "start", token: token || "", prechat: values || {} }); }

var on = {
  hello: function (m) {
    config = m; title.textContent = m.name || "Chat"; online(m.agents_available);
    if (view === null) say("");
    if (token) start(); else if (!panel.hidden) chooseStart();
  },
  session: function (m) {
    token = m.token; local("", token); local(":ended", null); started = true;
    online(m.agents_available);
    if (!m.resumed || !log.firstChild) {
      // A fresh log: the greeting, the history, then whatever is still on its way.
      log.textContent = ""; shown = {};
      if (m.greeting && (m.agents_available || m.history.length)) system(m.greeting);
      m.history.forEach(function (h) { render(h); });
      pendingAgain();
    } else m.history.forEach(function (h) { render(h); });
    var c = m.conversation || {};
    if (c.left_message && !m.agents_available) thanks(c.email);
    else if (c.verification_sent && !c.email_verified) say("We sent a link to " + c.email + " to confirm your address.");
    else say(m.notices && m.notices.indexOf("not_verified") >= 0 ? TEXT.not_verified : "");
    ended.elements.email.value = offline.elements.email.value = c.email || "";
    show(m.history.length || m.agents_available || Object.keys(outbox).length ? "chat" : "offline");
    Object.keys(outbox).forEach(function (id) { send(outbox[id]); });
    markRead();
  },
  ack: function (m) {
    var sent = outbox[m.client_id], li = shown["c" + m.client_id];
    delete outbox[m.client_id];
    if (li) { li.classList.remove("sending", "failed"); shown["m" + m.id] = li; }
    if (sent && sent.type === "leave_message") { thanks(sent.email); compose.hidden = true; }
  },
  message: function (m) {
    if (shown["m" + m.id]) return;
    render(m); typing.textContent = "";
    send({ type: "delivered", id: m.id });
    if (panel.hidden || document.visibilityState !== "visible") setUnread(unread + 1); else markRead();
  },
  typing: function (m) {
    typing.textContent = (m.name || "Customer service") + " is typing\u2026";
    clearTimeout(typingTimer); typingTimer = setTimeout(function () { typing.textContent = ""; }, 5000);
  },
  agent_joined: function (m) { system((m.name || "An agent") + " joined the chat"); },
  ended: function (m) {
    var email = ended.elements.email;
    email.value = m.email || email.value; email.readOnly = !!m.email;
    ended.className = ""; show("ended"); say(""); local(":ended", "1");
  },
  transcript_sent: function (m) { ended.className = "done"; newChat.focus(); say("The transcript is on its way to " + m.email + "."); },
  error: function (m) {
    if (m.code === "ended" || (m.code === "not_started" && token)) return start();
    var li = m.client_id && shown["c" + m.client_id];
    if (li) { li.classList.replace("sending", "failed"); li.lastChild.textContent = "Not sent"; delete outbox[m.client_id]; }
    say(TEXT[m.code] || TEXT.error, true);
  }
};

function chooseStart() {
  if (!config || started) return;
  var fields = config.prechat_fields || [];
  if (!config.agents_available) return show("offline");
  if (!fields.length) return start();
  prechat.textContent = "";
  if (config.greeting) prechat.appendChild(el("p", { class: "note", text: config.greeting }));
  [["name", "Your name", "name", "text", 1], ["email", "Email", "email", "email", 1],
    ["order_number", "Order number (optional)", "order_number", "text", 0, "off"],
    ["order_number", "Delivery postcode (optional)", "postcode", "text", 0, "postal-code"]
  ].forEach(function (f) {
    if (fields.indexOf(f[0]) >= 0) prechat.appendChild(field(f[1], f[2], f[3], !!f[4], { autocomplete: f[5] || f[2] }));
  });
  prechat.appendChild(btn("Start chat", 0, 1));
  show("prechat");
}
function values(form) {
  var out = {};
  [].forEach.call(form.elements, function (i) { if (i.name) out[i.name] = i.value.trim(); });
  return out;
}
function queue(data, preview) {
  data.client_id = rid();
  outbox[data.client_id] = data;
  render(Object.assign({ direction: "in", client_id: data.client_id }, preview), true);
  return data;
}

// events
function open() {
  panel.hidden = false; frame.classList.add("open"); launch.setAttribute("aria-expanded", "true");
  stored("sessionStorage", ":open", "1"); setUnread(0);
  if (!ws) { failures = 0; connect(); } else if (!started && !token) chooseStart();
  focusView(); markRead();
}
function close() {
  panel.hidden = true; frame.classList.remove("open"); launch.setAttribute("aria-expanded", "false");
  stored("sessionStorage", ":open", null); launch.focus();
}
launch.onclick = function () { if (panel.hidden) open(); else close(); };
closeBtn.onclick = close;
panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
prechat.onsubmit = function (e) { e.preventDefault(); start(values(prechat)); };
offline.onsubmit = function (e) {
  e.preventDefault();
  var v = values(offline);
  for (var id in outbox) { // a corrected retry replaces the message that was refused
    if (outbox[id].type === "leave_message") { shown["c" + id].remove(); delete shown["c" + id]; delete outbox[id]; }
  }
  var data = queue({ type: "leave_message", text: v.text, email: v.email, name: v.name }, { text: v.text });
  if (started) send(data); else start({ email: v.email, name: v.name });
};
compose.onsubmit = function (e) {
  e.preventDefault();
  var value = text.value.trim();
  if (!value) return;
  send(queue({ type: "message", text: value }, { text: value }));
  text.value = ""; text.focus();
};
text.addEventListener("keydown", function (e) {
  if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); compose.dispatchEvent(new Event("submit", { cancelable: true })); }
});
text.addEventListener("input", function () {
  if (text.value && Date.now() - lastTyping > 3000) { lastTyping = Date.now(); send({ type: "typing" }); }
});
attach.onclick = function () { file.click(); };
file.onchange = function () {
  var f = file.files[0];
  file.value = "";
  if (!f) return;
  if (config && f.size > config.max_attachment_bytes) return say(TEXT.too_large + " (at most " + Math.round(config.max_attachment_bytes / 104857.6) / 10 + " MB)", true);
  var reader = new FileReader();
  reader.onload = function () {
    var data = String(reader.result).split(",")[1] || "";
    send(queue({ type: "attachment", filename: f.name, content_type: f.type, data: data }, { attachments: [{ filename: f.name }] }));
  };
  reader.readAsDataURL(f);
};
endBtn.onclick = function () { send({ type: "end" }); };
ended.onsubmit = function (e) { e.preventDefault(); send({ type: "transcript", email: values(ended).email }); };
newChat.onclick = function () { log.textContent = ""; shown = {}; maxOut = readSent = 0; say(""); start(); };
document.addEventListener("visibilitychange", markRead);
setInterval(function () { send({ type: "ping" }); }, 25000);

function mount() {
  document.body.appendChild(host);
  // A returning visitor (another page, a reload) gets their conversation back at once.
  if (token && !local(":ended")) connect();
  if (stored("sessionStorage", ":open")) open();
}
if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
