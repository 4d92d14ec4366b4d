// The report's "Copy the paragraph" button: the paragraph's text to the clipboard, and
// a spoken confirmation (the status element is a live region).
(function () {
  "use strict";
  var button = document.getElementById("copy-paragraph");
  var paragraph = document.getElementById("report-paragraph");
  var status = document.getElementById("copy-status");
  if (!button || !paragraph) {
    return;
  }
  button.addEventListener("click", function () {
    var text = paragraph.textContent.trim();
    var done = function () { status.textContent = button.dataset.copied; };
    var failed = function () {
      var range = document.createRange();
      range.selectNodeContents(paragraph);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = button.dataset.failed;
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  });
})();
