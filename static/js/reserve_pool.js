// Reserve pool overview chart (Apache ECharts, served from static/vendor). The figures come from the page's
// <script type="application/json" id="reserve-pool-data"> (json_script); the table below the chart has them all.
(function () {
  "use strict";
  var source = document.getElementById("reserve-pool-data");
  var element = document.getElementById("reserve-pool-chart");
  if (!source || !element || typeof echarts === "undefined") { return; }
  var d = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var colors = ["#0d6efd", "#198754", "#fd7e14"];
  var series = d.series.map(function (s) {
    return { name: s.name, type: "bar", stack: "open", data: s.data, emphasis: { focus: "series" } };
  });
  if (d.minimum !== null) {
    series[0].markLine = { symbol: "none", data: [{ yAxis: d.minimum, name: d.minimum_name }], label: { position: "insideEndTop", formatter: d.minimum_name + " {c}" }, lineStyle: { color: "#b3261e", type: "dashed" } };
  } else {
    series.push({ name: d.below_name, type: "bar", yAxisIndex: 1, data: d.below });
  }
  var chart = echarts.init(element);
  chart.setOption({
    animation: !reduceMotion,
    color: colors,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
    legend: { bottom: 0 },
    grid: { left: 16, right: 16, top: 40, bottom: 40, containLabel: true },
    xAxis: { type: "category", data: d.categories, axisLabel: { hideOverlap: true, rotate: d.categories.length > 8 ? 30 : 0 } },
    yAxis: d.minimum !== null ? { type: "value", name: d.axis, minInterval: 1 } : [
      { type: "value", name: d.axis, minInterval: 1 },
      { type: "value", name: d.villages_axis, minInterval: 1, splitLine: { show: false } }
    ],
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
