// The office, live, for the head of office: what the hall display shows (waiting per field,
// the latest calls) and every counter's state, kept fresh from the event stream.
(function () {
  "use strict";
  const X = JSON.parse(document.getElementById("page-data").textContent).texts;
  const $ = (id) => document.getElementById(id);
  let snapshot = null;
  let stream = null;

  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
  }

  function render() {
    if (!snapshot) return;
    const waiting = snapshot.waiting || {};
    const total = Object.values(waiting).reduce((a, b) => a + b, 0);
    $("waiting-total").textContent = String(total);
    const open = snapshot.counters.filter((c) => c.status === "open").length;
    $("open-counters").textContent = open + " / " + snapshot.counters.length;

    const counters = $("counters").querySelector("tbody");
    counters.replaceChildren();
    for (const c of snapshot.counters) {
      const tr = document.createElement("tr");
      tr.dataset.counter = String(c.number);
      tr.className = "counter-" + c.status;
      cell(tr, c.name, "name");
      const state = { open: X.counter_open, paused: X.counter_paused, closed: X.counter_closed };
      cell(tr, (state[c.status] || c.status) + (c.pause_reason ? " — " + c.pause_reason : ""));
      cell(tr, c.current_ticket ? X.serving + ": " + c.current_ticket.number : X.idle,
           c.current_ticket ? "serving" : "muted");
      counters.appendChild(tr);
    }

    const fields = $("fields").querySelector("tbody");
    fields.replaceChildren();
    for (const s of snapshot.services) {
      const tr = document.createElement("tr");
      cell(tr, s.name, "name");
      cell(tr, String(waiting[String(s.id)] || 0), "num");
      fields.appendChild(tr);
    }

    const calls = $("calls");
    calls.replaceChildren();
    for (const call of snapshot.recent_calls.slice(0, 8)) {
      const li = document.createElement("li");
      li.textContent = call.ticket.number + " → " + (call.counter ? call.counter.name : "?") +
        " (" + (call.called_at || "").slice(11, 16) + ")";
      calls.appendChild(li);
    }
  }

  function load() {
    return fetch("/api/v1/display", { cache: "no-store", credentials: "same-origin" })
      .then((r) => { if (r.status === 401) { location.reload(); } return r.json(); })
      .then((d) => { snapshot = d; render(); return d; });
  }

  function apply(type, data) {
    if (!snapshot) return;
    if (data.waiting) snapshot.waiting = data.waiting;
    if (type === "counter.updated" && data.counter) {
      const i = snapshot.counters.findIndex((c) => c.id === data.counter.id);
      if (i >= 0) snapshot.counters[i] = data.counter; else snapshot.counters.push(data.counter);
    } else if (type === "ticket.called") {
      snapshot.recent_calls.unshift({ ticket: data.ticket, counter: data.counter,
                                      called_at: data.at, recall: data.recall });
    } else if (type === "services.updated") {
      snapshot.services = data.services;
    } else if (type === "day.reset" || type === "office.updated") {
      load();
      return;
    }
    render();
  }

  function connect(lastId) {
    stream = new EventSource("/api/v1/events?last_event_id=" + lastId);
    const types = ["ticket.issued", "ticket.called", "ticket.done", "ticket.no_show",
                   "ticket.transferred", "ticket.cancelled", "ticket.reactivated",
                   "counter.updated", "services.updated", "day.reset", "office.updated"];
    for (const type of types) {
      stream.addEventListener(type, (e) => { $("offline").hidden = true; apply(type, JSON.parse(e.data)); });
    }
    stream.addEventListener("open", () => { $("offline").hidden = true; });
    stream.addEventListener("error", () => {
      $("offline").hidden = false;
      if (stream.readyState === EventSource.CLOSED) {
        setTimeout(() => load().then((d) => connect(d.last_event_id)).catch(() => {}), 3000);
      }
    });
  }

  load().then((d) => connect(d.last_event_id)).catch(() => { $("offline").hidden = false; });
})();
