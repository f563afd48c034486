// The cramps logged on this phone without a connection, kept in IndexedDB until the server has
// them (journal/offline.py). Loaded by the pages (offline.js) and by the service worker (sw.js,
// for Background Sync), so it touches no page: it only stores and sends.
//
// A waiting cramp: { id, fields, tappedAt, journal, details, refused }
//   id        made on the phone (the bedside form's token when there was one): the server logs
//             each id once, so a resend, or the page and the worker sending together, logs one
//   fields    the bedside form's fields as pressed ([name, value] pairs: when, at_time)
//   tappedAt  the phone's moment of the tap (ISO 8601, UTC)
//   journal   the key of the journal it was logged for (data-journal on <body>)
//   details   the details form's fields, once the user saved them, else null
//   refused   the server's reason when it will not take it (the user may discard it), else null
(() => {
  const DATABASE = "cramp-journal";
  const WAITING = "waiting";
  const KEPT = "kept"; // the last journal key seen: the offline page logs for that journal
  const LOCK = "cramp-journal-outbox";

  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  const open = () => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(WAITING, { keyPath: "id" });
      request.result.createObjectStore(KEPT);
    };
    return done(request);
  };

  const withStore = async (name, mode, work) => {
    const database = await open();
    try {
      const transaction = database.transaction(name, mode);
      const result = await work(transaction.objectStore(name));
      await new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
      return result;
    } finally {
      database.close();
    }
  };

  const outbox = {
    async all() {
      const entries = await withStore(WAITING, "readonly", (store) => done(store.getAll()));
      return entries.sort((a, b) => a.tappedAt.localeCompare(b.tappedAt));
    },

    async add({ id, fields, tappedAt, journal }) {
      const entry = { id: id || self.crypto.randomUUID(), fields, tappedAt, journal, details: null, refused: null };
      await withStore(WAITING, "readwrite", (store) => done(store.put(entry)));
      return entry;
    },

    async update(id, changes) {
      return withStore(WAITING, "readwrite", async (store) => {
        const entry = await done(store.get(id));
        if (entry) await done(store.put({ ...entry, ...changes }));
        return entry ? { ...entry, ...changes } : null;
      });
    },

    async discard(id) {
      await withStore(WAITING, "readwrite", (store) => done(store.delete(id)));
    },

    async clear() {
      await withStore(WAITING, "readwrite", (store) => done(store.clear()));
      await withStore(KEPT, "readwrite", (store) => done(store.clear()));
    },

    async keepJournal(key) {
      await withStore(KEPT, "readwrite", (store) => done(store.put(key, "journal")));
    },

    async keptJournal() {
      return withStore(KEPT, "readonly", (store) => done(store.get("journal")));
    },

    // Send every waiting cramp of the journal signed in. One sender at a time on this phone
    // (pages and worker alike) where the browser has Web Locks; the server logs each id once
    // in any case. Resolves to { sent: [messages], refused, signedOut, otherJournal, failed }.
    async send(address) {
      const run = () => sendAll(address);
      return self.navigator.locks ? self.navigator.locks.request(LOCK, run) : run();
    },
  };

  async function sendAll(address) {
    const result = { sent: [], refused: 0, signedOut: false, otherJournal: 0, failed: false };
    const waiting = (await outbox.all()).filter((entry) => !entry.refused);
    if (!waiting.length) return result;
    let answer;
    try {
      // A fresh CSRF token for each round, and the journal signed in now.
      answer = await fetch(address, { headers: { Accept: "application/json" }, cache: "no-store" });
    } catch {
      return { ...result, failed: true };
    }
    if (answer.status === 401) return { ...result, signedOut: true };
    if (!answer.ok) return { ...result, failed: true };
    const { csrf_token: token, journal } = await answer.json();
    for (const entry of waiting) {
      if (entry.journal !== journal) {
        result.otherJournal += 1;
        continue;
      }
      const body = new URLSearchParams([
        ...entry.fields,
        ["token", entry.id],
        ["tapped_at", entry.tappedAt],
        ["journal", entry.journal],
        ...(entry.details ? [["details", "1"], ...entry.details] : []),
      ]);
      let response;
      try {
        response = await fetch(address, {
          method: "POST",
          body,
          headers: { "X-CSRFToken": token, Accept: "application/json" },
          redirect: "error",
        });
      } catch {
        return { ...result, failed: true };
      }
      if (response.status === 401) return { ...result, signedOut: true };
      const reply = await response.json().catch(() => ({}));
      if (response.ok) {
        await outbox.discard(entry.id);
        result.sent.push(reply.message);
      } else if (response.status === 422 || response.status === 409) {
        await outbox.update(entry.id, { refused: reply.message || "The server refused it." });
        result.refused += 1;
      } else {
        return { ...result, failed: true };
      }
    }
    return result;
  }

  self.CrampOutbox = outbox;
})();
