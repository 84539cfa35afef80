/* Progress grid: Enter moves to the next plan's box (Shift+Enter to the previous one) instead
   of submitting the whole grid; leaving a box fires its `change`, which htmx posts. Without
   this script Enter submits the form, which saves every box: still correct. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("input[data-progress-input]")) {
      return;
    }
    event.preventDefault();
    var all = Array.prototype.slice.call(document.querySelectorAll("input[data-progress-input]"));
    var next = all[all.indexOf(box) + (event.shiftKey ? -1 : 1)];
    if (next) {
      next.focus();
      next.select();
    } else {
      var save = document.getElementById("save-all");
      if (save) { save.focus(); } else { box.blur(); }
    }
  });
  // htmx swaps the cell: keep the focus where the keyboard user went (Tab already moved it).
})();
