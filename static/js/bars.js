// Progress bars take their width from data-bar-width (a percentage): the
// Content-Security-Policy blocks style="" attributes in the page, but not styles set from a
// script file. Runs on page load and on every piece of page htmx swaps in.
(function () {
  function sizeBars(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (bar) {
      bar.style.width = bar.dataset.barWidth + "%";
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(sizeBars);
  } else {
    document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  }
})();
