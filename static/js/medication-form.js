// The medication form (templates/medications/form.html): "Use this type" beside a type
// proposed from the name sets the type field, for the person to check and save. Without this
// file the page works the same, with the type chosen in the field itself.

const showUseButtons = () => {
  for (const button of document.querySelectorAll("button[data-use-class]")) button.hidden = false;
};
showUseButtons();
document.addEventListener("htmx:afterSwap", showUseButtons);

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-use-class]");
  if (!button) return;
  const select = document.getElementById("id_drug_class");
  select.value = button.dataset.useClass;
  select.focus();
  // The proposal asks again (htmx listens for the change) and says it is the type chosen.
  select.dispatchEvent(new Event("change", { bubbles: true }));
});
