// An error summary ([data-error-summary], with tabindex="-1") after a refused save: focus it
// when the page loads, so a screen reader reads it and the keyboard starts from it; then keep
// it true while the person fixes the boxes it lists. Each box saves itself (htmx swaps its
// cell), so when a listed box is no longer aria-invalid its line goes; the title counts what
// is left and, once nothing is left, the summary says so as a polite status instead of an
// alert. The words depend on what the summary lists (data-error-summary="scores" on the score
// grids) and come from the page's JavaScript catalog.
(function () {
  "use strict";

  var WORDS = {
    scores: {
      left: function (n) {
        return ngettext("%(count)s score still could not be saved",
                        "%(count)s scores still could not be saved", n);
      },
      fixed: function () { return gettext("Every score listed here is now saved."); }
    }
  };

  function refresh(summary) {
    var items = Array.prototype.slice.call(summary.querySelectorAll("li"));
    var left = 0;
    items.forEach(function (item) {
      var link = item.querySelector('a[href^="#"]');
      var box = link && document.getElementById(link.getAttribute("href").slice(1));
      if (box && box.getAttribute("aria-invalid") !== "true") {
        item.remove();
      } else {
        left += 1;
      }
    });
    if (left === items.length) {
      return;
    }
    var words = WORDS[summary.dataset.errorSummary];
    var title = summary.querySelector("[data-error-summary-title]");
    if (left === 0) {
      var done = document.createElement("p");
      done.className = "mb-0";
      done.textContent = words ? words.fixed() : gettext("Every problem listed here is fixed.");
      summary.replaceChildren(done);
      summary.classList.remove("alert-danger");
      summary.classList.add("alert-success");
      summary.setAttribute("role", "status");
    } else if (title && words) {
      title.textContent = interpolate(words.left(left), {count: left}, true);
    }
  }

  function refreshAll() {
    document.querySelectorAll("[data-error-summary]").forEach(refresh);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    // Not when the person already moved on (a box that autofocuses, a click before load).
    if (summary && (document.activeElement === document.body || !document.activeElement)) {
      summary.focus();
    }
  });
  document.addEventListener("htmx:afterSettle", refreshAll);
})();
