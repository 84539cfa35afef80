/* Meeting mode: keyboard navigation between students and a timer per agenda item.
 *
 * - J or Alt+ArrowRight: next item; K or Alt+ArrowLeft: previous item. Never while the
 *   focus is in a field (typing "j" in the notes must type a "j"), never with Ctrl/Meta.
 * - The timer counts up from when the item was first opened in this tab (sessionStorage,
 *   so recording a decision, which reloads the page, does not reset it) and shows an
 *   "Over time" label (words, not colour alone) past the item's target minutes.
 * - The decision form shows the fields of the chosen decision type only.
 * - [data-print] buttons print the page (minutes).
 */
(function () {
  "use strict";

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link && link.href) {
      window.location.assign(link.href);
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (!document.querySelector("[data-meeting-run]")) return;
    var key = event.key;
    var next = (!event.altKey && !event.shiftKey && (key === "j" || key === "J")) || (event.altKey && key === "ArrowRight");
    var prev = (!event.altKey && !event.shiftKey && (key === "k" || key === "K")) || (event.altKey && key === "ArrowLeft");
    if (next && follow("[data-nav-next]")) event.preventDefault();
    else if (prev && follow("[data-nav-prev]")) event.preventDefault();
  });

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function startTimer(bar) {
    var display = bar.querySelector("[data-timer]");
    var over = bar.querySelector("[data-timer-over]");
    if (!display) return;
    var key = "meeting-item-start-" + bar.dataset.item;
    var started = null;
    try { started = parseInt(window.sessionStorage.getItem(key), 10); } catch (e) { started = null; }
    if (!started || isNaN(started)) {
      started = Date.now();
      try { window.sessionStorage.setItem(key, String(started)); } catch (e) { /* private mode */ }
    }
    var target = parseInt(bar.dataset.targetMinutes, 10) || 0;
    function tick() {
      var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
      var minutes = Math.floor(seconds / 60);
      display.textContent = minutes + ":" + pad(seconds % 60);
      if (over) over.hidden = !(target && minutes >= target);
    }
    tick();
    window.setInterval(tick, 1000);
  }

  function drawPlanCharts(charts) {
    charts.forEach(function (el) {
      var fig = JSON.parse(document.getElementById(el.dataset.figure).textContent);
      window.Plotly.newPlot(el, fig.data, fig.layout, {displayModeBar: false, responsive: true});
    });
  }

  /* Progress graphs of the student's plans. plotly.js is already on the page when the
     screening card drew its charts; otherwise it is fetched once, only when needed. */
  function planCharts(bar) {
    var charts = document.querySelectorAll("[data-plan-chart]");
    if (!charts.length) return;
    if (window.Plotly) { drawPlanCharts(charts); return; }
    var script = document.createElement("script");
    script.src = bar.dataset.plotlySrc;
    script.onload = function () { drawPlanCharts(charts); };
    document.head.appendChild(script);
  }

  /* The decision form shows only the fields the chosen decision uses (all of them without
     JavaScript). Hidden fields are not cleared: switching back keeps what was typed. */
  function decisionFields(form) {
    var radios = form.querySelectorAll("[data-decision-type]");
    function update() {
      var chosen = form.querySelector("[data-decision-type]:checked");
      form.querySelectorAll("[data-for]").forEach(function (group) {
        group.hidden = !chosen || group.dataset.for.split(" ").indexOf(chosen.value) === -1;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".decision-form").forEach(decisionFields);
    var bar = document.querySelector("[data-meeting-run]");
    if (bar) { startTimer(bar); planCharts(bar); }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
