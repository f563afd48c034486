// The service worker, served at /sw.js by journal/views/offline.py, which puts CRAMP_JOURNAL
// (the shell's addresses, a version that changes with any of them) before this file.
//
// It keeps only the app's shell: the files every page uses and the offline page, which holds no
// one's journal. Pages are never cached (the app sends them with no-store): a page opened with
// no connection gets the offline page instead, where a cramp can still be logged (outbox.js).
/* global CRAMP_JOURNAL */
importScripts(CRAMP_JOURNAL.outbox);

const SHELL_CACHE = `cramp-journal-shell-${CRAMP_JOURNAL.version}`;
const SHELL = new Set([...CRAMP_JOURNAL.shell, CRAMP_JOURNAL.offlinePage]);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([...SHELL].map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== SHELL_CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(CRAMP_JOURNAL.offlinePage)));
  } else if (request.method === "GET" && SHELL.has(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});

// Background Sync, where the browser has it: a page that kept a cramp asks for "send-cramps",
// and the browser wakes this worker when the connection is back, even with the page closed.
self.addEventListener("sync", (event) => {
  if (event.tag === "send-cramps") event.waitUntil(sendAndTell());
});

// A page may also ask the worker to send (and to forget its cache, at log-out).
self.addEventListener("message", (event) => {
  if (event.data === "send-cramps") event.waitUntil(sendAndTell());
  if (event.data === "forget") event.waitUntil(caches.keys().then((names) => Promise.all(names.map((name) => caches.delete(name)))));
});

async function sendAndTell() {
  const result = await self.CrampOutbox.send(CRAMP_JOURNAL.sendTo);
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "cramps-sent", result });
  }
  if (result.failed) throw new Error("Not sent yet"); // Background Sync tries again later
}

// --- Reminders pushed to this device (journal/reminders/push.py) -------------------------------

// The message is {title, body, url, tag}; a reminder replaces the last one of its kind (tag),
// and still alerts.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data?.json() ?? {};
  } catch {
    message = { body: event.data?.text() ?? "" };
  }
  const options = { body: message.body || "", icon: CRAMP_JOURNAL.icon, data: { url: message.url || "/" } };
  if (message.tag) Object.assign(options, { tag: message.tag, renotify: true });
  event.waitUntil(self.registration.showNotification(message.title || "Cramp Journal", options));
});

// A tap on it opens where it leads: in a window of the app already open, else in a new one.
// Only on this site: the address's path is taken, whatever site it names.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const given = new URL(event.notification.data?.url || "/", self.location.origin);
  const url = new URL(given.pathname + given.search + given.hash, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (!open) return self.clients.openWindow(url);
      await open.focus();
      if (open.url === url) return null;
      // navigate() is only for a window this worker controls.
      return open.navigate(url).catch(() => self.clients.openWindow(url));
    })(),
  );
});
