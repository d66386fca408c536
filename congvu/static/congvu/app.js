// CôngVụ: progressive enhancement only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Auto-submit selects marked data-autosubmit.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit(); });
  });
});
