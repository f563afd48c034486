// Progressive enhancement of share links (templates/summary/share_address.html): without this
// file the address is a read-only field to select and copy by hand.

// A Copy button beside each address, shown only when there is a script to make it work.
for (const button of document.querySelectorAll("button[data-copy-link]")) button.hidden = false;

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy-link]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copyLink);
  const status = document.getElementById(`${input.id}-status`);
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = "Link copied: paste it into a message or an email.";
  } catch {
    // No clipboard (an old browser, or permission refused): select it for a manual copy.
    input.focus();
    input.select();
    status.textContent = "The link is selected: copy it with your device's Copy.";
  }
});

// Tapping the address selects all of it, so it is copied whole.
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input[data-select-on-focus]")) event.target.select();
});
