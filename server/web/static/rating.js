// The rating tablet of one counter: idle → (the counter presses Xong) → the citizen rates
// → thanks → idle. Every word comes from the page data.
(function () {
  "use strict";
  const page = JSON.parse(document.getElementById("page-data").textContent);
  const X = page.texts;
  const $ = (id) => document.getElementById(id);
  const SCREENS = ["idle", "prompt", "why", "thanks"];
  let ticket = null;        // the ticket being rated
  let level = null;
  let timer = null;

  function show(name, note) {
    for (const s of SCREENS) $(s).hidden = s !== name;
    $("note").hidden = !note;
    $("note").textContent = note || "";
    clearTimeout(timer);
    if (name === "thanks") timer = setTimeout(() => show("idle"), 5000);
    else if (name !== "idle") timer = setTimeout(() => show("idle"), page.timeout_s * 1000);
  }

  function ask(t) {
    ticket = t;
    level = null;
    for (const b of document.querySelectorAll("#reasons button")) b.setAttribute("aria-pressed", "false");
    for (const b of document.querySelectorAll("#levels button, #why button")) b.disabled = false;
    $("prompt-text").textContent = X.prompt.replace("{number}", t.number);
    $("prompt-en").textContent = X.prompt_en.replace("{number}", t.number);
    show("prompt");
  }

  function send(reasons) {
    for (const b of document.querySelectorAll("#levels button, #why button")) b.disabled = true;
    fetch("/api/v1/tickets/" + ticket.id + "/rating", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + page.token },
      body: JSON.stringify({ level: level, reasons: reasons }),
    }).then((r) => {
      if (r.status === 201) {
        show("thanks");
      } else if (r.status === 409) {
        show("thanks", X.already);
      } else {
        throw new Error(String(r.status));
      }
    }).catch(() => {
      for (const b of document.querySelectorAll("#levels button, #why button")) b.disabled = false;
      $("note").hidden = false;
      $("note").textContent = X.failed;
    });
  }

  for (const button of document.querySelectorAll("#levels button")) {
    button.addEventListener("click", () => {
      level = button.dataset.level;
      if (button.dataset.unhappy && page.reasons.length) {
        show("why");
      } else {
        send([]);
      }
    });
  }
  for (const button of document.querySelectorAll("#reasons button")) {
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  $("send").addEventListener("click", () => {
    send([...document.querySelectorAll("#reasons button[aria-pressed=true]")]
      .map((b) => b.dataset.reason));
  });
  $("skip").addEventListener("click", () => send([]));

  // --- the counter's "done", from the event stream -------------------------------------
  const stream = new EventSource("/api/v1/events?token=" + encodeURIComponent(page.token));
  stream.addEventListener("ticket.done", (e) => {
    const data = JSON.parse(e.data);
    if (data.counter && data.counter.id === page.counter.id) ask(data.ticket);
  });
  stream.addEventListener("open", () => { $("offline").hidden = true; });
  stream.addEventListener("error", () => { $("offline").hidden = false; });
  show("idle");
})();
