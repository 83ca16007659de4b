// Progressive enhancement for the survey form; every page works without this script.
// - questions that depend on an answer on the same page hide and show as answers change
//   (the server decides, so the skip rules have one implementation);
// - the error summary takes focus, and its links focus the field they name (also when a
//   link from the review page opens another page at a question);
// - the submit button cannot be pressed twice (the server is idempotent anyway).
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  var form = document.querySelector("form.survey-form");

  function applyRelevance(keys) {
    document.querySelectorAll('.question[data-mode="conditional"]').forEach(function (el) {
      var show = keys.indexOf(el.getAttribute("data-key")) !== -1;
      el.hidden = !show;
    });
  }

  if (form && document.querySelector('.question[data-mode="conditional"]')) {
    var initial = [];
    document.querySelectorAll(".question").forEach(function (el) {
      if (el.getAttribute("data-relevant") === "true") initial.push(el.getAttribute("data-key"));
    });
    applyRelevance(initial);
    var pending = null;
    form.addEventListener("change", function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(function () {
        var body = new URLSearchParams(new FormData(form));
        fetch(form.getAttribute("data-relevance"), {
          method: "POST",
          body: body,
          headers: { "X-CSRF-Token": token ? token.content : "" },
          credentials: "same-origin"
        }).then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data) applyRelevance(data.relevant); })
          .catch(function () { /* the server still applies the rules on save */ });
      }, 150);
    });
  }

  // A link from the review page names a question (#q-key): put the cursor in its field.
  var named = location.hash.indexOf("#q-") === 0 && document.getElementById(location.hash.slice(1));
  var namedField = named && named.querySelector("input, select, textarea");

  var summary = document.getElementById("error-summary");
  if (namedField && !summary) {
    // after the browser has handled the fragment itself (which focuses the page)
    window.addEventListener("load", function () {
      setTimeout(function () { namedField.focus(); }, 0);
    });
  } else if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var block = document.getElementById(link.getAttribute("href").slice(1));
      var field = block && block.querySelector("input, select, textarea");
      if (field) { event.preventDefault(); field.focus(); block.scrollIntoView({ block: "center" }); }
    });
  }

  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; button.textContent = "Submitting…"; }, 0);
    });
  });
})();
