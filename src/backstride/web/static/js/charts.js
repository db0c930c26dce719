// Draws each chart partial (templates/_charts.html) with Chart.js, from its JSON data block.
// The data table stays in the page (collapsed) for screen readers and for reading values.
"use strict";

(() => {
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  const colours = dark ? ["#7cb8ff", "#ffb86b", "#8fe3a8"] : ["#0b5cad", "#b34700", "#1d7a3a"];
  const dashes = [[], [6, 4], [2, 3]];
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(block) {
    const id = block.id.replace(/-data$/, "");
    const canvas = document.getElementById(`${id}-canvas`);
    if (!canvas || typeof window.Chart === "undefined") return;
    const data = JSON.parse(block.textContent);
    canvas.parentElement.hidden = false;
    const table = block.parentElement.querySelector("details.chart-table");
    if (table) table.open = false;
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map((s, i) => ({
          label: s.label,
          data: s.values,
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length],
          borderDash: dashes[i % dashes.length],
          pointStyle: ["circle", "rect", "triangle"][i % 3],
          pointRadius: 3,
          spanGaps: true,
          tension: 0,
        })),
      },
      options: {
        animation: reduceMotion ? false : { duration: 300 },
        maintainAspectRatio: true,
        aspectRatio: 1.6,
        scales: {
          y: {
            min: data.y_min,
            max: data.y_max === null ? undefined : data.y_max,
            title: { display: true, text: data.unit, color: dark ? "#f0f0f0" : "#1a1a1a" },
            ticks: { color: dark ? "#c4c4c4" : "#4a4a4a" },
          },
          x: { ticks: { color: dark ? "#c4c4c4" : "#4a4a4a", maxRotation: 0, autoSkip: true } },
        },
        plugins: { legend: { labels: { color: dark ? "#f0f0f0" : "#1a1a1a" } } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const block of document.querySelectorAll('script[type="application/json"][id$="-data"]')) {
      draw(block);
    }
  });
})();
