// Status board charts. Data comes from the page's json_script block (no inline script).
(function () {
  "use strict";

  var COLOURS = {
    "At large": "#6b7a8f",
    "Detained": "#c77700",
    "Transferred": "#e0a100",
    "At risk of return": "#b3261e",
    "Returned": "#5c1a16",
    "Released": "#2f8f57",
    "In a safe country": "#1e6b3a",
    "Disappeared": "#7d3c98",
    "Deceased": "#222222",
    "Unknown": "#a7b0bd"
  };

  function colour(label, i) {
    return COLOURS[label] || ["#1f5fa8", "#4c8bd6", "#7fb0e8", "#aac9ef"][i % 4];
  }

  function draw() {
    var source = document.getElementById("board-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var common = { responsive: true, maintainAspectRatio: false, animation: false };

    var statusCanvas = document.getElementById("chart-status");
    if (statusCanvas) {
      var labels = Object.keys(data.byStatus);
      new window.Chart(statusCanvas, {
        type: "bar",
        data: {
          labels: data.months,
          datasets: labels.map(function (label, i) {
            return { label: label, data: data.byStatus[label], backgroundColor: colour(label, i), maxBarThickness: 48 };
          })
        },
        options: Object.assign({}, common, {
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
        })
      });
    }

    var provinceCanvas = document.getElementById("chart-province");
    if (provinceCanvas) {
      new window.Chart(provinceCanvas, {
        type: "bar",
        data: {
          labels: data.provinces.map(function (row) { return row[0]; }),
          datasets: [{ label: "People", data: data.provinces.map(function (row) { return row[1]; }), backgroundColor: "#1f5fa8", maxBarThickness: 28 }]
        },
        options: Object.assign({}, common, {
          indexAxis: "y",
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { display: false } }
        })
      });
    }

    var transitionCanvas = document.getElementById("chart-transitions");
    if (transitionCanvas) {
      new window.Chart(transitionCanvas, {
        type: "bar",
        data: {
          labels: data.transitions.map(function (row) { return row[0]; }),
          datasets: [{ label: "Changes", data: data.transitions.map(function (row) { return row[1]; }), backgroundColor: "#8a5a00", maxBarThickness: 28 }]
        },
        options: Object.assign({}, common, {
          indexAxis: "y",
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
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
