// Search-as-you-type for the quick update's source field. There may be thousands of
// sources, so the page's <datalist> starts with the chosen one only; this fills it from
// the JSON search named by the list's data-search-url as one types. Without this script
// the field still takes "label (S-…)" or the bare reference. A file, not inline script:
// the Content-Security-Policy allows no other kind.
(function () {
  "use strict";

  var DELAY_MS = 200;

  function listed(list, value) {
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value === value) {
        return true;
      }
    }
    return false;
  }

  function fill(list, values) {
    var options = document.createDocumentFragment();
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value; // a property, never markup: a label cannot inject anything
      options.appendChild(option);
    });
    list.replaceChildren(options);
  }

  function attach(input, list) {
    var url = list.getAttribute("data-search-url");
    var timer = null;
    var pending = null;
    var asked = 0;

    function search() {
      var query = input.value.trim();
      // Nothing typed, or a source picked from the list: nothing more to find.
      if (!query || listed(list, input.value)) {
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("source search: " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          // Answers may arrive out of order: only the latest question's answer counts.
          if (mine === asked) {
            fill(list, data.results.map(function (result) { return result.value; }));
          }
        })
        .catch(function () {
          // Aborted, logged out or offline: keep the list; typing the reference still works.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
  }

  function init() {
    document.querySelectorAll("datalist[data-search-url]").forEach(function (list) {
      document.querySelectorAll("input[list='" + list.id + "']").forEach(function (input) {
        attach(input, list);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
