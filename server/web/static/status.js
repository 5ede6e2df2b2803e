// The ticket's status page: kept live from the server's per-ticket stream; chime and
// vibration when called; the rating once served. Every word comes from the page data.
(function () {
  "use strict";
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const X = page.texts;
  const FINAL = ["done", "no_show", "cancelled", "expired"];
  const $ = (id) => document.getElementById(id);
  const chime = new Audio("/t-sound/chime.wav");
  let soundReady = false;
  let shown = page.ticket;
  let picked = null;

  function bilingual(parent, line) {
    parent.textContent = line.vi;
    const en = document.createElement("span");
    en.className = "en";
    en.textContent = line.en;
    parent.appendChild(en);
  }

  function render(t) {
    document.body.className = "citizen status-page state-" + t.status;
    $("number").textContent = t.number;
    $("service").textContent = t.service_name;
    $("headline").textContent = t.say.headline.vi;
    $("headline-en").textContent = t.say.headline.en;
    const list = $("details");
    list.replaceChildren();
    for (const line of t.say.details) {
      const li = document.createElement("li");
      bilingual(li, line);
      list.appendChild(li);
    }
    $("sound").hidden = t.status !== "waiting" || soundReady;
    $("rating").hidden = !t.rating.can_rate;
    $("rated").hidden = !t.rating.level;
    document.title = t.number + " — " + X.title.vi;
  }

  function alertCitizen() {
    if (soundReady) {
      chime.currentTime = 0;
      chime.play().catch(() => {});
    }
    if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
  }

  function update(t) {
    const calledNow = t.status === "called" &&
      (shown.status !== "called" || t.recall_count > shown.recall_count);
    shown = t;
    render(t);
    if (calledNow) alertCitizen();
  }

  $("sound").addEventListener("click", () => {
    // Phones play sound only after a tap: this tap unlocks it for the call.
    chime.muted = true;
    chime.play().then(() => { chime.pause(); chime.muted = false; }).catch(() => {});
    soundReady = true;
    $("sound").hidden = true;
  });

  // --- live --------------------------------------------------------------------------
  const base = "/api/v1/public/t/" + encodeURIComponent(page.code);
  function online(yes) {
    $("live").hidden = !yes;
    $("offline").hidden = yes;
  }
  function poll() {
    fetch(base, { cache: "no-store" }).then((r) => r.ok ? r.json() : null).then((t) => {
      if (t) { online(true); update(t); }
      if (!t || !FINAL.includes(t.status)) setTimeout(poll, 5000);
    }).catch(() => { online(false); setTimeout(poll, 5000); });
  }
  if (!FINAL.includes(shown.status)) {
    if (window.EventSource) {
      const stream = new EventSource(base + "/events");
      stream.addEventListener("status", (e) => {
        online(true);
        const t = JSON.parse(e.data);
        update(t);
        if (FINAL.includes(t.status)) { stream.close(); $("live").hidden = true; }
      });
      stream.addEventListener("error", () => {
        if (stream.readyState !== EventSource.CLOSED) online(false);
      });
    } else {
      poll();
    }
  }

  // --- rating --------------------------------------------------------------------------
  function send(level, reasons) {
    $("rate-error").hidden = true;
    for (const b of document.querySelectorAll("#rating button")) b.disabled = true;
    fetch("/api/v1/tickets/" + page.code.split("-")[0] + "/rating", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ level: level, reasons: reasons, status_page_code: page.code }),
    }).then((r) => {
      if (r.status === 201 || r.status === 409) {
        shown = Object.assign({}, shown, {
          rating: Object.assign({}, shown.rating, { level: level, can_rate: false }) });
        render(shown);
      } else {
        throw new Error(String(r.status));
      }
    }).catch(() => {
      $("rate-error").hidden = false;
      for (const b of document.querySelectorAll("#rating button")) b.disabled = false;
    });
  }
  for (const button of document.querySelectorAll(".c-level")) {
    button.addEventListener("click", () => {
      picked = button.dataset.level;
      for (const b of document.querySelectorAll(".c-level")) b.classList.toggle("picked", b === button);
      if (button.classList.contains("unhappy") && shown.rating.reasons.length) {
        $("reasons").hidden = false;
      } else {
        send(picked, []);
      }
    });
  }
  $("send").addEventListener("click", () => {
    const reasons = [...document.querySelectorAll("#reasons input:checked")].map((i) => i.value);
    send(picked, reasons);
  });
})();
