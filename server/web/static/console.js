// The clerk console: one counter's desk, kept true by the server.
//
// The page never trusts its own idea of the queue for long: after every action, every
// stream event and every reconnect it reads the counters, the waiting list and the
// clerk's figures again from the JSON API (with the session cookie and the CSRF header),
// so a refused action or a missed event cannot leave it showing something wrong.
"use strict";

(function () {
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const X = page.texts;
  const STORE_KEY = "layso.counter";
  const KEYS = { F1: "next", F2: "recall", F3: "done", F4: "no_show", F6: "transfer", F8: "pause" };
  const EVENTS = ["ticket.issued", "ticket.called", "ticket.done", "ticket.no_show",
    "ticket.transferred", "ticket.cancelled", "ticket.reactivated", "ticket.expired",
    "counter.updated", "services.updated", "office.updated", "day.reset"];

  const state = {
    counters: [], services: [], waiting: [], stats: null,
    counterId: Number(localStorage.getItem(STORE_KEY)) || null,
    busy: false, offsetMs: 0, source: null, refreshTimer: null,
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

  // --- reading the server ------------------------------------------------------------

  async function refresh() {
    const [office, counters, services, waiting, stats] = await Promise.all([
      api("GET", "/api/v1/office"), api("GET", "/api/v1/counters"),
      api("GET", "/api/v1/services"), api("GET", "/api/v1/tickets?status=waiting"),
      api("GET", "/console/stats"),
    ]);
    state.offsetMs = Date.parse(office.now) - Date.now();
    state.counters = counters;
    state.services = services;
    state.waiting = waiting;
    state.stats = stats;
    setOffline(false);
    render();
  }

  function scheduleRefresh(delay) {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(() => refresh().catch(() => {}), delay);
  }

  function connect() {
    if (state.source) state.source.close();
    const source = new EventSource("/api/v1/events");
    state.source = source;
    source.onopen = () => { setOffline(false); scheduleRefresh(0); };
    source.onerror = () => {
      setOffline(true);
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    };
    for (const type of EVENTS) source.addEventListener(type, () => scheduleRefresh(100));
    source.addEventListener("device.status", (e) => onDeviceStatus(JSON.parse(e.data)));
  }

  function onDeviceStatus(data) {
    const device = data.device || {};
    if (data.status === "ok") {
      state.devices.delete(device.name);
    } else {
      state.devices.set(device.name, {
        name: device.name, role: page.roles[device.role] || device.role,
        message: data.message || page.device_status[data.status] || data.status,
      });
    }
    renderDevices();
  }

  // --- acting ------------------------------------------------------------------------

  function counter() { return state.counters.find((c) => c.id === state.counterId) || null; }

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
    await run(calls[action]);
  }

  async function run(start) {
    state.busy = true;
    renderButtons();
    try {
      const request = start();
      if (!request) return;
      const result = await request;
      showError("");
      if (result && "ticket" in result) {
        const c = counter();
        if (c && result.ticket && result.ticket.status === "called") c.current_ticket = result.ticket;
        if (result.ticket === null) showError(X.nobody_waiting, "info");
        render();
      }
    } catch (e) {
      showError(e.message);
    } finally {
      state.busy = false;
      renderButtons();
      await refresh().catch(() => {});
    }
  }

  function openTransfer(ticket) {
    const select = $("transfer-service");
    select.replaceChildren(...state.services.filter((s) => s.id !== ticket.service_id).map((s) => {
      const option = document.createElement("option");
      option.value = s.id;
      option.textContent = `${s.name} (${s.code})`;
      return option;
    }));
    $("transfer-title").textContent = fmt(X.transfer_to, { number: ticket.number });
    const dialog = $("transfer-dialog");
    dialog.returnValue = "";
    dialog.onclose = () => {
      if (dialog.returnValue !== "ok") return;
      run(() => api("POST", `/api/v1/tickets/${ticket.id}/transfer`,
        { service_id: Number(select.value) }));
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
      run(() => api("POST", `/api/v1/counters/${c.id}/pause`, { reason: input.value.trim() }));
    };
    dialog.showModal();
    input.focus();
    return null;
  }

  function chooseCounter(id) {
    state.counterId = id;
    if (id) localStorage.setItem(STORE_KEY, String(id)); else localStorage.removeItem(STORE_KEY);
    showError("");
    render();
  }

  // --- drawing -----------------------------------------------------------------------

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

  function serviceName(id) {
    const s = state.services.find((x) => x.id === id);
    return s ? s.name : "";
  }

  function render() {
    const c = counter();
    const chosen = c && usable().includes(c);
    $("chooser").hidden = Boolean(chosen);
    $("desk").hidden = !chosen;
    if (!chosen) { renderChooser(); return; }
    $("counter-name").textContent = c.name;
    $("counter-services").textContent = c.service_ids.map(serviceName).join(" · ");
    const paused = c.status === "paused";
    $("paused-banner").hidden = !paused;
    $("paused-banner").textContent = c.pause_reason ? fmt(X.paused_banner, { reason: c.pause_reason })
      : X.paused_no_reason;
    renderCurrent(c);
    renderButtons();
    renderWaiting(c);
    renderStats();
    renderDevices();
  }

  function renderChooser() {
    $("counter-list").replaceChildren(...usable().map((c) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "counter-choice";
      const title = document.createElement("strong");
      title.textContent = c.name;
      const services = document.createElement("span");
      services.textContent = c.service_ids.map(serviceName).join(" · ");
      button.append(title, services);
      button.addEventListener("click", () => chooseCounter(c.id));
      return button;
    }));
    renderDevices();
  }

  function renderCurrent(c) {
    const t = c.current_ticket;
    $("current-number").textContent = t ? t.number : "—";
    $("current-number").classList.toggle("empty", !t);
    $("current-service").textContent = t ? t.service_name : X.nobody;
    $("current-priority").hidden = !(t && t.priority);
    $("current-priority").textContent = t && t.priority ? (t.priority_name || t.priority) : "";
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
    const mine = state.waiting.filter((t) => c.service_ids.includes(t.service_id));
    $("waiting-count").textContent = `(${mine.length})`;
    $("waiting-empty").hidden = mine.length > 0;
    const paused = c.status === "paused";
    $("waiting-table").tBodies[0].replaceChildren(...mine.map((t) => {
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
        run(() => api("POST", `/api/v1/counters/${c.id}/call`, { ticket_id: t.id }));
      });
      const last = document.createElement("td");
      last.append(button);
      row.append(last);
      return row;
    }));
  }

  function renderStats() {
    const s = state.stats || {};
    $("stat-served").textContent = s.served || 0;
    $("stat-no-show").textContent = s.no_show || 0;
    $("stat-average").textContent = s.average_service_s == null ? "—"
      : fmt(X.minutes, { m: (s.average_service_s / 60).toFixed(1).replace(".", ",") });
  }

  function renderDevices() {
    $("device-banners").replaceChildren(...[...state.devices.values()].map((d) => {
      const banner = document.createElement("p");
      banner.className = "banner device";
      banner.textContent = fmt(X.device_problem, d);
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
  setInterval(() => refresh().catch(() => {}), 30000);
  renderDevices();
  refresh().catch((e) => showError(e.message));
  connect();
})();
