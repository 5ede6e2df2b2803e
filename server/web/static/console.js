// The clerk console: one counter's desk, kept true by the server's events.
//
// It reads the office once when it starts and again after the event stream reconnects
// (GET /display gives the counters, the fields, the waiting counts and the last event id;
// the stream then replays from that id). In between it applies each event to what it
// holds, as the hall display does: ticket events carry the ticket and the waiting counts,
// counter.updated the counter. Only the chosen counter's waiting list is read again:
// its order is the server's rule (GET /counters/{id}/line), never worked out here, so an
// event that may change that line asks for it once per burst of events.
"use strict";

(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const X = page.texts;
  const STORE_KEY = "layso.counter";
  const LINE_LIMIT = 20;          // tickets shown in the waiting list
  const LINE_DEBOUNCE_MS = 250;   // a burst of events costs one read of the line
  const LINE_REREAD_MS = 60000;   // a long wait can move a ticket up (max-wait rule)
  const RECONNECT_MS = 3000;
  const KEYS = { F1: "next", F2: "recall", F3: "done", F4: "no_show", F6: "transfer", F8: "pause" };
  const NO_STATS = { served: 0, no_show: 0, average_service_s: null };

  const state = {
    counters: [], services: [], waiting: {}, line: [], stats: null,
    counterId: Number(localStorage.getItem(STORE_KEY)) || null,
    busy: false, offsetMs: 0,
    source: null, lastEventId: null, needsResync: true,
    resync: null, resyncAgain: false, pending: [],
    lineTimer: null, lineSeq: 0,
    devices: new Map(page.device_problems.map((d) => [d.name, d])),
  };

  const $ = (id) => document.getElementById(id);
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : ""));
  const now = () => Date.now() + state.offsetMs;
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

  // --- reading the whole office (start, reconnect, a refused action) ------------------

  // Events that arrive while it reads are held, then applied if newer than what it read.
  async function resync() {
    if (state.resync) { state.resyncAgain = true; return state.resync; }
    state.resync = (async () => {
      do {
        state.resyncAgain = false;
        state.needsResync = false;
        await readOffice();
        await readLine();
      } while (state.resyncAgain);
    })();
    try {
      await state.resync;
    } catch (e) {
      state.needsResync = true;
      throw e;
    } finally {
      state.resync = null;
      for (const event of state.pending.splice(0)) apply(event);
      render();
    }
  }

  async function readOffice() {
    const [office, snapshot, stats] = await Promise.all([
      api("GET", "/api/v1/office"), api("GET", "/api/v1/display"), api("GET", "/console/stats"),
    ]);
    state.offsetMs = Date.parse(office.now) - Date.now();
    state.counters = snapshot.counters;
    state.services = snapshot.services;
    state.waiting = { ...snapshot.waiting };
    state.lastEventId = snapshot.last_event_id;
    state.stats = stats;
  }

  async function readStats() {
    state.stats = await api("GET", "/console/stats");
    renderStats();
  }

  // --- the chosen counter's line: the server's order, read again when it may change ---

  async function readLine() {
    const c = counter();
    const seq = ++state.lineSeq;
    if (!c) { state.line = []; return; }
    const data = await api("GET", `/api/v1/counters/${c.id}/line?limit=${LINE_LIMIT}`);
    if (seq !== state.lineSeq) return;  // a later read is on its way
    state.line = data.tickets;
    if (counter() === c) renderWaiting(c);
  }

  function lineChanged() {
    if (state.lineTimer) return;  // a read is already due; it will see this change too
    state.lineTimer = setTimeout(() => {
      state.lineTimer = null;
      readLine().catch(() => {});
    }, LINE_DEBOUNCE_MS);
  }

  function serves(c, serviceId) { return Boolean(c) && c.service_ids.includes(serviceId); }

  // Whether a ticket event can change who is in the chosen counter's line, or in which order.
  function touchesLine(type, data) {
    const c = counter();
    if (!c || type === "ticket.done" || type === "ticket.no_show") return false;  // were not waiting
    if (type === "ticket.called" && data.recall) return false;
    return serves(c, data.ticket.service_id) || serves(c, data.from_service_id);
  }

  // --- the event stream --------------------------------------------------------------

  function connect() {
    if (state.source) state.source.close();
    const after = state.lastEventId == null ? "" : `?last_event_id=${state.lastEventId}`;
    const source = new EventSource(`/api/v1/events${after}`);
    state.source = source;
    source.onopen = () => {
      setOffline(false);
      if (state.needsResync) resync().catch(() => {});
    };
    source.onerror = () => {
      state.needsResync = true;  // events may have been missed: read everything on reopen
      setOffline(true);
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, RECONNECT_MS);
    };
    for (const type of Object.keys(HANDLERS)) {
      source.addEventListener(type, (e) => receive({
        id: e.lastEventId ? Number(e.lastEventId) : null, type, data: JSON.parse(e.data),
      }));
    }
  }

  function receive(event) {
    if (state.resync) { state.pending.push(event); return; }
    if (apply(event)) render();
  }

  function apply(event) {
    if (event.id != null && state.lastEventId != null && event.id <= state.lastEventId) return false;
    if (event.id != null) state.lastEventId = event.id;
    HANDLERS[event.type](event.data, event.type);
    if (event.data.waiting) Object.assign(state.waiting, event.data.waiting);
    return true;
  }

  function onTicket(data, type) {
    const t = data.ticket;
    for (const c of state.counters) {
      const held = c.current_ticket && c.current_ticket.id === t.id;
      if (held && (t.status !== "called" || t.counter_id !== c.id)) c.current_ticket = null;
    }
    if (t.status === "called" && data.counter) {
      const c = counterById(data.counter.id);
      if (c) c.current_ticket = t;
    }
    // A ticket that no longer waits for this counter leaves the list now; the order of
    // the others is only ever the server's.
    const chosen = counter();
    state.line = state.line.filter((x) => x.id !== t.id || (t.status === "waiting" && serves(chosen, t.service_id)))
      .map((x) => (x.id === t.id ? t : x));
    if (touchesLine(type, data)) lineChanged();
  }

  function onCounter(data) {
    const fresh = data.counter;
    const old = counterById(fresh.id);
    state.counters = [...state.counters.filter((c) => c.id !== fresh.id), fresh]
      .sort((a, b) => a.number - b.number);
    // Its line depends on its fields (and its priority streak, which only a call moves).
    const newFields = !old || old.service_ids.join() !== fresh.service_ids.join();
    if (fresh.id === state.counterId && newFields) lineChanged();
  }

  function onServices(data) {
    state.services = data.services;
    for (const s of data.services) state.waiting[s.id] = s.waiting;
    if (counter()) lineChanged();  // a field renamed, closed or given to other counters
  }

  function onOffice() {
    if (counter()) lineChanged();  // the call rules (priority run, max wait) may have changed
  }

  function onDayReset() {
    for (const c of state.counters) c.current_ticket = null;
    for (const id of Object.keys(state.waiting)) state.waiting[id] = 0;
    state.line = [];
    state.stats = { ...NO_STATS };
  }

  function onDeviceStatus(data) {
    const device = data.device || {};
    if (data.status === "ok") state.devices.delete(device.name);
    else state.devices.set(device.name, { name: device.name, role: device.role, status: data.status, message: data.message });
  }

  const HANDLERS = {
    "ticket.issued": onTicket, "ticket.called": onTicket, "ticket.done": onTicket,
    "ticket.no_show": onTicket, "ticket.transferred": onTicket, "ticket.cancelled": onTicket,
    "ticket.reactivated": onTicket, "ticket.expired": onTicket,
    "counter.updated": onCounter, "services.updated": onServices, "office.updated": onOffice,
    "day.reset": onDayReset, "device.status": onDeviceStatus,
  };

  // --- acting ------------------------------------------------------------------------

  function counterById(id) { return state.counters.find((c) => c.id === id) || null; }
  function counter() { return counterById(state.counterId); }

  async function act(action) {
    const c = counter();
    if (!c || state.busy || document.querySelector("dialog[open]")) return;
    const t = c.current_ticket;
    const base = `/api/v1/counters/${c.id}`;
    const calls = {
      next: () => (c.status === "paused" ? null : api("POST", `${base}/call-next`)),
      recall: () => t && api("POST", `${base}/recall`),
      done: () => t && api("POST", `/api/v1/tickets/${t.id}/done`),
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
    state.busy = true;
    renderButtons();
    try {
      const request = start();
      if (!request) return;
      const result = await request;
      showError("");
      applyResult(result);
      if (finishes) await readStats();
    } catch (e) {
      showError(e.message);
      // Refused: what this page showed was out of date. (Offline: the stream's
      // reconnect reads everything anyway.)
      if (e.code !== "network" && e.code !== "unauthorized") resync().catch(() => {});
    } finally {
      state.busy = false;
      render();
    }
  }

  // The action's answer is the ticket or counter as it now is; its events follow.
  function applyResult(result) {
    const c = counter();
    if (!result || !c) return;
    if ("service_ids" in result) { onCounter({ counter: result }); return; }
    const t = "ticket" in result ? result.ticket : result;
    if (t === null) { showError(X.nobody_waiting, "info"); return; }
    if (t.status === "called") {
      c.current_ticket = t;
      state.line = state.line.filter((x) => x.id !== t.id);
    } else if (c.current_ticket && c.current_ticket.id === t.id) {
      c.current_ticket = null;
    }
  }

  function openTransfer(ticket) {
    const select = $("transfer-service");
    select.replaceChildren(...state.services.filter((s) => s.id !== ticket.service_id).map((s) => {
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
    const c = counter();
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
    state.counterId = id;
    if (id) localStorage.setItem(STORE_KEY, String(id)); else localStorage.removeItem(STORE_KEY);
    state.line = [];
    showError("");
    render();
    if (id) readLine().catch((e) => showError(e.message));
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
    return state.counters.filter((c) => !allowed.length || allowed.includes(c.id));
  }

  function serviceNames(c) {
    return c.service_ids.map((id) => (state.services.find((s) => s.id === id) || { name: "" }).name);
  }

  function render() {
    const c = counter();
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
    const c = counter();
    const hasTicket = Boolean(c && c.current_ticket);
    const paused = Boolean(c && c.status === "paused");
    for (const button of document.querySelectorAll("[data-action]")) {
      const action = button.dataset.action;
      const needsTicket = ["recall", "done", "no_show", "transfer"].includes(action);
      button.disabled = state.busy || !c || (needsTicket && !hasTicket) || (action === "next" && paused);
    }
    $("pause-button").querySelector("span").textContent = paused ? X.resume : X.pause;
    $("pause-button").classList.toggle("primary", paused);
  }

  function renderWaiting(c) {
    const total = c.service_ids.reduce((n, id) => n + (state.waiting[id] || 0), 0);
    const shown = state.line;
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
      button.disabled = paused || state.busy;
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
    const s = state.stats || NO_STATS;
    $("stat-served").textContent = s.served || 0;
    $("stat-no-show").textContent = s.no_show || 0;
    $("stat-average").textContent = s.average_service_s == null ? "—"
      : fmt(X.minutes, { m: (s.average_service_s / 60).toFixed(1).replace(".", ",") });
  }

  function renderDevices() {
    $("device-banners").replaceChildren(...[...state.devices.values()].map((d) => {
      const banner = document.createElement("p");
      banner.className = "banner device";
      banner.append(...fmtNodes(X.device_problem, {
        role: page.roles[d.role] || d.role, name: d.name, message: deviceText(d.status, d.message),
      }));
      return banner;
    }));
  }

  // --- wiring ------------------------------------------------------------------------

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

  setInterval(() => { const c = counter(); if (c && !$("desk").hidden) { renderCurrent(c); renderWaiting(c); } }, 20000);
  setInterval(() => { if (counter() && !state.resync) readLine().catch(() => {}); }, LINE_REREAD_MS);
  render();
  resync().catch((e) => showError(e.message)).finally(connect);
})();
