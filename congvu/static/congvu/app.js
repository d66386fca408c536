// CôngVụ: progressive enhancement only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Forms marked data-busy (slow work, e.g. a cycle over a province): submitted once, and
  // the button says the work is under way; a page restored by "Back" is usable again.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    var button = form.querySelector("button[type=submit]");
    if (!button) { return; }
    var label = button.textContent;
    form.addEventListener("submit", function () {
      button.disabled = true;
      button.textContent = form.dataset.busy;
    });
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.textContent = label;
    });
  });
  // Auto-submit selects marked data-autosubmit.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit(); });
  });
  // Buttons that destroy something ask first (without JavaScript they act at once).
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // "Select all" boxes (data-select-all = the id of the table whose row boxes they tick);
  // shown only with JavaScript, the row boxes work without it.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var table = document.getElementById(all.dataset.selectAll);
    if (!table) { return; }
    var boxes = table.querySelectorAll("input[type=checkbox][name=chon]");
    if (!boxes.length) { return; }
    var wrapper = all.closest("[hidden]");
    if (wrapper) { wrapper.removeAttribute("hidden"); }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  });
});
