// The clerk console: one counter's desk. What it shows of the office comes from the feed
// (console-feed.js: a read of the office, then the server's events); this file draws it,
// turns keys and buttons into the API's actions, and shows what the server answered.
import { NO_STATS, createFeed } from "./console-feed.js";

const page = JSON.parse(document.getElementById("page-data").textContent);
const X = page.texts;
const STORE_KEY = "layso.counter";
const KEYS = { F1: "next", F2: "recall", F3: "done", F4: "no_show", F6: "transfer", F8: "pause" };
let busy = false;  // an action is on its way: keys and buttons wait for it

const $ = (id) => document.getElementById(id);
const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : ""));
const now = () => Date.now() + feed.state.offsetMs;
const minutesSince = (iso, until) => Math.max(0, Math.floor(((until || now()) - Date.parse(iso)) / 60000));

class ApiError extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (method !== "GET") {
    options.headers["Content-Type"] = "application/json";
    options.headers["X-CSRF-Token"] = page.csrf;
    options.body = JSON.stringify(body || {});
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    setOffline(true);
    throw new ApiError(X.net_error, "network");
  }
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 || (response.redirected && new URL(response.url).pathname === "/login")) {
    window.location.assign("/login?next=/");
    throw new ApiError(X.session_over, "unauthorized");
  }
  if (!response.ok) {
    throw new ApiError((data.error && data.error.message) || response.statusText,
      data.error && data.error.code);
  }
  return data;
}

const feed = createFeed({
  api, changed: () => render(), offline: setOffline, devices: page.device_problems,
  counterId: Number(localStorage.getItem(STORE_KEY)) || null,
});

// --- acting ------------------------------------------------------------------------

async function act(action) {
  const c = feed.counter();
  if (!c || busy || document.querySelector("dialog[open]")) return;
  const t = c.current_ticket;
  const base = `/api/v1/counters/${c.id}`;
  const calls = {
    next: () => (c.status === "paused" ? null : api("POST", `${base}/call-next`)),
    recall: () => t && api("POST", `${base}/recall`),
    done: () => t && api("POST", `/api/v1/tickets/${t.id}/done`, dossierCode()).then(keptDossier),
    no_show: () => t && api("POST", `/api/v1/tickets/${t.id}/no-show`),
    transfer: () => { if (t) openTransfer(t); return null; },
    pause: () => (c.status === "paused" ? api("POST", `${base}/resume`) : openPause()),
  };
  // Finishing a citizen (or calling the next, which finishes the current) changes the
  // clerk's own figures, which no event carries.
  const finishes = ["done", "no_show"].includes(action) || (action === "next" && Boolean(t));
  await run(calls[action], finishes);
}

async function run(start, finishes) {
  busy = true;
  renderButtons();
  try {
    const request = start();
    if (!request) return;
    const result = await request;
    showError(result && result.ticket === null ? X.nobody_waiting : "", "info");
    feed.applyResult(result);
    if (finishes) await feed.readStats();
  } catch (e) {
    showError(e.message);
    // Refused: what this page showed was out of date. (Offline: the stream's
    // reconnect reads everything anyway.)
    if (e.code !== "network" && e.code !== "unauthorized") feed.resync().catch(() => {});
  } finally {
    busy = false;
    render();
  }
}

function openTransfer(ticket) {
  const select = $("transfer-service");
  select.replaceChildren(...feed.state.services.filter((s) => s.id !== ticket.service_id).map((s) => {
    const option = document.createElement("option");
    option.value = s.id;
    option.textContent = `(${s.code}) ${s.name}`;  // the name last: no mark in it can turn the code around
    return option;
  }));
  $("transfer-title").textContent = fmt(X.transfer_to, { number: ticket.number });
  const dialog = $("transfer-dialog");
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue !== "ok") return;
    run(() => api("POST", `/api/v1/tickets/${ticket.id}/transfer`,
      { service_id: Number(select.value) }), false);
  };
  dialog.showModal();
  select.focus();
}

function openPause() {
  const c = feed.counter();
  const dialog = $("pause-dialog");
  const input = $("pause-reason");
  input.value = "";
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue !== "ok") return;
    run(() => api("POST", `/api/v1/counters/${c.id}/pause`, { reason: input.value.trim() }), false);
  };
  dialog.showModal();
  input.focus();
  return null;
}

function chooseCounter(id) {
  if (id) localStorage.setItem(STORE_KEY, String(id)); else localStorage.removeItem(STORE_KEY);
  const reading = feed.choose(id);
  showError("");
  render();
  reading.catch((e) => showError(e.message));
}

// --- drawing -----------------------------------------------------------------------

// A name in its own <bdi>: a right-to-left mark inside it cannot turn its neighbours around.
function bdi(text) {
  const element = document.createElement("bdi");
  element.textContent = text;
  return element;
}

// `fmt` as nodes, each value isolated.
function fmtNodes(text, values) {
  return text.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const key = /^\{(\w+)\}$/.exec(part);
    return key ? bdi(key[1] in values ? String(values[key[1]]) : "") : document.createTextNode(part);
  });
}

// Text that may be cut to a few lines: the whole of it shows on hover.
function named(element, text) {
  element.textContent = text;
  element.title = text;
  return element;
}

function joinNames(names) {
  return names.flatMap((name, i) => (i ? [document.createTextNode(" · "), bdi(name)] : [bdi(name)]));
}

// The office's words for a status; the device's own message only for a code it has none for.
function deviceText(status, message) {
  return page.device_status[status] || message || status;
}

function setOffline(offline) { $("offline-banner").hidden = !offline; }

function showError(text, kind) {
  const banner = $("error-banner");
  banner.textContent = text;
  banner.hidden = !text;
  banner.classList.toggle("info", kind === "info");
}

function usable() {
  const allowed = page.allowed_counters;
  return feed.state.counters.filter((c) => !allowed.length || allowed.includes(c.id));
}

function serviceNames(c) {
  return c.service_ids.map((id) => (feed.state.services.find((s) => s.id === id) || { name: "" }).name);
}

function render() {
  const c = feed.counter();
  const chosen = c && usable().includes(c);
  $("chooser").hidden = Boolean(chosen);
  $("desk").hidden = !chosen;
  renderDevices();
  if (!chosen) { renderChooser(); return; }
  named($("counter-name"), c.name);
  $("counter-services").replaceChildren(...joinNames(serviceNames(c)));
  $("counter-services").title = serviceNames(c).join(" · ");
  const paused = c.status === "paused";
  $("paused-banner").hidden = !paused;
  $("paused-banner").replaceChildren(...(c.pause_reason
    ? fmtNodes(X.paused_banner, { reason: c.pause_reason }) : [X.paused_no_reason]));
  renderCurrent(c);
  renderButtons();
  renderWaiting(c);
  renderStats();
}

function renderChooser() {
  $("counter-list").replaceChildren(...usable().map((c) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "counter-choice";
    const title = named(document.createElement("strong"), c.name);
    title.className = "clamp-3";
    const services = document.createElement("span");
    services.className = "clamp-3";
    services.append(...joinNames(serviceNames(c)));
    button.append(title, services);
    button.addEventListener("click", () => chooseCounter(c.id));
    return button;
  }));
}

function renderCurrent(c) {
  const t = c.current_ticket;
  $("current-number").textContent = t ? t.number : "—";
  $("current-number").classList.toggle("empty", !t);
  named($("current-service"), t ? t.service_name : X.nobody);
  $("current-priority").hidden = !(t && t.priority);
  named($("current-priority"), t && t.priority ? (t.priority_name || t.priority) : "");
  $("current-times").textContent = t && t.called_at
    ? `${fmt(X.waited, { m: minutesSince(t.issued_at, Date.parse(t.called_at)) })} · `
      + fmt(X.serving_for, { m: minutesSince(t.called_at) })
    : "";
}

function renderButtons() {
  const c = feed.counter();
  const hasTicket = Boolean(c && c.current_ticket);
  const paused = Boolean(c && c.status === "paused");
  for (const button of document.querySelectorAll("[data-action]")) {
    const action = button.dataset.action;
    const needsTicket = ["recall", "done", "no_show", "transfer"].includes(action);
    button.disabled = busy || !c || (needsTicket && !hasTicket) || (action === "next" && paused);
  }
  $("pause-button").querySelector("span").textContent = paused ? X.resume : X.pause;
  $("pause-button").classList.toggle("primary", paused);
}

function renderWaiting(c) {
  const total = c.service_ids.reduce((n, id) => n + (feed.state.waiting[id] || 0), 0);
  const shown = feed.state.line;
  $("waiting-count").textContent = `(${total})`;
  $("waiting-empty").hidden = total > 0 || shown.length > 0;
  $("waiting-more").hidden = total <= shown.length;
  $("waiting-more").textContent = fmt(X.more_waiting, { n: total - shown.length });
  const paused = c.status === "paused";
  $("waiting-table").tBodies[0].replaceChildren(...shown.map((t) => {
    const row = document.createElement("tr");
    row.dataset.ticketId = t.id;
    const cells = [t.number, t.service_name, t.priority ? (t.priority_name || t.priority) : "",
      fmt(X.minutes, { m: minutesSince(t.issued_at) })];
    for (const text of cells) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    row.cells[0].className = "number";
    if (t.priority) row.classList.add("priority");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = X.call_this;
    button.disabled = paused || busy;
    button.addEventListener("click", () => {
      button.blur();
      run(() => api("POST", `/api/v1/counters/${c.id}/call`, { ticket_id: t.id }), Boolean(c.current_ticket));
    });
    const last = document.createElement("td");
    last.append(button);
    row.append(last);
    return row;
  }));
}

function renderStats() {
  const s = feed.state.stats || NO_STATS;
  $("stat-served").textContent = s.served || 0;
  $("stat-no-show").textContent = s.no_show || 0;
  $("stat-average").textContent = s.average_service_s == null ? "—"
    : fmt(X.minutes, { m: (s.average_service_s / 60).toFixed(1).replace(".", ",") });
}

function renderDevices() {
  $("device-banners").replaceChildren(...[...feed.state.devices.values()].map((d) => {
    const banner = document.createElement("p");
    banner.className = "banner device";
    banner.append(...fmtNodes(X.device_problem, {
      role: page.roles[d.role] || d.role, name: d.name, message: deviceText(d.status, d.message),
    }));
    return banner;
  }));
}

// --- wiring ------------------------------------------------------------------------

// The dossier code (mã hồ sơ) typed or scanned before Xong goes with it, once.
function dossierCode() {
  const code = $("dossier-code").value.trim();
  return code ? { dossier_code: code } : {};
}
function keptDossier(result) { $("dossier-code").value = ""; return result; }
$("dossier-code").addEventListener("keydown", (e) => {  // a scanner ends with Enter
  if (e.key === "Enter") { e.preventDefault(); act("done"); }
});

function typing(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement
    || target instanceof HTMLTextAreaElement;
}

document.addEventListener("keydown", (e) => {
  if (document.querySelector("dialog[open]")) return;
  let action = KEYS[e.key];
  if (!action && e.key === " " && !typing(e.target)) action = "next";
  if (!action) return;
  e.preventDefault();
  if (!e.repeat && !$("desk").hidden) act(action);
});

for (const button of document.querySelectorAll("[data-action]")) {
  button.addEventListener("click", () => { button.blur(); act(button.dataset.action); });
}
for (const dialog of document.querySelectorAll("dialog")) {
  // Enter confirms even from the field-of-work list, so the mouse is never needed.
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target instanceof HTMLSelectElement) {
      e.preventDefault();
      dialog.querySelector("form").requestSubmit(dialog.querySelector("button[value=ok]"));
    }
  });
}
for (const button of document.querySelectorAll("dialog [data-close]")) {
  button.addEventListener("click", () => button.closest("dialog").close(""));
}
$("change-counter").addEventListener("click", () => chooseCounter(null));

setInterval(() => { const c = feed.counter(); if (c && !$("desk").hidden) { renderCurrent(c); renderWaiting(c); } }, 20000);
render();
feed.start().catch((e) => showError(e.message));
