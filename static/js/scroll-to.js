// Scroll to the element named by this script tag's data-target (the form that has errors
// after a save was refused), so the person sees what to fix.
(function () {
  var target = document.getElementById(document.currentScript.dataset.target);
  if (target) { target.scrollIntoView(); }
})();
