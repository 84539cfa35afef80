/* Score grids (screening and progress entry): a box is focused as soon as the page shows
   (autofocus), before htmx has loaded; a score typed and left at once fired its `change`
   with nobody listening, so it stayed in the box unsaved, with nothing to say so. Once htmx
   has processed the page, each box left with a changed value is posted, as leaving it now
   would; a box still being typed in is posted when it is left. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // htmx processes the page in its own DOMContentLoaded listener, added before this one.
    if (!window.htmx) return;
    var boxes = document.querySelectorAll("input[data-grid-input], input[data-progress-input]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.value !== box.defaultValue && box !== document.activeElement) {
        window.htmx.trigger(box, "change");
      }
    });
  });
})();
