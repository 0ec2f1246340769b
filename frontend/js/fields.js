// Errors shown beside the field they are about: the message under the field, `aria-invalid` on the input and the
// message linked with `aria-describedby`, so a screen reader reads it with the field.

function describedBy(input) {
  return (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
}

/** Show `message` in `errorEl` (a <p class="field-error">) for one input or several (a range). */
export function showFieldError(inputs, errorEl, message) {
  errorEl.textContent = message;
  errorEl.hidden = false;
  for (const input of [inputs].flat()) {
    input.setAttribute("aria-invalid", "true");
    const ids = describedBy(input);
    if (!ids.includes(errorEl.id)) input.setAttribute("aria-describedby", [...ids, errorEl.id].join(" "));
  }
}

/** Clear every field error inside `root`. */
export function clearFieldErrors(root) {
  for (const el of root.querySelectorAll(".field-error")) {
    el.textContent = "";
    el.hidden = true;
  }
  for (const input of root.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/**
 * Show a list of problems [{inputs, error, message}] and move focus to the first bad field.
 * Returns true when there was something to show.
 */
export function reportProblems(root, problems, { focus = true } = {}) {
  clearFieldErrors(root);
  for (const problem of problems) showFieldError(problem.inputs, problem.error, problem.message);
  if (problems.length && focus) {
    const first = [problems[0].inputs].flat()[0];
    first.focus();
    if (typeof first.select === "function" && first.type !== "number") first.select();
  }
  return problems.length > 0;
}

/** Show a message (and optional controls) in a form's error box, or hide it when `message` is empty. */
export function setMessage(el, message, ...extra) {
  el.replaceChildren();
  if (message) {
    const p = document.createElement("p");
    p.textContent = message;
    el.append(p, ...extra.filter(Boolean));
  }
  el.hidden = !message;
}

/**
 * Mark a button busy without disabling it: a disabled button drops keyboard focus, and the person pressing it
 * should stay where they are. The handlers check `isBusy(button)` to ignore presses meanwhile.
 */
export function setBusy(button, busy, label = null) {
  if (busy) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
  if (label !== null) button.textContent = label;
}

export function isBusy(button) {
  return button.getAttribute("aria-disabled") === "true";
}

/** Show/Hide buttons for password fields: `<button class="reveal" data-reveal="<input id>">`. */
export function wireRevealButtons(root) {
  for (const button of root.querySelectorAll("button[data-reveal]")) {
    const input = document.getElementById(button.dataset.reveal);
    if (!input || button.dataset.wired) continue;
    button.dataset.wired = "1";
    button.addEventListener("click", () => {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      button.textContent = show ? "Hide" : "Show";
      button.setAttribute("aria-pressed", String(show));
      input.focus();
    });
  }
}

/** Put password fields back to hidden text (before leaving a form). */
export function hidePasswords(root) {
  for (const button of root.querySelectorAll("button[data-reveal]")) {
    const input = document.getElementById(button.dataset.reveal);
    if (input) input.type = "password";
    button.textContent = "Show";
    button.setAttribute("aria-pressed", "false");
  }
}
