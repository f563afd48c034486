// Progressive enhancement only: every page works without this file.

// Pre-select the device's time zone in fields marked data-detect-timezone,
// unless the page came back with a value the person chose.
document.querySelectorAll("select[data-detect-timezone]").forEach((select) => {
  if (select.closest("form")?.querySelector(".errorlist") || select.value !== "UTC") return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if ([...select.options].some((option) => option.value === zone)) select.value = zone;
});

// "Use my usual times" in the check-in: fill the night's empty times from their suggestions
// (data-usual) on the spot, instead of sending the form to the server to do the same. Nothing
// is saved either way. The listener is on the document because htmx replaces the form.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-use-usual]");
  if (!button) return;
  const fieldset = button.closest("fieldset");
  const inputs = [...fieldset.querySelectorAll("input[data-usual]")];
  if (!inputs.length) return;
  event.preventDefault();
  for (const input of inputs) {
    if (!input.value) input.value = input.dataset.usual;
  }
  // The live sleep metrics listen for a change in the fieldset.
  inputs[0].dispatchEvent(new Event("change", { bubbles: true }));
  fieldset.querySelector("[data-usual-status]").textContent =
    "Your usual times are filled in: check them and save.";
});

// A running cramp timer (templates/journal/cramp_offer.html) shows the time it has run, in the
// app's words ("1 min 5 s"). The server keeps the start, so a reload or a closed tab loses
// nothing; the page says how many seconds it had run when it was made (data-timer-seconds), and
// this counts on from there, so a phone clock set wrong does not matter. Hidden from screen
// readers, which would hear it every second: the sentence beside it says when it started.
const lengthText = (seconds) => {
  if (seconds >= 3600) return "over an hour";
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (!minutes) return `${rest} s`;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
};
const timerSeen = new WeakMap(); // element → performance.now() when it was first ticked
const tickTimers = () => {
  for (const element of document.querySelectorAll("[data-timer-seconds]")) {
    const start = Number.parseInt(element.dataset.timerSeconds, 10);
    if (Number.isNaN(start)) continue;
    if (!timerSeen.has(element)) timerSeen.set(element, performance.now());
    const seconds = start + Math.floor((performance.now() - timerSeen.get(element)) / 1000);
    element.textContent = `${lengthText(seconds)} so far`;
  }
};
tickTimers();
setInterval(tickTimers, 1000);
document.addEventListener("htmx:afterSwap", tickTimers);

// The error summary (templates/forms/error_summary.html): a link moves the focus to its field
// and scrolls so that the field's label, or its group's legend, shows above it. Without this
// the browser follows the link itself, with the field kept clear of the top by scroll-margin.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
  const legend = field.closest("fieldset")?.querySelector("legend");
  const caption = field.type === "radio" && legend ? legend : label || field;
  caption.scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
});

// Shared by offline.js and drafts.js: times in the app's words, and putting kept answers back.
(() => {
  const clock = (iso) =>
    new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  const day = (iso) =>
    new Date(iso).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });

  // Put [name, value] pairs back into a form's fields (what FormData gave when they were kept).
  const fillIn = (form, kept) => {
    const values = new Map();
    for (const [name, value] of kept) values.set(name, [...(values.get(name) || []), value]);
    for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      if (input.name === "csrfmiddlewaretoken" || input.type === "hidden" || input.type === "submit") continue;
      const given = values.get(input.name) || [];
      if (input.type === "radio" || input.type === "checkbox") input.checked = given.includes(input.value);
      else if (input.tagName === "SELECT" && input.multiple) {
        for (const option of input.options) option.selected = given.includes(option.value);
      } else input.value = given[0] ?? "";
    }
  };
  window.CrampJournal = { clock, day, fillIn };
})();
