// Coding workbench and suggestion queue: selection to code-point offsets, keyboard shortcuts.
// Without this script every action still works through the forms on the page.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var selectionBox = document.getElementById("selection");
  var filter = document.getElementById("code-filter");
  var list = document.getElementById("code-list");
  var current = null; // {segment: element, start: int, end: int} in code points

  function codePoints(text) { return Array.from(text).length; }

  // Offset of (node, offset) from the start of container, in code points.
  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function describe() {
    if (!selectionBox) return;
    if (!current) { selectionBox.textContent = "Nothing selected."; setButtons(false); return; }
    var text = Array.from(current.segment.querySelector(".seg-text").textContent).slice(current.start, current.end).join("");
    var heading = current.segment.querySelector("header").textContent.trim();
    selectionBox.textContent = "“" + text + "” — " + heading + " (characters " + current.start + "–" + current.end + ")";
    setButtons(true);
  }

  function setButtons(on) {
    if (!list) return;
    list.querySelectorAll("button").forEach(function (b) { b.disabled = !on; });
  }

  function visibleCodes() {
    return list ? Array.from(list.querySelectorAll("li")).filter(function (li) { return !li.hidden; }) : [];
  }

  function numberShortcuts() {
    visibleCodes().forEach(function (li, i) {
      var kbd = li.querySelector(".shortcut");
      if (kbd) kbd.textContent = i < 9 ? String(i + 1) : "";
    });
  }

  function select(segment, start, end) {
    document.querySelectorAll(".segment.current").forEach(function (s) { s.classList.remove("current"); });
    segment.classList.add("current");
    current = { segment: segment, start: start, end: end };
    var form = segment.querySelector(".apply-form");
    if (form) { form.elements.start.value = start; form.elements.end.value = end; }
    describe();
  }

  document.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    var range = sel.getRangeAt(0);
    var text = range.commonAncestorContainer.nodeType === 1 ? range.commonAncestorContainer.closest(".seg-text") : range.commonAncestorContainer.parentElement.closest(".seg-text");
    if (!text) return;
    var start = offsetIn(text, range.startContainer, range.startOffset);
    var end = offsetIn(text, range.endContainer, range.endOffset);
    var whole = Array.from(text.textContent);
    while (start < end && /\s/.test(whole[start])) start++;
    while (end > start && /\s/.test(whole[end - 1])) end--;
    if (end > start) select(text.closest(".segment"), start, end);
  });

  // POST a form body as HTMX would, swap the turn the server sends back, focus it again.
  function postAndSwap(url, body, segment, done, failed) {
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRF-Token": csrf ? csrf.content : "" }
    }).then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        segment.outerHTML = html;
        var fresh = document.getElementById(segment.id);
        if (fresh) { fresh.focus(); if (window.htmx) window.htmx.process(fresh); }
        done(fresh);
      })
      .catch(failed);
  }

  function apply(codeId) {
    if (!current) return;
    var body = new URLSearchParams({ code_id: codeId, start: current.start, end: current.end, memo: "", csrf_token: csrf ? csrf.content : "" });
    var segment = current.segment;
    postAndSwap("/coding/segments/" + segment.getAttribute("data-segment") + "/codings", body, segment,
      function (fresh) {
        if (fresh) fresh.classList.add("current");
        selectionBox.textContent = "Code applied.";
        current = null; setButtons(false);
      },
      function (status) { selectionBox.textContent = "The code was not applied (" + status + ")."; });
  }

  if (list) {
    list.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-code]");
      if (b) apply(b.getAttribute("data-code"));
    });
    numberShortcuts();
  }
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      list.querySelectorAll("li").forEach(function (li) {
        var b = li.querySelector("button");
        li.hidden = q !== "" && b.getAttribute("data-name").indexOf(q) === -1 && b.textContent.toLowerCase().indexOf(q) === -1;
      });
      numberShortcuts();
    });
    filter.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        var first = visibleCodes()[0];
        if (first) apply(first.querySelector("button").getAttribute("data-code"));
      } else if (e.key === "Escape") { filter.blur(); }
    });
  }

  // Single-key shortcuts (WCAG 2.1.4): never while the focus is on a control, where a
  // key belongs to that control (pressing 2 on a Remove button must not code anything),
  // and not at all when switched off; the switch is remembered in this browser.
  var CONTROLS = "a[href], button, input, select, textarea, summary, label, [contenteditable], " +
    "[role=button], [role=link], [role=checkbox], [role=radio], [role=menuitem], [role=tab], " +
    "[role=textbox], [role=combobox], [role=switch], [role=slider], [role=option]";
  var KEY = "innostudy.shortcuts";
  var toggle = document.getElementById("shortcuts-on");
  var enabled = true;
  try { enabled = window.localStorage.getItem(KEY) !== "off"; } catch (e) { /* storage off */ }

  function showShortcuts() {
    document.querySelectorAll(".shortcut").forEach(function (k) { k.hidden = !enabled; });
  }
  if (toggle) {
    toggle.checked = enabled;
    toggle.closest(".shortcut-switch").hidden = false;
    toggle.addEventListener("change", function () {
      enabled = toggle.checked;
      try { window.localStorage.setItem(KEY, enabled ? "on" : "off"); } catch (e) { /* storage off */ }
      showShortcuts();
    });
  }
  showShortcuts();

  function onControl(target) {
    return target instanceof Element && target.closest(CONTROLS) !== null;
  }

  function move(selector, step) {
    var items = Array.from(document.querySelectorAll(selector));
    if (!items.length) return null;
    var at = items.indexOf(document.activeElement.closest(selector));
    var next = items[Math.max(0, Math.min(items.length - 1, at + step))];
    next.focus(); next.scrollIntoView({ block: "nearest" });
    return next;
  }

  function sentenceStep(segment) {
    var text = segment.querySelector(".seg-text");
    if (!text) return;
    var sentences = JSON.parse(text.getAttribute("data-sentences") || "[]");
    if (!sentences.length) return;
    var index = 0;
    if (current && current.segment === segment) {
      for (var i = 0; i < sentences.length; i++) { if (sentences[i][0] >= current.end) { index = i; break; } index = 0; }
    }
    select(segment, sentences[index][0], sentences[index][1]);
  }

  // One-key stance: the key a stance button carries sets that stance on the current
  // turn's latest coding of yours (the buttons are the template's; no key list here).
  function stanceButton(segment, key) {
    var forms = segment.querySelectorAll("form.stance-form[data-mine]");
    if (!forms.length) return null;
    return forms[forms.length - 1].querySelector('button[data-key="' + key + '"]');
  }

  function setStance(segment, button) {
    var form = button.form;
    var label = button.getAttribute("aria-describedby");
    var body = new URLSearchParams(new FormData(form));
    body.set("stance", button.value);
    postAndSwap(form.getAttribute("action"), body, segment,
      function () {
        var said = document.getElementById(label);
        if (said && selectionBox) selectionBox.textContent = said.textContent + ".";
      },
      function (status) { if (selectionBox) selectionBox.textContent = "The stance was not set (" + status + ")."; });
  }

  document.addEventListener("keydown", function (e) {
    if (!enabled || e.ctrlKey || e.metaKey || e.altKey || onControl(e.target)) return;
    var segment = document.activeElement.closest(".segment");
    var suggestion = document.activeElement.closest(".suggestion");
    if (e.key === "j" || e.key === "k") {
      var sel = document.querySelector(".segment") ? ".segment" : ".suggestion";
      move(sel, e.key === "j" ? 1 : -1); e.preventDefault();
    } else if (e.key === "s" && segment) { sentenceStep(segment); e.preventDefault(); }
    else if (e.key === "w" && segment) {
      var t = segment.querySelector(".seg-text");
      if (t) { var all = Array.from(t.textContent); var a = 0, b = all.length; while (a < b && /\s/.test(all[a])) a++; while (b > a && /\s/.test(all[b - 1])) b--; select(segment, a, b); }
      e.preventDefault();
    } else if (e.key === "/" && filter) { filter.focus(); e.preventDefault(); }
    else if (/^[1-9]$/.test(e.key) && current) {
      var li = visibleCodes()[Number(e.key) - 1];
      if (li) { apply(li.querySelector("button").getAttribute("data-code")); e.preventDefault(); }
    } else if (segment && stanceButton(segment, e.key)) {
      setStance(segment, stanceButton(segment, e.key)); e.preventDefault();
    } else if ((e.key === "a" || e.key === "r") && suggestion) {
      var button = suggestion.querySelector('button[value="' + (e.key === "a" ? "accept" : "reject") + '"]');
      if (button) { button.click(); e.preventDefault(); }
    }
  });
})();
