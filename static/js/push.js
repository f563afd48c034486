// Reminders as notifications on this device (templates/account/push_devices.html): asks the
// browser for permission, subscribes with the service worker offline.js registers (/sw.js shows
// what is pushed), and gives the subscription to the server (journal/views/push.py).
// Progressive enhancement: without it the list of devices and their Remove buttons still work;
// only turning notifications on needs a script, so its form stays hidden until this runs.
(() => {
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  const WORKER_WAIT_MS = 10_000;

  // "Chrome on Android", "Home Screen app on iPhone": a name the person can change.
  const proposedName = () => {
    const ua = navigator.userAgent;
    const browser = /Edg(e|A|iOS)?\//.test(ua)
      ? "Edge"
      : /SamsungBrowser\//.test(ua)
        ? "Samsung Internet"
        : /Firefox\/|FxiOS\//.test(ua)
          ? "Firefox"
          : /OPR\//.test(ua)
            ? "Opera"
            : /Chrome\/|CriOS\//.test(ua)
              ? "Chrome"
              : /Safari\//.test(ua)
                ? "Safari"
                : "Browser";
    const system =
      /iPad/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1)
        ? "iPad"
        : /iPhone/.test(ua)
          ? "iPhone"
          : /Android/.test(ua)
            ? "Android"
            : /CrOS/.test(ua)
              ? "ChromeOS"
              : /Windows/.test(ua)
                ? "Windows"
                : /Mac OS X|Macintosh/.test(ua)
                  ? "Mac"
                  : /Linux/.test(ua)
                    ? "Linux"
                    : "";
    const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
    if (standalone && (system === "iPhone" || system === "iPad")) return `Home Screen app on ${system}`;
    return system ? `${browser} on ${system}` : browser;
  };

  const keyBytes = (base64url) => {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  };

  const sameBytes = (buffer, bytes) => {
    if (!buffer) return false;
    const other = new Uint8Array(buffer);
    return other.length === bytes.length && other.every((byte, index) => byte === bytes[index]);
  };

  // The worker offline.js registers; null when there is none after a while (it failed to
  // register), rather than waiting for ever as navigator.serviceWorker.ready would.
  const worker = () =>
    Promise.race([
      navigator.serviceWorker.ready,
      new Promise((resolve) => setTimeout(() => resolve(null), WORKER_WAIT_MS)),
    ]);

  const currentSubscription = async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return (await registration?.pushManager.getSubscription()) ?? null;
  };

  // Show what fits this browser, and say which of the devices listed is this one (its form is
  // then not needed: notifications are on here).
  const setUp = async (section) => {
    const form = section.querySelector("[data-push-subscribe]");
    if (!form) return; // not set up on the server
    if (!supported) {
      section.querySelector("[data-push-unsupported]").hidden = false;
      return;
    }
    const name = form.elements.namedItem("device_name");
    if (!name.value) name.value = proposedName();
    const subscription = await currentSubscription().catch(() => null);
    const here = [...section.querySelectorAll("[data-push-endpoint]")].find(
      (item) => subscription && item.dataset.pushEndpoint === subscription.endpoint,
    );
    form.hidden = Boolean(here);
    if (!here) return;
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = "This device";
    here.querySelector("[data-push-device-name]").after(" ", badge);
  };

  const say = (section, text) => {
    const status = section.querySelector("[data-push-status]");
    status.textContent = text;
    if (text) status.focus();
  };

  // The section again from the server, listing the device just added.
  const refresh = async (section) => {
    const page = await fetch(window.location.pathname, { headers: { Accept: "text/html" } });
    const fresh = page.ok
      ? new DOMParser().parseFromString(await page.text(), "text/html").querySelector("[data-push-devices]")
      : null;
    if (!fresh) return false;
    section.replaceChildren(...fresh.childNodes); // its script element is not run again
    await setUp(section);
    return true;
  };

  const failure = (error) => {
    if (error?.name === "NotAllowedError") {
      return "Notifications are blocked for Cramp Journal in this browser. Allow them in the browser's settings for this site, then try again.";
    }
    if (error?.name === "AbortError") {
      return "This browser could not reach its notification service. Check the connection and try again.";
    }
    return "Notifications could not be turned on. Reload the page and try again.";
  };

  const turnOn = async (form) => {
    const section = form.closest("[data-push-devices]");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(section, "Turning notifications on…");
    let made = null; // a subscription made now, undone if the server does not take it
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(
          section,
          permission === "denied"
            ? failure({ name: "NotAllowedError" })
            : "Notifications were not turned on: choose Allow when the browser asks.",
        );
        return;
      }
      const registration = await worker();
      if (!registration) {
        say(section, failure(null));
        return;
      }
      const applicationServerKey = keyBytes(form.dataset.vapidPublicKey);
      let subscription = await registration.pushManager.getSubscription();
      // One made with another server key (the server's pair was changed) cannot be reused.
      if (subscription && !sameBytes(subscription.options?.applicationServerKey, applicationServerKey)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      if (!subscription) {
        subscription = made = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
      }
      const response = await fetch(form.action, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": form.elements.namedItem("csrfmiddlewaretoken").value,
        },
        body: JSON.stringify({
          subscription: subscription.toJSON(),
          device_name: form.elements.namedItem("device_name").value.trim(),
        }),
        redirect: "manual", // signed out: the log-in page is no success
      });
      const answer = response.headers.get("Content-Type")?.startsWith("application/json") ? await response.json() : null;
      if (!response.ok || !answer) {
        await made?.unsubscribe().catch(() => {});
        say(section, answer?.message || failure(null));
        return;
      }
      made = null;
      if (!(await refresh(section).catch(() => false))) {
        window.location.reload();
        return;
      }
      say(section, answer.message);
    } catch (error) {
      await made?.unsubscribe().catch(() => {});
      say(section, failure(error));
    } finally {
      // The section may have been replaced: its new button is enabled already.
      button.disabled = false;
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-push-subscribe]");
    if (!form) return;
    event.preventDefault();
    turnOn(form);
  });

  for (const section of document.querySelectorAll("[data-push-devices]")) setUp(section);
})();
