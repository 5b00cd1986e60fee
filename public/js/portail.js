// Small enhancements only: every page works without JavaScript.
(function () {
  "use strict";
  // After a failed submission, move the focus to the error summary so that
  // screen reader and keyboard users start from the list of problems.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();

// « Imprimer le récépissé »: a real button when JavaScript runs, the keyboard hint otherwise.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button) return;
  button.hidden = false;
  var hint = document.querySelector("[data-print-hint]");
  if (hint) hint.hidden = true;
  button.addEventListener("click", function () {
    window.print();
  });
})();

// Mode de participation: show the bank fields only when « Oui » is chosen.
// Without JavaScript they are always shown, with a legend saying when to fill them.
(function () {
  "use strict";
  var blocks = document.querySelectorAll("[data-show-when]");
  Array.prototype.forEach.call(blocks, function (block) {
    var rule = block.getAttribute("data-show-when").split("=");
    var radios = document.querySelectorAll('input[name="' + rule[0] + '"]');
    function update() {
      var chosen = document.querySelector('input[name="' + rule[0] + '"]:checked');
      block.hidden = !chosen || chosen.value !== rule[1];
    }
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });
})();

// Justificatifs: with JavaScript, « Enregistrer » sends the section's files
// without leaving the page, so files already chosen in other sections stay
// chosen. The server's answer is the same page as without JavaScript; only
// this section is taken from it. Any trouble falls back to a normal submit.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.DOMParser) return;
  var status = document.getElementById("upload-status");
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("upload-form")) return;
    var section = form.closest(".upload-section");
    if (!section) return;
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    if (status) status.textContent = "Envoi des fichiers en cours…";
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(section.id);
        if (!fresh) {
          // Not the documents page (the form expired, the session ended…):
          // submit normally, so that the person sees the server's own page.
          form.submit();
          return;
        }
        section.replaceWith(fresh);
        var error = fresh.querySelector(".field__error");
        var notice = page.querySelector(".notice--success p");
        if (status) status.textContent = error ? error.textContent : notice ? notice.textContent : "";
        var target = error ? fresh.querySelector('input[type="file"]') : fresh.querySelector("h3");
        if (target) {
          if (!error) target.setAttribute("tabindex", "-1");
          target.focus();
        }
      })
      .catch(function () {
        form.submit();
      });
  });
})();

// The warning before the idle logout (src/middleware/idle-warning.ts): a few
// minutes before the session ends, a dialog says how long remains and offers
// « Rester connecté », which pings the server. Without JavaScript, a step
// posted too late keeps its fields for after login.
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) return;
  var idleMs = Number(dialog.getAttribute("data-idle-seconds")) * 1000;
  var warnMs = Number(dialog.getAttribute("data-warn-seconds")) * 1000;
  var url = dialog.getAttribute("data-keep-alive-url");
  var token = dialog.getAttribute("data-csrf");
  var text = dialog.querySelector("[data-idle-remaining]");
  var error = dialog.querySelector("[data-idle-error]");
  var button = dialog.querySelector("[data-keep-alive]");
  var deadline = 0;
  var warnTimer = null;
  var tick = null;

  function describe() {
    var left = deadline - Date.now();
    if (left <= 0) {
      clearInterval(tick);
      button.hidden = true;
      text.textContent =
        "Votre session a expiré. Cliquez sur « Suivant » : vous pourrez vous reconnecter, et ce que vous avez saisi sur cette page vous sera proposé à nouveau.";
      return;
    }
    var minutes = Math.ceil(left / 60000);
    text.textContent =
      "Sans activité de votre part, vous serez déconnecté dans " +
      (minutes <= 1 ? "moins d'une minute" : minutes + " minutes") +
      ". Ce que vous avez saisi sur cette page et pas encore enregistré vous serait proposé à nouveau après reconnexion.";
  }

  function open() {
    error.hidden = true;
    button.hidden = false;
    describe();
    if (!dialog.open) dialog.showModal();
    button.focus();
    tick = setInterval(describe, 15000);
  }

  function schedule() {
    deadline = Date.now() + idleMs;
    clearTimeout(warnTimer);
    clearInterval(tick);
    warnTimer = setTimeout(open, Math.max(0, idleMs - warnMs));
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "_csrf=" + encodeURIComponent(token),
    })
      .then(function (response) {
        button.disabled = false;
        if (!response.ok) throw new Error("keep-alive refused");
        dialog.close();
        schedule();
      })
      .catch(function () {
        button.disabled = false;
        error.hidden = false;
      });
  });
  // Escape closes the dialog but the clock keeps running: it opens again at the end.
  schedule();
})();
