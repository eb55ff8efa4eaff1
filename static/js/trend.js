// A village's monthly totals as a line chart; the numbers come from the page's data attributes.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("trend");
  if (!el || !window.echarts) return;
  // Labels as the page wrote them, in the reader's language ("10月", "Month 10"), "|" apart.
  var months = (el.dataset.labels || "").split("|").filter(Boolean);
  var totals = el.dataset.totals.split(",").filter(Boolean).map(Number);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", min: function (v) { return Math.max(0, Math.floor(v.min - 5)); }, max: function (v) { return Math.ceil(v.max + 2); } },
    series: [{ type: "line", data: totals, label: { show: true }, markLine: { data: [{ yAxis: 80, name: "80" }], lineStyle: { color: "#b26a00" } } }],
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
