/* Progress grid: Tab and Enter move to the next plan's score box (Shift+Enter to the previous
   one), skipping the student-name links between the boxes, so a week's scores are typed in
   one run; Shift+Tab keeps its usual meaning, so each row's name link (the plan page) is one
   Shift+Tab away from its box. Leaving a box fires its `change`, which htmx posts. Without
   this script Enter submits the form, which saves every box: still correct. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-progress-input]")) {
      return;
    }
    var forward = event.key === "Tab" && !event.shiftKey;
    if (!(event.key === "Enter" || forward)) {
      return;
    }
    var all = Array.prototype.slice.call(document.querySelectorAll("input[data-progress-input]"));
    var next = all[all.indexOf(box) + (event.key === "Enter" && event.shiftKey ? -1 : 1)];
    if (next) {
      event.preventDefault();
      next.focus();
      next.select();
    } else if (event.key === "Enter") {
      event.preventDefault();
      var save = document.getElementById("save-all");
      if (save) { save.focus(); } else { box.blur(); }
    }
    // Tab from the last box: the browser's own order (the "Save all scores" button).
  });
})();
