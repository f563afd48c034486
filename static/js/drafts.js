// A check-in's answers, kept on this phone (localStorage) as they are typed and until the
// server has saved them, so that a Save with no connection loses nothing: the form says why
// it was not saved, and offers the answers again the next time it is opened. offline.js
// forgets them at log-out.
(() => {
  const journal = document.body.dataset.journal || ""; // on pages of a signed-in journal
  if (!journal) return;
  const { clock, day, fillIn } = window.CrampJournal;

  const draftKey = (form) => `cramp-journal-draft:${journal}:${form.getAttribute("action")}`;
  const readDraft = (form) => {
    try {
      return JSON.parse(localStorage.getItem(draftKey(form)) || "null");
    } catch {
      return null;
    }
  };
  const answers = (form) =>
    [...new FormData(form)].filter(([name, value]) => name !== "csrfmiddlewaretoken" && typeof value === "string");
  const keepDraft = (form, changes = {}) => {
    const previous = readDraft(form) || {};
    localStorage.setItem(
      draftKey(form),
      JSON.stringify({ ...previous, keptAt: new Date().toISOString(), answers: answers(form), ...changes }),
    );
  };
  const forgetDraft = (form) => localStorage.removeItem(draftKey(form));

  const draftNotice = (form, text, { offerSaved = false } = {}) => {
    let notice = form.querySelector("[data-draft-notice]");
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "panel-attention";
      notice.dataset.draftNotice = "";
      notice.setAttribute("role", "alert");
      notice.tabIndex = -1;
      form.prepend(notice);
    }
    const words = document.createElement("p");
    words.textContent = text;
    notice.replaceChildren(words);
    if (offerSaved) {
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button-secondary";
      discard.textContent = "Use the saved answers instead";
      discard.addEventListener("click", () => {
        forgetDraft(form);
        window.location.reload();
      });
      notice.append(discard);
    }
    notice.focus();
  };

  const NOT_SENT =
    "Not saved: this phone has no connection. What you typed is kept on this phone; press Save again when you are back online.";

  const setUpDraft = (form) => {
    if (form.dataset.draftReady) return;
    form.dataset.draftReady = "yes";
    const kept = readDraft(form);
    const refused = form.querySelector("[data-error-summary]"); // the server has the answers
    if (kept && !refused && JSON.stringify(kept.answers) !== JSON.stringify(answers(form))) {
      fillIn(form, kept.answers);
      form.dispatchEvent(new Event("change", { bubbles: true }));
      draftNotice(
        form,
        `Restored what you typed on this phone at ${clock(kept.keptAt)} (${day(kept.keptAt)}), which was not saved yet. Check it, then press Save.`,
        { offerSaved: true },
      );
    }
  };
  const draftForms = () => document.querySelectorAll("form[data-keep-draft]");
  draftForms().forEach(setUpDraft);
  // A form the server sent back in place (+1 cup, "Same as the day before", a refusal) holds
  // what was typed and the server's change: it replaces what was kept, and is never undone.
  document.addEventListener("htmx:afterSettle", () => {
    for (const form of draftForms()) {
      if (form.dataset.draftReady) continue;
      form.dataset.draftReady = "yes";
      if (readDraft(form)) keepDraft(form);
    }
  });
  document.addEventListener("input", (event) => {
    const form = event.target.closest?.("form[data-keep-draft]");
    if (form) keepDraft(form);
  });
  document.addEventListener("change", (event) => {
    const form = event.target.closest?.("form[data-keep-draft]");
    if (form && event.isTrusted) keepDraft(form);
  });
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target.closest("form[data-keep-draft]");
      if (!form) return;
      keepDraft(form, { submitted: true });
      if (navigator.onLine) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      draftNotice(form, NOT_SENT);
    },
    true,
  );
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.target.closest?.("form[data-keep-draft]");
    if (form) draftNotice(form, NOT_SENT);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt?.closest?.("form[data-keep-draft]");
    if (form && event.detail.xhr?.getResponseHeader("HX-Redirect")) forgetDraft(form);
  });
  // A form sent without htmx that was saved led to another page: its draft is done with.
  const here = new Set([...draftForms()].map(draftKey));
  for (const key of Object.keys(localStorage)) {
    if (!key.startsWith(`cramp-journal-draft:${journal}:`) || here.has(key)) continue;
    try {
      if (JSON.parse(localStorage.getItem(key))?.submitted) localStorage.removeItem(key);
    } catch {
      localStorage.removeItem(key);
    }
  }
})();
