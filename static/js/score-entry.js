/* Score-entry grid: Enter moves to the next student's box (Shift+Enter to the previous one)
   instead of submitting the whole class. Leaving a box fires its `change`, which htmx posts.
   Without this script Enter submits the form, which saves the whole class: still correct. */
(function () {
  "use strict";
  function boxes() {
    return Array.prototype.slice.call(
      document.querySelectorAll("input[data-grid-input]:not([readonly])")
    );
  }
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("input[data-grid-input]")) {
      return;
    }
    event.preventDefault();
    var all = boxes();
    var next = all[all.indexOf(box) + (event.shiftKey ? -1 : 1)];
    if (next) {
      next.focus();
      next.select();
    } else {
      // After the last student: the "Save all scores" button (leaving the box saves it).
      var save = document.getElementById("save-all");
      if (save) { save.focus(); } else { box.blur(); }
    }
  });
})();
