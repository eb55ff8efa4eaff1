// "Add a row" for formsets rendered by templates/petitions/_formset.html: clone the empty form
// from its <template>, numbering it with the management form's TOTAL_FORMS.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const fieldset = button.closest("[data-formset]");
  const prefix = fieldset.dataset.formset;
  const total = fieldset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const html = fieldset.querySelector("template").innerHTML.replace(/__prefix__/g, total.value);
  fieldset.querySelector(".formset-rows").insertAdjacentHTML("beforeend", html);
  total.value = String(Number(total.value) + 1);
});
