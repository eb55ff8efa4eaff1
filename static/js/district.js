// The district dashboard's trend: each township's mean score by month. Every number comes from
// the page's json_script block (dashboard.district); this file only draws it with ECharts.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("district-data");
    var el = document.getElementById("chart-district-trend");
    if (!source || !el || !window.echarts) return;
    var d = JSON.parse(source.textContent);
    var chart = window.echarts.init(el);
    var line = d.threshold;
    chart.setOption({
      tooltip: { trigger: "axis", order: "valueDesc" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 20, top: 20, bottom: 50 },
      xAxis: { type: "category", data: d.months, boundaryGap: false },
      yAxis: {
        type: "value",
        min: function (v) { return Math.max(0, Math.floor(Math.min(v.min, line === null ? v.min : line) - 5)); },
        max: function (v) { return Math.min(130, Math.ceil(v.max + 2)); },
      },
      series: d.series.map(function (s, i) {
        return {
          name: s.name,
          type: "line",
          data: s.data,
          connectNulls: false,
          emphasis: { focus: "series" },
          markLine: i === 0 && line !== null ? {
            silent: true,
            symbol: "none",
            data: [{ yAxis: line }],
            lineStyle: { color: "#b26a00", type: "dashed" },
            label: { formatter: String(line) },
          } : undefined,
        };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
