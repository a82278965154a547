// Villagers' evaluation results (Apache ECharts from static/vendor): ballots per cadre stacked by rating.
// The figures come from <script type="application/json" id="evaluation-data">; the table holds the same.
(function () {
  "use strict";
  var source = document.getElementById("evaluation-data");
  var element = document.getElementById("evaluation-chart");
  if (!source || !element || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.names.length) { element.hidden = true; return; }
  var chart = echarts.init(element);
  var labels = JSON.parse(element.dataset.labels || "[\"满意\",\"基本满意\",\"不满意\"]");
  function series(name, values, color) {
    return { name: name, type: "bar", stack: "ballots", data: values, itemStyle: { color: color } };
  }
  chart.setOption({
    animation: !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches),
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.names, inverse: true },
    series: [
      series(labels[0], data.satisfied, "#198754"),
      series(labels[1], data.basically, "#ffc107"),
      series(labels[2], data.dissatisfied, "#dc3545")
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
