/* The scan station, enhanced: scans go by fetch (JSON from the same endpoint), one at a
   time and in order, while the input stays free for the next code; feedback is a colour,
   a message and a short beep. Without this file every scan is a plain form post. */
(function () {
  "use strict";

  var RECENT = 10;
  var RETRIES = 5;

  function start() {
    var form = document.querySelector("form[data-scan-form]");
    if (!form || !window.fetch || !window.FormData || !window.Promise) { return; }
    var station = new Station(form);
    station.keepFocus();
    station.holdModeChanges(document.querySelector("form[data-mode-form]"));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      station.enqueue(station.input.value);
    });
  }

  function Station(form) {
    this.form = form;
    this.input = form.querySelector("[data-scan-input]");
    this.csrf = form.querySelector("input[name=csrf_token]").value;
    this.note = form.querySelector("[data-queue]");
    this.feedback = document.querySelector("[data-feedback]");
    this.recent = document.querySelector("[data-recent]");
    this.queue = [];
    this.busy = false;
    this.audio = null;
    this.afterDrain = null;
  }

  Station.prototype.message = function (name, values) {
    var text = this.form.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("{" + key + "}", values[key]);
    });
    return text;
  };

  Station.prototype.enqueue = function (raw) {
    this.input.value = "";
    this.input.focus();
    if (!raw || !raw.trim()) { return; }
    this.queue.push({ code: raw, tries: 0 });
    this.pump();
  };

  Station.prototype.pump = function () {
    this.showQueue();
    if (this.busy) { return; }
    if (!this.queue.length) {
      if (this.afterDrain) { var next = this.afterDrain; this.afterDrain = null; next(); }
      return;
    }
    var scan = this.queue.shift();
    var self = this;
    this.busy = true;
    this.feedback.classList.add("scan-busy");
    this.send(scan.code).then(function (answer) {
      self.handle(answer, scan);
    }, function () {
      return self.retry(scan);
    }).then(function () {
      self.busy = false;
      self.feedback.classList.remove("scan-busy");
      self.pump();
    });
  };

  Station.prototype.send = function (code) {
    var body = new FormData();
    body.append("csrf_token", this.csrf);
    body.append("code", code);
    return fetch(this.form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        return { failed: true, session: response.redirected || response.status === 400 };
      }
      return response.json();
    });
  };

  Station.prototype.handle = function (answer, scan) {
    if (answer.failed) {
      var name = answer.session ? "session" : "failed";
      this.show("error", scan.code, this.message(name, { code: scan.code }));
      this.beep("error");
      return;
    }
    this.showState(answer.state || {});
    if (answer.ignored) { return; }  // a repeated read: nothing new to say or play
    this.show(answer.level, answer.code, answer.message);
    this.addRecent(answer);
    this.beep(answer.sound);
  };

  Station.prototype.retry = function (scan) {
    scan.tries += 1;
    if (scan.tries >= RETRIES) {
      this.show("error", scan.code, this.message("failed", { code: scan.code }));
      this.beep("error");
      return;
    }
    this.queue.unshift(scan);
    this.show("warning", scan.code, this.message("offline"));
    return new Promise(function (resolve) { window.setTimeout(resolve, 1000 * scan.tries); });
  };

  Station.prototype.show = function (level, code, message) {
    this.feedback.className = "scan-feedback scan-" + level;
    // The code once: most messages name it already.
    var shown = code && (message || "").indexOf(code) === -1 ? code : "";
    this.feedback.querySelector("[data-feedback-code]").textContent = shown;
    this.feedback.querySelector("[data-feedback-message]").textContent = message || "";
    var count = parseInt(this.feedback.getAttribute("data-shown") || "0", 10) + 1;
    this.feedback.setAttribute("data-shown", String(count));
  };

  Station.prototype.showQueue = function () {
    var waiting = this.queue.length;
    this.note.hidden = waiting === 0;
    this.note.textContent = waiting ? this.message("waiting", { num: waiting }) : "";
  };

  Station.prototype.showState = function (state) {
    var fields = document.querySelectorAll("[data-state-field]");
    Array.prototype.forEach.call(fields, function (field) {
      var key = field.getAttribute("data-state-field");
      if (Object.prototype.hasOwnProperty.call(state, key)) {
        var value = state[key];
        if (value === null || value === undefined || value === "") {
          value = field.getAttribute("data-empty") || "\u2014";
        }
        field.textContent = String(value);
      }
    });
    var census = document.querySelector("[data-census-link]");
    if (census) {
      census.hidden = !state.census_url;
      if (state.census_url) { census.querySelector("a").href = state.census_url; }
    }
  };

  Station.prototype.addRecent = function (entry) {
    var item = document.createElement("li");
    item.className = "scan-" + entry.level;
    var code = document.createElement("strong");
    code.className = "code";
    code.textContent = entry.code || "\u2014";
    var text = document.createElement("span");
    text.textContent = entry.message;
    item.appendChild(code);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(text);
    this.recent.insertBefore(item, this.recent.firstChild);
    while (this.recent.children.length > RECENT) { this.recent.removeChild(this.recent.lastChild); }
    var empty = document.querySelector("[data-recent-empty]");
    if (empty) { empty.remove(); }
  };

  // A short beep: high for ok, two middle ones for a warning, a low buzz for an error.
  var TONES = {
    ok: { wave: "sine", notes: [[1046, 0.09]] },
    warning: { wave: "triangle", notes: [[740, 0.09], [740, 0.09]] },
    error: { wave: "square", notes: [[196, 0.35]] }
  };

  Station.prototype.beep = function (kind) {
    var tone = TONES[kind];
    this.feedback.setAttribute("data-sound", kind || "none");
    if (!tone) { return; }
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      this.audio = this.audio || new Context();
      if (this.audio.state === "suspended") { this.audio.resume(); }
      var at = this.audio.currentTime;
      var audio = this.audio;
      tone.notes.forEach(function (note) {
        var oscillator = audio.createOscillator();
        var gain = audio.createGain();
        oscillator.type = tone.wave;
        oscillator.frequency.value = note[0];
        gain.gain.setValueAtTime(0.12, at);
        gain.gain.exponentialRampToValueAtTime(0.001, at + note[1]);
        oscillator.connect(gain);
        gain.connect(audio.destination);
        oscillator.start(at);
        oscillator.stop(at + note[1]);
        at += note[1] + 0.06;
      });
    } catch (error) {
      // No sound is no reason to lose a scan.
    }
  };

  // The input keeps the focus: after a click elsewhere on the page, after the window
  // comes back, and when keys are typed while nothing has the focus.
  Station.prototype.keepFocus = function () {
    var input = this.input;
    // Nothing the user works with has the focus (the page, or <main> after a click).
    function idle() {
      var active = document.activeElement;
      return !active || !active.matches(
        "input, select, textarea, button, a[href], summary, [contenteditable]");
    }
    function refocus() { if (idle()) { input.focus(); } }
    document.addEventListener("click", function (event) {
      if (!event.target.closest("a, button, input, select, textarea, label, summary, details")) {
        window.setTimeout(refocus, 0);
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(refocus, 100); });
    window.addEventListener("focus", refocus);
    document.addEventListener("visibilitychange", refocus);
    document.addEventListener("keydown", function (event) {
      if (idle() && !event.ctrlKey && !event.metaKey && !event.altKey &&
          (event.key.length === 1 || event.key === "Enter")) {
        input.focus();  // the key lands in the input
      }
    }, true);
    refocus();
  };

  // A mode change reloads the page: first let the scans already typed reach the server.
  Station.prototype.holdModeChanges = function (modeForm) {
    if (!modeForm) { return; }
    var self = this;
    modeForm.addEventListener("submit", function (event) {
      if (!self.busy && !self.queue.length) { return; }
      event.preventDefault();
      var button = event.submitter;
      self.afterDrain = function () {
        if (modeForm.requestSubmit) { modeForm.requestSubmit(button); } else { modeForm.submit(); }
      };
    });
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
