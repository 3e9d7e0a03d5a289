/* Segment builder: the live count. Whenever a condition changes, the form is posted to
   the count URL and the number shown updates. Without this file the "Count" button
   does the same with a full page. */
(function () {
  "use strict";

  function setup(form) {
    var output = form.querySelector("[data-segment-count]");
    var url = form.getAttribute("data-count-url");
    var timer = null;
    var latest = 0;
    if (!output || !url) { return; }

    function refresh() {
      var asked = ++latest;
      fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin",
                   headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (asked !== latest) { return; }  // an older answer arriving late
          output.textContent = data.count === null ? "—" :
            Number(data.count).toLocaleString(document.documentElement.lang || undefined);
        })
        .catch(function () { output.textContent = "—"; });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    }

    form.addEventListener("change", later);
    form.addEventListener("input", later);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-segment-builder]"), setup);
  });
}());
