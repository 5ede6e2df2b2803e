// What the clerk console knows of the office, kept true by the server's events.
//
// It reads the office once when it starts and again after the event stream reconnects
// (GET /display gives the counters, the fields, the waiting counts and the last event id;
// the stream then replays from that id). In between it applies each event to what it
// holds, as the hall display does: ticket events carry the ticket and the waiting counts,
// counter.updated the counter. Only the chosen counter's waiting list is read again: its
// order is the server's rule (GET /counters/{id}/line), never worked out here, so an
// event that may change that line asks for it once per burst of events.
//
// Event ids are not checked for gaps: they are shared by all offices and by rows never
// sent (a ticket expired at the daily reset), so gaps are normal. A stream the server
// cuts (a slow reader) ends in an error like any other, and the reopen reads everything.

export const LINE_LIMIT = 20;        // tickets shown in the waiting list
const LINE_DEBOUNCE_MS = 250;        // a burst of events costs one read of the line
const LINE_REREAD_MS = 60000;        // a long wait can move a ticket up (max-wait rule)
const RECONNECT_MS = 3000;
export const NO_STATS = { served: 0, no_show: 0, average_service_s: null };

// `api(method, path, body)` calls the JSON API; `changed()` redraws; `offline(bool)` says
// whether the stream is down; `devices` are the problems known when the page was made.
export function createFeed({ api, changed, offline, counterId, devices }) {
  const state = {
    counters: [], services: [], waiting: {}, line: [], stats: null, offsetMs: 0,
    counterId, devices: new Map(devices.map((d) => [d.name, d])),
    source: null, lastEventId: null, needsResync: true,
    resync: null, resyncAgain: false, pending: [], lineTimer: null, lineSeq: 0,
  };

  const counterById = (id) => state.counters.find((c) => c.id === id) || null;
  const counter = () => counterById(state.counterId);
  const serves = (c, serviceId) => Boolean(c) && c.service_ids.includes(serviceId);

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
      changed();
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

  // The clerk's own figures: no event carries who called a ticket, so after finishing one.
  async function readStats() {
    state.stats = await api("GET", "/console/stats");
    changed();
  }

  // --- the chosen counter's line: the server's order, read again when it may change ---

  async function readLine() {
    const c = counter();
    const seq = ++state.lineSeq;
    if (!c) { state.line = []; return; }
    const data = await api("GET", `/api/v1/counters/${c.id}/line?limit=${LINE_LIMIT}`);
    if (seq !== state.lineSeq) return;  // a later read is on its way
    state.line = data.tickets;
    changed();
  }

  function lineChanged() {
    if (state.lineTimer) return;  // a read is already due; it will see this change too
    state.lineTimer = setTimeout(() => {
      state.lineTimer = null;
      readLine().catch(() => {});
    }, LINE_DEBOUNCE_MS);
  }

  // Whether a ticket event can change who is in the chosen counter's line, or in which order.
  function touchesLine(type, data) {
    const c = counter();
    if (!c || type === "ticket.done" || type === "ticket.no_show") return false;  // were not waiting
    if (type === "ticket.called" && data.recall) return false;
    return serves(c, data.ticket.service_id) || serves(c, data.from_service_id);
  }

  function choose(id) {
    state.counterId = id;
    state.line = [];
    return id ? readLine() : Promise.resolve();
  }

  // --- the event stream --------------------------------------------------------------

  function connect() {
    if (state.source) state.source.close();
    const after = state.lastEventId == null ? "" : `?last_event_id=${state.lastEventId}`;
    const source = new EventSource(`/api/v1/events${after}`);
    state.source = source;
    source.onopen = () => {
      offline(false);
      if (state.needsResync) resync().catch(() => {});
    };
    source.onerror = () => {
      state.needsResync = true;  // events may have been missed: read everything on reopen
      offline(true);
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
    if (apply(event)) changed();
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
    state.line = state.line
      .filter((x) => x.id !== t.id || (t.status === "waiting" && serves(chosen, t.service_id)))
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

  // --- what an action answered: the ticket or counter as it now is; its events follow --

  function applyResult(result) {
    const c = counter();
    if (!result || !c) return;
    if ("service_ids" in result) { onCounter({ counter: result }); return; }
    const t = "ticket" in result ? result.ticket : result;
    if (!t) return;  // call-next when nobody waits
    if (t.status === "called") {
      c.current_ticket = t;
      state.line = state.line.filter((x) => x.id !== t.id);
    } else if (c.current_ticket && c.current_ticket.id === t.id) {
      c.current_ticket = null;
    }
  }

  function start() {
    setInterval(() => { if (counter() && !state.resync) readLine().catch(() => {}); }, LINE_REREAD_MS);
    return resync().finally(connect);
  }

  return { state, counter, choose, resync, readStats, applyResult, start };
}
