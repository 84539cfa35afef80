// Draw each dashboard chart from the JSON that the server put beside it (plotly.js is
// served from our own static files). The table next to each chart holds every number, so
// a chart that fails to draw loses nothing.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-dash-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.dashChart);
    if (!source) { return; }
    var fig = JSON.parse(source.textContent);
    window.Plotly.newPlot(el, fig.data, fig.layout, {displayModeBar: false, responsive: true});
  });
});
