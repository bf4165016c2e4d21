// Listing filters: narrow a list by stakeholder group, stage, topic and year. The form stays hidden
// without scripts, so every item is then simply listed.
(function () {
  "use strict";
  var form = document.querySelector("form.ds-filters");
  if (!form) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.ds-entry"));
  var status = form.querySelector(".ds-filters__status");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  // "Showing 3 of 10." in the page's language (Wording.script_words in builder/templating.py).
  var showing = JSON.parse(form.getAttribute("data-words") || "{}").showing || "Showing %(shown)s of %(total)s.";

  function matches(entry) {
    return selects.every(function (select) {
      if (!select.value) return true;
      return (entry.getAttribute("data-" + select.name) || "").split(" ").indexOf(select.value) !== -1;
    });
  }

  function apply() {
    var shown = 0;
    entries.forEach(function (entry) {
      var visible = matches(entry);
      entry.hidden = !visible;
      if (visible) shown += 1;
    });
    // A group (a work package, upcoming or past events) with nothing left to show hides its heading too.
    Array.prototype.forEach.call(document.querySelectorAll("article ul.ds-entries"), function (list) {
      var empty = !list.querySelector("li.ds-entry:not([hidden])");
      var section = list.closest("section");
      if (section) section.hidden = empty;
    });
    var filtered = selects.some(function (select) { return select.value; });
    status.textContent = filtered
      ? showing.replace("%(shown)s", String(shown)).replace("%(total)s", String(entries.length)) : "";
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
})();
