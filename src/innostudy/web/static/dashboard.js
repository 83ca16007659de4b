// Live dashboard: refreshes the progress panel every few seconds, with a control to pause
// (WCAG 2.2.2). For people whose system asks for reduced motion it starts paused, until
// they ask for updates; the choice is remembered in this browser. Without this script the
// page is static and has a link to refresh it.
(function () {
  "use strict";
  var panel = document.getElementById("progress-panel");
  var control = document.getElementById("refresh-control");
  var button = document.getElementById("refresh-toggle");
  var state = document.getElementById("refresh-state");
  if (!panel || !control || !button || !state) return;
  var KEY = "innostudy.dashboard-updates";
  var seconds = Number(panel.getAttribute("data-every")) || 5;
  var every = state.textContent;
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var remembered = null;
  try { remembered = window.localStorage.getItem(KEY); } catch (e) { /* storage off */ }
  var running = remembered ? remembered === "on" : !reduced;

  function show() {
    button.textContent = running ? "Pause updates" : "Resume updates";
    button.setAttribute("aria-pressed", running ? "false" : "true");
    state.textContent = running ? every
      : (reduced && !remembered ? "Updates are paused because your device asks for reduced motion." : "Updates are paused.");
    panel.setAttribute("data-updating", running ? "true" : "false");
  }

  function refresh() {
    if (!running || document.hidden) return;
    fetch(panel.getAttribute("data-src"), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) {
        if (r.status === 401) { window.location.href = "/login?next=/dashboard"; return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) { if (html !== null && running) panel.innerHTML = html; })
      .catch(function () { /* the next tick tries again */ });
  }

  button.addEventListener("click", function () {
    running = !running;
    remembered = running ? "on" : "off";
    try { window.localStorage.setItem(KEY, remembered); } catch (e) { /* storage off */ }
    show();
    refresh();
  });
  control.hidden = false;
  show();
  window.setInterval(refresh, seconds * 1000);
})();
