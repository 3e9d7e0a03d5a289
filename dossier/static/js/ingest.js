/* Dossier scan screens: drag-and-drop upload (one request per file, with progress),
   live job progress, and small triage helpers. Every page works without this file:
   the upload form posts all files at once, the jobs page refreshes itself. */
(function () {
  "use strict";

  // ---- Upload ------------------------------------------------------------------
  function resultsList() {
    var list = document.querySelector("[data-upload-results]");
    var title = document.getElementById("results-title");
    if (title) { title.hidden = false; }
    return list;
  }

  function resultRow(name) {
    var row = document.createElement("li");
    row.className = "upload-result upload-processing";
    var strong = document.createElement("strong");
    strong.className = "upload-name";
    strong.textContent = name;  // textContent: a file name is untrusted text
    var message = document.createElement("span");
    message.className = "upload-message";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    row.appendChild(strong);
    row.appendChild(message);
    row.appendChild(bar);
    resultsList().appendChild(row);
    return { row: row, message: message, bar: bar };
  }

  function finish(entry, status, text, form) {
    entry.row.className = "upload-result upload-" + status;
    entry.message.textContent = text;
    if (entry.bar.parentNode) { entry.bar.parentNode.removeChild(entry.bar); }
    if (status !== "refused") {
      var link = document.createElement("a");
      link.href = form.getAttribute("data-jobs-url");
      link.textContent = form.getAttribute("data-msg-jobs");
      entry.row.appendChild(link);
    }
  }

  function sendFile(form, file) {
    var entry = resultRow(file.name);
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    if (limit && file.size > limit) {
      finish(entry, "refused", form.getAttribute("data-msg-too-large"), form);
      return;
    }
    entry.message.textContent = form.getAttribute("data-msg-sending");
    var data = new FormData();
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    data.append("files", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { entry.bar.value = (event.loaded / event.total) * 100; }
    });
    request.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
      if (answer && answer.results && answer.results.length) {
        finish(entry, answer.results[0].status, answer.results[0].message, form);
      } else if (answer && answer.error) {
        finish(entry, "refused", answer.error, form);
      } else {
        finish(entry, "refused", form.getAttribute("data-msg-failed"), form);
      }
    });
    request.addEventListener("error", function () {
      finish(entry, "refused", form.getAttribute("data-msg-failed"), form);
    });
    request.send(data);
  }

  function sendAll(form, files) {
    Array.prototype.forEach.call(files, function (file) { sendFile(form, file); });
  }

  function enhanceUpload() {
    var form = document.querySelector("form[data-upload]");
    if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
    var zone = form.querySelector("[data-dropzone]");
    var input = form.querySelector("input[type=file]");
    zone.hidden = false;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        sendAll(form, event.dataTransfer.files);
      }
    });
    form.addEventListener("submit", function (event) {
      if (!input.files || !input.files.length) { return; }  // the server says what is missing
      event.preventDefault();
      sendAll(form, input.files);
      input.value = "";
    });
  }

  // ---- Jobs: progress while jobs run ---------------------------------------------
  function watchJobs() {
    var table = document.querySelector("table[data-progress-url]");
    if (!table || !window.fetch) { return; }
    var seconds = parseInt(table.getAttribute("data-refresh-seconds"), 10) || 3;
    function activeRows() { return table.querySelectorAll("tr[data-active]"); }
    function poll() {
      var rows = activeRows();
      if (!rows.length) { return; }
      var ids = Array.prototype.map.call(rows, function (row) {
        return "id=" + encodeURIComponent(row.getAttribute("data-job-id"));
      });
      fetch(table.getAttribute("data-progress-url") + "?" + ids.join("&"), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (answer) {
        if (!answer) { return; }
        var finished = false;
        answer.jobs.forEach(function (job) {
          var row = table.querySelector("tr[data-job-id='" + job.id + "']");
          if (!row) { return; }
          if (!job.active) { finished = true; return; }
          var text = row.querySelector("[data-progress]");
          if (text) { text.textContent = job.progress; }
          var bar = row.querySelector("[data-progress-bar]");
          if (bar && job.page_total) { bar.max = job.page_total; bar.value = job.page || 0; }
        });
        if (finished) {
          window.location.reload();  // links, results and buttons come from the server
        } else {
          window.setTimeout(poll, seconds * 1000);
        }
      }).catch(function () { window.setTimeout(poll, seconds * 4000); });
    }
    window.setTimeout(poll, seconds * 1000);
  }

  // ---- Triage ----------------------------------------------------------------------
  function enhanceTriage() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("[data-fill-customer]") : null;
      if (!link) { return; }
      var input = document.getElementById("customer");
      if (!input) { return; }
      event.preventDefault();
      input.value = link.getAttribute("data-fill-customer");
      input.focus();
    });
    var all = document.querySelector("[data-select-all]");
    if (!all) { return; }
    all.hidden = false;
    all.addEventListener("change", function () {
      var boxes = document.querySelectorAll("form[data-bulk] input[name=items]");
      Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
    });
  }

  function start() {
    enhanceUpload();
    watchJobs();
    enhanceTriage();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
