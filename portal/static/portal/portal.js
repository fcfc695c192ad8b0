// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // After a refused submission, take the reader (and a screen reader) to the summary of what to fix.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        var status = document.getElementById(button.getAttribute("data-copy") + "-copied");
        if (status) { status.textContent = button.getAttribute("data-copied"); }
      });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // Show only the topics of the chosen kind (without a script, the list is grouped by kind instead).
  // (The kind is radio buttons in the portal, a <select> in the staff workspace.)
  var kinds = document.querySelectorAll("input[name=kind], select[name=kind]");
  var category = document.getElementById("id_category");
  if (kinds.length && category) {
    var groups = category.querySelectorAll("optgroup");
    var sync = function () {
      var chosen = document.querySelector("input[name=kind]:checked, select[name=kind]");
      if (!chosen || !chosen.value) { return; }
      groups.forEach(function (group) {
        var match = group.getAttribute("data-kind") === chosen.value;
        group.hidden = !match;
        group.disabled = !match;
        if (!match && category.selectedOptions.length && category.selectedOptions[0].parentNode === group) {
          category.value = "";
        }
      });
    };
    kinds.forEach(function (kind) { kind.addEventListener("change", sync); });
    sync();
  }
}());
