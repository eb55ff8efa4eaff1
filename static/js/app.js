// Page behaviour that used to sit in inline handlers: the Content-Security-Policy
// (script-src 'self', config/settings.py) runs no inline script, so markup only declares
// data-* attributes and this file acts on them.
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form on change (the language switch).
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });

  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    // <button data-print>: print the page.
    if (e.target.closest("[data-print]")) window.print();
    // <input type=checkbox data-check-all="selector">: tick or untick every box it names.
    var all = e.target.closest("input[data-check-all]");
    if (all) {
      document.querySelectorAll(all.dataset.checkAll).forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });

  // htmx requests that no user event triggered (polling, hx-trigger="load") are marked as
  // background, so they do not keep an idle session alive (accounts/middleware.py).
  document.addEventListener("htmx:configRequest", function (e) {
    if (!e.detail.triggeringEvent) e.detail.headers["X-Kaohe-Background"] = "1";
  });
})();
