// Backstride progressive enhancement. Every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Confirm before destructive actions (data-confirm on a form).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
