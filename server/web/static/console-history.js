// The console's history of the day: the citizens this counter has served today, with the
// dossier code (mã hồ sơ) each led to. It reads GET /api/v1/tickets?status=done when the
// page opens and again whenever the desk's own figures change (after each Xong), so it
// adds no event stream and no polling of its own.
const STORE_KEY = "layso.counter";   // the counter this browser works at (console.js)
const $ = (id) => document.getElementById(id);

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
}

async function refresh() {
  const counterId = Number(localStorage.getItem(STORE_KEY)) || null;
  if (!counterId) return;
  const response = await fetch("/api/v1/tickets?status=done",
    { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const served = (await response.json()).filter((t) => t.counter_id === counterId);
  const body = $("history-table").querySelector("tbody");
  body.replaceChildren();
  for (const t of served) {
    const row = document.createElement("tr");
    cell(row, t.number, "number");
    cell(row, t.service_name);
    cell(row, (t.finished_at || "").slice(11, 16));
    cell(row, t.dossier_code || "—", t.dossier_code ? "dossier" : "muted");
    body.appendChild(row);
  }
  $("history-empty").hidden = served.length > 0;
  $("history-table").hidden = served.length === 0;
}

// The console redraws these figures after every event; only a changed figure (a citizen
// served, another counter chosen) can change the history, so only that reads it again.
const WATCHED = ["stat-served", "stat-no-show", "counter-name"];
let seen = "";
let pending = null;
function soon() {
  const now = WATCHED.map((id) => $(id).textContent).join("|");
  if (now === seen) return;
  seen = now;
  clearTimeout(pending);
  pending = setTimeout(() => refresh().catch(() => {}), 200);
}
for (const id of WATCHED) {
  new MutationObserver(soon).observe($(id), { childList: true, characterData: true, subtree: true });
}
soon();
