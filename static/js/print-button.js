// A button that opens the browser's Print dialog (the sign-in cards page). A file of its own:
// the Content-Security-Policy admits no inline script.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
