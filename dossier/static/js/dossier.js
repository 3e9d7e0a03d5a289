/* Dossier: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Ask before destructive POSTs: <form data-confirm="Delete this?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  function enhanceFlashes() {
    var buttons = document.querySelectorAll(".flash-close");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;  // only offered when it can work
      button.addEventListener("click", function () {
        var flash = button.closest(".flash");
        if (flash) { flash.remove(); }
      });
    });
  }

  function focusFirst() {
    // Browsers skip `autofocus` after some navigations; focus it unless the user moved on.
    var target = document.querySelector("[autofocus]");
    if (target && document.activeElement === document.body && !window.location.hash) {
      target.focus();
    }
  }

  function closeMenusOnOutsideClick() {
    document.addEventListener("click", function (event) {
      var menus = document.querySelectorAll("details.usermenu[open]");
      Array.prototype.forEach.call(menus, function (menu) {
        if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var open = document.querySelector("details.usermenu[open]");
      if (open) {
        open.removeAttribute("open");
        open.querySelector("summary").focus();
      }
    });
  }

  function start() {
    enhanceFlashes();
    focusFirst();
    closeMenusOnOutsideClick();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
