// With no connection: the service worker, cramps kept on this phone until they can be sent
// (outbox.js), and forgetting everything kept on the phone at log-out (drafts.js keeps a
// check-in's answers until saved).
// Progressive enhancement, like app.js: without it every page works online as before.
(() => {
  const root = document.documentElement;
  const journal = document.body.dataset.journal || ""; // on pages of a signed-in journal
  const offlinePage = "offlinePage" in document.body.dataset; // the service worker's offline page
  const sendTo = root.dataset.sendTo;
  const outbox = window.CrampOutbox;

  if ("serviceWorker" in navigator && root.dataset.serviceWorker) {
    navigator.serviceWorker.register(root.dataset.serviceWorker, { scope: "/" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "cramps-sent") showResult(event.data.result);
    });
  }

  // The offline page is the same for everyone, so it shows the theme the last page had.
  if (offlinePage) {
    root.dataset.theme = localStorage.getItem("cramp-journal-theme") || "system";
  } else if (journal) {
    localStorage.setItem("cramp-journal-theme", root.dataset.theme);
    outbox?.keepJournal(journal);
  }

  const { clock, day, fillIn } = window.CrampJournal;
  const cramps = (count) => (count === 1 ? "1 cramp" : `${count} cramps`);

  // --- Sending ----------------------------------------------------------------------------------

  const note = document.querySelector("[data-outbox-note]");

  const say = (text) => {
    if (!note) return;
    note.textContent = text;
    note.hidden = !text;
  };

  function showResult(result) {
    if (!result) return;
    outbox.all().then(async (entries) => {
      const waiting = entries.filter((entry) => !entry.refused);
      const told = panel ? await panel.show(result) : false;
      const sentences = [];
      if (result.sent.length && !told) sentences.push(`Sent to your journal: ${result.sent.join(" ")}`);
      if (waiting.length && !result.signedOut && !panel) {
        sentences.push(`${cramps(waiting.length)} still waiting on this phone to be sent.`);
      }
      if (sentences.length) say(sentences.join(" "));
      if (result.sent.length && !offlinePage) refreshCrampPanel();
    });
  }

  // The journal's own cramp panel, counting what was just sent.
  const refreshCrampPanel = async () => {
    const current = document.getElementById("cramp-panel");
    if (!current) return;
    const page = await fetch(window.location.pathname, { headers: { Accept: "text/html" } });
    if (!page.ok) return;
    const fresh = new DOMParser().parseFromString(await page.text(), "text/html");
    const panelNow = fresh.getElementById("cramp-panel");
    if (!panelNow) return;
    current.replaceChildren(...panelNow.childNodes);
    window.htmx?.process(current);
  };

  let sending = null;
  const send = () => {
    if (!outbox || !sendTo) return Promise.resolve(null);
    sending ??= outbox
      .send(sendTo)
      .then((result) => {
        showResult(result);
        return result;
      })
      .catch(() => null)
      .finally(() => {
        sending = null;
      });
    return sending;
  };

  const askWorkerToSend = () => {
    navigator.serviceWorker?.ready
      .then((registration) => registration.sync?.register("send-cramps"))
      .catch(() => {});
  };

  window.addEventListener("online", () => {
    send();
    panel?.connectionChanged();
  });
  window.addEventListener("offline", () => {
    if (onHome || offlinePage) offlinePanel()?.connectionChanged();
  });

  // --- The cramp button with no connection (templates/offline/waiting_panel.html) ---------------

  // Made when first needed: the home page holds it in a <template> until then, so that its
  // fields are not in the page twice while the journal's own panel is there.
  let panel = null;
  const offlinePanel = () => (panel ??= makePanel());

  const makePanel = () => {
    if (!outbox) return null;
    const template = document.querySelector("template[data-offline-template]");
    template?.replaceWith(template.content.cloneNode(true));
    const element = document.querySelector("[data-offline-panel]");
    if (!element) return null;
    const homeSection = element.closest("[data-offline-home]"); // hidden on the home page online
    const onlinePanel = document.getElementById("cramp-panel");
    const form = element.querySelector("[data-offline-cramp-form]");
    const status = element.querySelector("[data-offline-status]");
    const details = element.querySelector("[data-offline-details]");
    const waiting = element.querySelector("[data-offline-waiting]");
    const list = element.querySelector("[data-offline-list]");
    const part = (name) => element.querySelector(`[data-offline-${name}]`);
    let detailsFor = null;

    const journalHere = async () => journal || (await outbox.keptJournal()) || "";

    const render = async () => {
      const entries = await outbox.all();
      const mine = journal ? entries.filter((entry) => entry.journal === journal) : entries;
      const online = navigator.onLine && !offlinePage;
      if (homeSection) {
        homeSection.hidden = online && !mine.length;
        onlinePanel.hidden = !online;
        form.hidden = online;
      }
      part("no-journal").hidden = Boolean(await journalHere());
      list.replaceChildren(...entries.map(item));
      waiting.hidden = !entries.length;
      const others = journal ? entries.filter((entry) => entry.journal !== journal).length : 0;
      part("other-journal").hidden = !others;
      part("other-journal").textContent = others
        ? `${cramps(others)} on this phone ${others === 1 ? "was" : "were"} logged for another account. ${others === 1 ? "It is" : "They are"} sent when that account logs in here.`
        : "";
      return entries;
    };

    const item = (entry) => {
      const li = document.createElement("li");
      const what = document.createElement("p");
      const time = document.createElement("time");
      time.dateTime = entry.tappedAt;
      time.textContent = `${clock(startedAt(entry))}, ${day(startedAt(entry))}`;
      what.append("Cramp at ", time);
      if (entry.refused) what.append(`. Not sent: ${entry.refused}`);
      else if (entry.details) what.append(", details added");
      const buttons = document.createElement("div");
      buttons.className = "button-row";
      if (!entry.refused) {
        buttons.append(button("Add details", () => openDetails(entry), `details for the cramp at ${clock(startedAt(entry))}`));
      }
      buttons.append(
        button("Discard", async () => {
          await outbox.discard(entry.id);
          if (detailsFor?.id === entry.id) closeDetails();
          await render();
          tell(`Discarded the cramp at ${clock(startedAt(entry))}: it will not be sent.`);
        }, `the cramp at ${clock(startedAt(entry))}`),
      );
      li.append(what, buttons);
      return li;
    };

    const button = (text, action, about) => {
      const element = document.createElement("button");
      element.type = "button";
      element.className = "button-secondary";
      element.textContent = text;
      element.setAttribute("aria-label", `${text} (${about})`);
      element.addEventListener("click", action);
      return element;
    };

    // The start the server will give it (journal.forms.cramps.CrampNowForm.started_at), to list it.
    const startedAt = (entry) => {
      const fields = Object.fromEntries(entry.fields);
      const tapped = new Date(entry.tappedAt);
      if (fields.when === "at" && fields.at_time) {
        const [hours, minutes] = fields.at_time.split(":").map(Number);
        const at = new Date(tapped);
        at.setHours(hours, minutes, 0, 0);
        if (at > tapped) at.setDate(at.getDate() - 1);
        return at.toISOString();
      }
      const minutes = Number.parseInt(fields.when, 10) || 0;
      return new Date(tapped.getTime() - minutes * 60_000).toISOString();
    };

    const tell = (text) => {
      status.textContent = text;
      if (text) status.focus();
    };

    const openDetails = (entry) => {
      detailsFor = entry;
      details.reset();
      if (entry.details) fillIn(details, entry.details);
      part("details-time").textContent = clock(startedAt(entry));
      details.hidden = false;
    };

    const closeDetails = () => {
      detailsFor = null;
      details.hidden = true;
    };

    // Keep a tap: from this panel's button, or from the home page's own form when the
    // connection failed (the same id then, in case the server did get it).
    const keep = async ({ id, fields, tappedAt }) => {
      const forJournal = await journalHere();
      if (!forJournal) {
        await render();
        return null;
      }
      const entry = await outbox.add({ id, fields, tappedAt, journal: forJournal });
      const entries = await render();
      const count = entries.filter((waitingEntry) => !waitingEntry.refused).length;
      tell(
        `Cramp at ${clock(startedAt(entry))} saved on this phone; it will be sent when you are back online. Waiting to be sent: ${count}.`,
      );
      openDetails(entry);
      askWorkerToSend();
      if (navigator.onLine) send();
      return entry;
    };

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const when = event.submitter?.value || "now";
      const atTime = form.elements.namedItem("at_time").value;
      part("at-error").hidden = when !== "at" || Boolean(atTime);
      if (when === "at" && !atTime) return;
      keep({ fields: [["when", when], ["at_time", when === "at" ? atTime : ""]], tappedAt: new Date().toISOString() });
    });

    details.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!detailsFor) return;
      const kept = [...new FormData(details)].filter(([, value]) => typeof value === "string");
      const entry = await outbox.update(detailsFor.id, { details: kept });
      closeDetails();
      await render();
      if (entry) tell(`Details kept with the cramp at ${clock(startedAt(entry))}; they are sent with it.`);
    });
    part("details-close").addEventListener("click", closeDetails);
    part("send").addEventListener("click", () => send());

    render();
    return {
      keep,
      connectionChanged: render,
      // Says what was sent here, and true, when the panel is in view; false when it is not.
      async show(result) {
        part("signed-out").hidden = !result.signedOut;
        const entries = await render();
        if (detailsFor && !entries.some((entry) => entry.id === detailsFor.id)) closeDetails();
        if (homeSection?.hidden) return false;
        if (result.sent.length) tell(`Sent to your journal: ${result.sent.join(" ")}`);
        return true;
      },
    };
  };
  const onHome = Boolean(document.querySelector("[data-offline-home]"));
  if (offlinePage || (onHome && !navigator.onLine)) offlinePanel();
  else if (onHome && journal && outbox) {
    outbox.all().then((entries) => {
      if (entries.length) offlinePanel();
    });
  }

  // The home page's "Cramp now" (htmx): with no connection, or when the request cannot get
  // through, the tap is kept on this phone instead of being lost.
  let pendingTap = null;
  const tapFrom = (form, submitter) => {
    const data = new FormData(form, submitter);
    return {
      id: data.get("token") || undefined,
      fields: [["when", data.get("when") || "now"], ["at_time", data.get("at_time") || ""]],
      tappedAt: new Date().toISOString(),
    };
  };
  const freshToken = (form) => {
    const token = form.querySelector("input[name=token]");
    if (token) token.value = crypto.randomUUID();
  };
  if (onHome && outbox) {
    document.addEventListener(
      "submit",
      (event) => {
        const form = event.target.closest(".cramp-now-form[hx-post]");
        if (!form) return;
        const tap = tapFrom(form, event.submitter);
        if (tap.fields[0][1] === "at" && !tap.fields[1][1]) return; // the server says what is missing
        if (navigator.onLine) {
          pendingTap = { form, tap };
          return;
        }
        event.preventDefault();
        event.stopImmediatePropagation();
        freshToken(form);
        offlinePanel().keep(tap);
      },
      true,
    );
    const lost = (event) => {
      if (!pendingTap || !pendingTap.form.contains(event.target)) return;
      const { form, tap } = pendingTap;
      pendingTap = null;
      freshToken(form);
      offlinePanel().keep(tap);
    };
    document.addEventListener("htmx:sendError", lost);
    document.addEventListener("htmx:timeout", lost);
    document.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.successful) pendingTap = null;
    });
  }

  // --- Log-out: warn about cramps not sent, then forget everything kept on this phone ----------

  const forgetAll = async () => {
    await outbox?.clear().catch(() => {});
    // A shared phone stops getting this account's reminders (journal/reminders/push.py).
    await navigator.serviceWorker
      ?.getRegistration()
      .then((registration) => registration?.pushManager?.getSubscription())
      .then((subscription) => subscription?.unsubscribe())
      .catch(() => {});
    localStorage.clear();
    if (window.caches) {
      for (const name of await caches.keys()) await caches.delete(name);
    }
    navigator.serviceWorker?.controller?.postMessage("forget");
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-logout-form]");
    if (!form) return;
    event.preventDefault();
    if (navigator.onLine) await send();
    const left = outbox ? (await outbox.all()).length : 0;
    const dialog = document.querySelector("[data-logout-warning]");
    const logOut = async () => {
      await forgetAll();
      form.submit(); // no submit event this time
    };
    if (!left || !dialog) {
      await logOut();
      return;
    }
    dialog.querySelector("[data-logout-warning-text]").textContent =
      `${cramps(left)} logged on this phone ${left === 1 ? "has" : "have"} not reached the server yet. ` +
      `Logging out removes ${left === 1 ? "it" : "them"} from this phone. Stay logged in, and ` +
      `${left === 1 ? "it is" : "they are"} sent as soon as there is a connection.`;
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        if (dialog.returnValue === "log-out") logOut();
      },
      { once: true },
    );
    dialog.showModal();
  });

  // Send what is waiting whenever a page opens with a connection.
  if (navigator.onLine && (journal || offlinePage)) send();

  // The offline page shown in place of another page says so.
  if (offlinePage && window.location.pathname !== "/" && window.location.pathname !== "/offline/") {
    document.querySelector("[data-offline-elsewhere]")?.removeAttribute("hidden");
  }
})();
