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

  // The menu's dropdowns (<details class="navgroup">): one open at a time; a click elsewhere
  // or Escape closes them (Escape puts the focus back on the group's summary).
  function navgroups() {
    return document.querySelectorAll("details.navgroup[open]");
  }
  document.addEventListener(
    "toggle",
    function (e) {
      var opened = e.target;
      if (!opened.matches || !opened.matches("details.navgroup") || !opened.open) return;
      navgroups().forEach(function (other) {
        if (other !== opened) other.open = false;
      });
    },
    true
  );
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    var inside = e.target.closest("details.navgroup");
    navgroups().forEach(function (d) {
      if (d !== inside) d.open = false;
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = navgroups();
    open.forEach(function (d) {
      if (d.contains(document.activeElement)) d.querySelector("summary").focus();
      d.open = false;
    });
    var toggle = document.querySelector("[data-menu-toggle][aria-expanded=true]");
    if (!open.length && toggle) {
      setMenu(toggle, false);
      toggle.focus();
    }
  });

  // <button data-menu-toggle aria-controls=...>: the phone's 菜单 button shows or hides the menu.
  function setMenu(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (menu) menu.classList.toggle("open", open);
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-menu-toggle]");
    if (button) setMenu(button, button.getAttribute("aria-expanded") !== "true");
  });

  // <table class="cards">: on a phone each row is a card and each cell is prefixed by its
  // column's header (CSS: td::before { content: attr(data-label) }). Cells without a
  // data-label of their own take the text of the header above them.
  function labelCards(root) {
    (root || document).querySelectorAll("table.cards").forEach(function (table) {
      var heads = [];
      var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!headRow) return;
      Array.prototype.forEach.call(headRow.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) heads.push(th.textContent.trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1 && heads[col]) {
              cell.setAttribute("data-label", heads[col]);
            }
            col += cell.colSpan || 1;
          });
        });
      });
    });
  }
  // <div class="tablewrap">: a table wider than the screen scrolls inside it; keyboard users
  // reach it with Tab (and scroll it with the arrow keys) when nothing in it takes the focus.
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function focusableWraps() {
    document.querySelectorAll(".tablewrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.querySelector(FOCUSABLE)) wrap.setAttribute("tabindex", "0");
      else if (!scrolls && wrap.getAttribute("tabindex") === "0") wrap.removeAttribute("tabindex");
    });
  }
  function enhance() {
    labelCards();
    focusableWraps();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
  document.addEventListener("htmx:afterSettle", enhance);
  var resizing;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(focusableWraps, 150);
  });

  // htmx requests that no user event triggered (polling, hx-trigger="load") are marked as
  // background, so they do not keep an idle session alive (accounts/middleware.py).
  document.addEventListener("htmx:configRequest", function (e) {
    if (!e.detail.triggeringEvent) e.detail.headers["X-Kaohe-Background"] = "1";
  });
})();
