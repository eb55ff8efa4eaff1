// The dashboard's charts and a village's trend. Every number comes from the page's json_script
// blocks (dashboard.selectors); this file only draws them with the vendored ECharts.
(function () {
  "use strict";
  var charts = [];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var c = window.echarts.init(el);
    c.setOption(option);
    charts.push(c);
  }

  // A score axis that always shows the threshold line (80), however high or low the scores.
  function scoreAxis(line) {
    return {
      type: "value",
      min: function (v) { return Math.max(0, Math.floor(Math.min(v.min, line) - 5)); },
      max: function (v) { return Math.min(130, Math.ceil(Math.max(v.max, line) + 2)); },
    };
  }

  function threshold(value) {
    return {
      silent: true,
      symbol: "none",
      data: [{ yAxis: value }],
      lineStyle: { color: "#b26a00", type: "dashed" },
      label: { formatter: String(value) },
    };
  }

  function trend(d) {
    var selected = {};
    d.series.forEach(function (s) { selected[s.name] = s.shown; });
    chart("chart-trend", {
      tooltip: { trigger: "axis", order: "valueDesc" },
      legend: { type: "scroll", bottom: 0, selected: selected },
      grid: { left: 40, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: d.months, boundaryGap: false },
      yAxis: scoreAxis(d.threshold),
      series: d.series.map(function (s, i) {
        return {
          name: s.name,
          type: "line",
          data: s.data,
          connectNulls: false,
          emphasis: { focus: "series" },
          markLine: i === 0 ? threshold(d.threshold) : undefined,
        };
      }),
    });
  }

  function lost(d) {
    var many = d.villages.length > 20;
    chart("chart-lost", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: many ? 90 : 60 },
      xAxis: { type: "category", data: d.villages, axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: "value", name: "分" },
      dataZoom: many ? [{ type: "slider", bottom: 0, start: 0, end: Math.round(2000 / d.villages.length) }, { type: "inside" }] : [],
      series: d.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "lost", data: s.data, emphasis: { focus: "series" } };
      }),
    });
  }

  function levels(d) {
    chart("chart-levels", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value", minInterval: 1, name: "件" },
      series: d.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "levels", data: s.data, emphasis: { focus: "series" } };
      }),
    });
  }

  function villageTrend(d) {
    chart("chart-village-trend", {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 20, top: 20, bottom: 30 },
      xAxis: { type: "category", data: d.months },
      yAxis: scoreAxis(d.threshold),
      series: [{ type: "line", data: d.totals, label: { show: true }, markLine: threshold(d.threshold) }],
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var board = data("dashboard-data");
    if (board) {
      trend(board.trend);
      lost(board.lost);
      levels(board.levels);
    }
    var village = data("village-trend-data");
    if (village && village.totals.length) villageTrend(village);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  });
})();
