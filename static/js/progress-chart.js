/* Draws the plan's progress graph from the figure the page carries as JSON
   (<script id="progress-figure" type="application/json">). The data table beneath the graph
   holds the same numbers for screen readers and for printing. */
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("progress-chart");
    var data = document.getElementById("progress-figure");
    if (!el || !data || !window.Plotly) { return; }
    var fig = JSON.parse(data.textContent);
    window.Plotly.newPlot(el, fig.data, fig.layout, {displayModeBar: false, responsive: true});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
