// The start guide's print button: shown only when scripts run, since it needs window.print().
document.querySelectorAll("[data-vb-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
