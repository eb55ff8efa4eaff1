// Record forms (issue 13): the error summary focused on load, its links focusing their field,
// 全部合格 answering every unanswered check 是, and the CCTV answer following the village's
// own record. No inline script (CSP script-src 'self'): markup declares data-* attributes.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  // A summary link: focus its field (an anchor alone only scrolls to it).
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    var link = e.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    e.preventDefault();
    target.focus();
    target.scrollIntoView({ block: "center" });
  });

  function radios(form, name) {
    return form.querySelectorAll("input[type=radio][name='" + name + "']");
  }

  function answered(form, name) {
    return Array.prototype.some.call(radios(form, name), function (r) {
      return r.checked;
    });
  }

  function choose(form, name, value) {
    radios(form, name).forEach(function (r) {
      r.checked = r.value === value;
    });
  }

  function cctvRadios(form) {
    return form.querySelectorAll("input[type=radio][data-cctv-villages]");
  }

  function villageHasRoom(form, first) {
    var village = form.querySelector("select[name$='village']");
    if (!village || !village.value) return null;
    var ids = (first.dataset.cctvVillages || "").split(",");
    return ids.indexOf(village.value) !== -1;
  }

  // 全部合格: every check still unanswered becomes 是; an answered 否 stays.
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!box.matches || !box.matches("input[type=checkbox][data-all-passed]")) return;
    if (!box.checked || !box.form) return;
    var form = box.form;
    var seen = {};
    form.querySelectorAll("input[type=radio][data-check]").forEach(function (r) {
      if (seen[r.name]) return;
      seen[r.name] = true;
      if (!answered(form, r.name)) choose(form, r.name, "True");
    });
    var cctv = cctvRadios(form);
    if (cctv.length && villageHasRoom(form, cctv[0]) && !answered(form, cctv[0].name)) {
      choose(form, cctv[0].name, "true");
    }
  });

  // The village chosen: 不适用 where it has no CCTV room; where it has one, 是 or 否 is asked.
  document.addEventListener("change", function (e) {
    var select = e.target;
    if (!select.matches || !select.matches("select[name$='village']") || !select.form) return;
    var cctv = cctvRadios(select.form);
    if (!cctv.length) return;
    var room = villageHasRoom(select.form, cctv[0]);
    if (room === false) choose(select.form, cctv[0].name, "unknown");
    else if (room && cctv[0].form.querySelector("input[data-cctv-villages][value=unknown]:checked")) {
      choose(select.form, cctv[0].name, "");
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusSummary);
  else focusSummary();
})();
