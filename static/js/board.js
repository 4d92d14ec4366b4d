// Status board charts. Data comes from the page's json_script block (no inline script),
// every word already in the reader's language: this file holds none.
(function () {
  "use strict";

  // By status code, whatever the language of the labels.
  var COLOURS = {
    at_large: "#6b7a8f",
    detained: "#c77700",
    transferred: "#e0a100",
    at_risk_of_return: "#b3261e",
    returned: "#5c1a16",
    released: "#2f8f57",
    in_safe_country: "#1e6b3a",
    disappeared: "#7d3c98",
    deceased: "#222222",
    unknown: "#a7b0bd"
  };

  function colour(status, i) {
    return COLOURS[status] || ["#1f5fa8", "#4c8bd6", "#7fb0e8", "#aac9ef"][i % 4];
  }

  function axisTitle(text) {
    return { display: true, text: text };
  }

  function draw() {
    var source = document.getElementById("board-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var words = data.words;
    var common = { responsive: true, maintainAspectRatio: false, animation: false };

    var statusCanvas = document.getElementById("chart-status");
    if (statusCanvas) {
      new window.Chart(statusCanvas, {
        type: "bar",
        data: {
          labels: data.months,
          datasets: data.byStatus.map(function (series, i) {
            return { label: series.label, data: series.counts, backgroundColor: colour(series.status, i), maxBarThickness: 48 };
          })
        },
        options: Object.assign({}, common, {
          scales: {
            x: { stacked: true, title: axisTitle(words.month) },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: axisTitle(words.people) }
          },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
        })
      });
    }

    // People by place now, and the people detained by province of arrest: one bar each.
    function placeChart(canvas, rows, axisWord, colourOfBars) {
      if (!canvas) {
        return;
      }
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map(function (row) { return row[0]; }),
          datasets: [{ label: words.people, data: rows.map(function (row) { return row[1]; }), backgroundColor: colourOfBars, maxBarThickness: 28 }]
        },
        options: Object.assign({}, common, {
          indexAxis: "y",
          scales: {
            x: { beginAtZero: true, ticks: { precision: 0 }, title: axisTitle(words.people) },
            y: { title: axisTitle(axisWord) }
          },
          plugins: { legend: { display: false } }
        })
      });
    }
    placeChart(document.getElementById("chart-province"), data.provinces, words.province, "#1f5fa8");
    placeChart(document.getElementById("chart-arrest-province"), data.arrestProvinces, words.arrestProvince, "#c77700");

    var transitionCanvas = document.getElementById("chart-transitions");
    if (transitionCanvas) {
      new window.Chart(transitionCanvas, {
        type: "bar",
        data: {
          labels: data.transitions.map(function (row) { return row[0]; }),
          datasets: [{ label: words.changes, data: data.transitions.map(function (row) { return row[1]; }), backgroundColor: "#8a5a00", maxBarThickness: 28 }]
        },
        options: Object.assign({}, common, {
          indexAxis: "y",
          scales: {
            x: { beginAtZero: true, ticks: { precision: 0 }, title: axisTitle(words.changes) },
            y: { title: axisTitle(words.change) }
          },
          plugins: { legend: { display: false } }
        })
      });
    }
  }

  // On a phone the filter panel starts folded, unless it holds an error to correct.
  function foldFilters() {
    var panel = document.querySelector("details.board-filters");
    if (panel && !panel.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 700px)").matches) {
      panel.open = false;
    }
  }

  function start() {
    foldFilters();
    draw();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
