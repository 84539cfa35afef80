// Draw the screening history charts of a student's profile card from the JSON beside each
// chart (the table under each chart holds the same numbers).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-screening-chart]").forEach(function (el) {
    var fig = JSON.parse(document.getElementById(el.dataset.figure).textContent);
    window.Plotly.newPlot(el, fig.data, fig.layout, {displayModeBar: false, responsive: true, staticPlot: false});
  });
});
