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
  button.addEventListener("click", function () { window.print(); });
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
    Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();
