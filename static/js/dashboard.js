// Dashboard charts (Apache ECharts, served from static/vendor). The figures come from the page's
// <script type="application/json" id="dashboard-data"> (json_script); every chart has its table on the page.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var font = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
  var colors = {
    locked: "#b3261e", draft: "#f1a7a0", projection: "#6c757d", if_approved: "#198754",
    initial: "#adb5bd", graded: "#495057", promoted: "#198754", held: "#0d6efd", demoted: "#dc3545", awaiting: "#fd7e14", outside: "#6f42c1",
    excellent: "#198754", competent: "#0d6efd", basically_competent: "#ffc107", incompetent: "#dc3545", ungraded: "#ced4da",
    cap: "#212529"
  };
  var townshipPalette = ["#b3261e", "#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d"];

  function numbers(values) {
    return values.map(function (v) { return v === null || v === undefined ? null : Number(v); });
  }

  // The legend wraps under the chart; leave it as many lines as it needs at this width (phones: 2-3).
  function legendLines(names, width) {
    var used = 0, lines = 1;
    names.forEach(function (name) {
      var item = 34 + 13 * name.length;
      if (used + item > width - 16 && used > 0) { lines += 1; used = 0; }
      used += item;
    });
    return lines;
  }

  function base(extra, element) {
    var names = extra.series.map(function (s) { return s.name; });
    var option = {
      animation: !reduceMotion,
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: { bottom: 0, type: "plain" },
      grid: { left: 8, right: 16, top: 32, bottom: 8 + 24 * legendLines(names, element.clientWidth), containLabel: true }
    };
    Object.keys(extra).forEach(function (key) { option[key] = extra[key]; });
    return option;
  }

  var builders = {
    levels: function (d, element) {
      return base({
        color: townshipPalette,
        xAxis: { type: "category", data: d.categories, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", name: d.axis, minInterval: 1 },
        series: d.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "cadres", data: s.data, emphasis: { focus: "series" } };
        })
      }, element);
    },
    allowance: function (d, element) {
      return base({
        xAxis: { type: "category", data: d.categories, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", name: d.axis },
        series: d.series.map(function (s) {
          var series = { name: s.name, data: numbers(s.data), itemStyle: { color: colors[s.kind] } };
          if (s.kind === "projection") {
            series.type = "line";
            series.showSymbol = false;
            series.lineStyle = { type: "dashed", color: colors[s.kind] };
          } else if (s.kind === "if_approved") {
            series.type = "scatter";
            series.symbol = "diamond";
            series.symbolSize = 14;
          } else {
            series.type = "bar";
            series.stack = "roster";
            series.barMaxWidth = 18;
          }
          return series;
        })
      }, element);
    },
    outcomes: function (d, element) {
      return base({
        xAxis: { type: "category", data: d.categories },
        yAxis: { type: "value", name: d.axis, minInterval: 1 },
        series: d.series.map(function (s) {
          return {
            name: s.name, type: "bar", data: s.data, barMaxWidth: 28, itemStyle: { color: colors[s.kind] },
            label: { show: true, position: "top", fontSize: 11 }
          };
        })
      }, element);
    },
    grades: function (d, element) {
      var series = d.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "grades", data: s.data, barMaxWidth: 48, itemStyle: { color: colors[s.kind] } };
      });
      // The cap drawn across each township's bar: the excellent segment (at the bottom) should stay under it.
      series.push({
        name: d.cap.name, type: "scatter", data: d.cap.data, symbol: "rect", symbolSize: [56, 3], z: 5,
        itemStyle: { color: colors.cap }
      });
      return base({
        xAxis: { type: "category", data: d.categories },
        yAxis: { type: "value", name: d.axis, minInterval: 1 },
        series: series
      }, element);
    }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var name = element.getAttribute("data-chart");
    if (!data[name] || !builders[name]) { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var option = builders[name](data[name], element);
    chart.setOption(option);
    charts.push({ chart: chart, element: element, names: option.series.map(function (s) { return s.name; }) });
  });
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(function () {
      charts.forEach(function (entry) {
        entry.chart.resize();
        entry.chart.setOption({ grid: { bottom: 8 + 24 * legendLines(entry.names, entry.element.clientWidth) } });
      });
    });
  });
})();
