// A table wider than the screen scrolls inside its .table-responsive wrapper (a dashboard's
// long table also scrolls down inside a wrapper of fixed height); keyboard users can scroll it
// only if the wrapper takes focus. So a wrapper that scrolls becomes a named, focusable region
// (named after its table's caption), and stops being one when the window grows large enough.
// Runs on page load, on every piece of page htmx swaps in, and on resize. The words come from
// the page's JavaScript catalog (base.html loads it first).
(function () {
  function label(wrapper, sideways) {
    var caption = wrapper.querySelector("caption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    var words = sideways ? gettext("%(name)s (scrolls sideways)") : gettext("%(name)s (scrolls)");
    return interpolate(words, {name: text || gettext("Table")}, true);
  }
  function mark(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var wrappers = Array.prototype.slice.call(scope.querySelectorAll(".table-responsive"));
    if (scope.classList && scope.classList.contains("table-responsive")) { wrappers.push(scope); }
    wrappers.forEach(function (wrapper) {
      var sideways = wrapper.scrollWidth > wrapper.clientWidth + 1;
      if (sideways || wrapper.scrollHeight > wrapper.clientHeight + 1) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", label(wrapper, sideways));
      } else {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
      }
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { mark(document); }, 150);
  });
  if (window.htmx) {
    window.htmx.onLoad(mark);
  } else {
    document.addEventListener("DOMContentLoaded", function () { mark(document); });
  }
})();
