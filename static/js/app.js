// Progressive enhancement only: every page works without this file.

// Pre-select the device's time zone in fields marked data-detect-timezone,
// unless the page came back with a value the person chose.
document.querySelectorAll("select[data-detect-timezone]").forEach((select) => {
  if (select.closest("form")?.querySelector(".errorlist") || select.value !== "UTC") return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if ([...select.options].some((option) => option.value === zone)) select.value = zone;
});
