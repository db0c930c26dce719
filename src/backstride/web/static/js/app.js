// Backstride progressive enhancement. Every page works without this file.
"use strict";

// A "Show" button after each password field: typing a long password on a phone is hard, and
// seeing it helps (OWASP ASVS 2.1.12). The field goes back to hidden before its form is sent,
// so a browser never offers to keep it as plain text.
function addShowPassword(input) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button secondary show-password";
  button.textContent = "Show";
  button.setAttribute("aria-pressed", "false");
  button.setAttribute("aria-controls", input.id);
  const label = document.querySelector(`label[for="${input.id}"]`);
  button.setAttribute("aria-label", `Show ${label ? label.textContent.trim().toLowerCase() : "password"}`);
  // A toggle: its name stays "Show ..." and aria-pressed says whether the password shows.
  button.addEventListener("click", () => {
    const shown = input.type === "password";
    input.type = shown ? "text" : "password";
    button.setAttribute("aria-pressed", String(shown));
  });
  input.form?.addEventListener("submit", () => {
    input.type = "password";
  });
  input.insertAdjacentElement("afterend", button);
}

document.addEventListener("DOMContentLoaded", () => {
  // Confirm before destructive actions (data-confirm on a form).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  for (const input of document.querySelectorAll('input[type="password"][id]')) {
    addShowPassword(input);
  }
});
