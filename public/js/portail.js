// Small enhancements only: every page works without JavaScript.
(function () {
  "use strict";
  // After a failed submission, move the focus to the error summary so that
  // screen reader and keyboard users start from the list of problems.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
