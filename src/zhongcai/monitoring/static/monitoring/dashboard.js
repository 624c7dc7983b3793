/* The dashboard's charts (ECharts, served from node_modules). The numbers come from the JSON the
   server wrote into the page (#dashboard-data); the same numbers are in the tables under the
   charts, which work without this script. HTMX swaps the figures every 30 seconds; the charts
   are drawn again after each swap. A click on a county opens its cases. */
(function () {
  "use strict";
  var script = document.getElementById("dashboard-script");
  var mapUrl = script && script.getAttribute("data-map-url");
  var shapes = null; // the province's county shapes, fetched once
  var charts = [];

  function readData() {
    var node = document.getElementById("dashboard-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function chartIn(id) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) return null;
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }

  function areaShapes(data) {
    var code = data.area.division;
    var features = shapes.features.filter(function (f) {
      var p = f.properties;
      if (/0000$/.test(code)) return true; // the province
      if (/00$/.test(code)) return p.city === code; // a city
      return p.code === code; // a county
    });
    return { type: "FeatureCollection", features: features };
  }

  function drawMap(data) {
    var chart = chartIn("chart-map");
    if (!chart) return;
    var name = "area-" + data.area.division;
    if (!window.echarts.getMap(name)) window.echarts.registerMap(name, areaShapes(data));
    var byCode = {};
    var max = 0;
    var rows = data.counties.map(function (c) {
      byCode[c.code] = c;
      max = Math.max(max, c.accepted);
      return { name: c.code, value: c.accepted, county: c.name };
    });
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          var c = byCode[p.name];
          var esc = window.echarts.format.encodeHTML;
          return c ? esc(c.name) + "<br>" + esc(data.metrics.accepted) + "：" + c.accepted : esc(p.name);
        }
      },
      visualMap: { min: 0, max: Math.max(max, 1), left: "left", bottom: 0, calculable: true,
        inRange: { color: ["#f5f7fa", "#f4b4a7", "#b42318"] } },
      series: [{ type: "map", map: name, nameProperty: "code", roam: false, data: rows,
        top: 10, bottom: 10, left: 60, right: 10,
        selectedMode: false, label: { show: false },
        emphasis: { label: { show: true, formatter: function (p) {
          return (byCode[p.name] || {}).name || ""; } } } }]
    });
    chart.on("click", function (p) {
      var c = byCode[p.name];
      if (c) window.location.href = c.url;
    });
  }

  function drawChildren(data) {
    var chart = chartIn("chart-children");
    if (!chart) return;
    var names = data.children.map(function (c) { return c.name; });
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { top: 36, left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { rotate: names.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.metrics.accepted, type: "bar", data: data.children.map(function (c) { return c.accepted; }) },
        { name: data.labels.closed, type: "bar", data: data.children.map(function (c) { return c.closed; }) },
        { name: data.metrics.open_at_end, type: "bar", data: data.children.map(function (c) { return c.open; }) }
      ]
    });
  }

  function drawMonths(data) {
    var chart = chartIn("chart-months");
    if (!chart) return;
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { top: 36, left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }) },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
      ],
      series: [
        { name: data.metrics.accepted, type: "line", data: data.months.map(function (m) { return m.accepted; }) },
        { name: data.labels.closed, type: "line", data: data.months.map(function (m) { return m.closed; }) },
        { name: data.labels.online_rate, type: "line", yAxisIndex: 1, connectNulls: true,
          lineStyle: { type: "dashed" },
          data: data.months.map(function (m) { return m.online_rate; }),
          // The brief's targets for the online-handling rate: 90 %, then 95 %, then 100 %.
          markLine: { symbol: "none", silent: true, lineStyle: { color: "#b54708", type: "dotted" },
            label: { position: "insideStartTop", formatter: data.labels.target + " {c}%" },
            data: data.online_targets.map(function (t) { return { yAxis: t }; }) } }
      ]
    });
  }

  function drawMethods(data) {
    var chart = chartIn("chart-methods");
    if (!chart) return;
    chart.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.methods }]
    });
  }

  function draw() {
    var data = readData();
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    if (!data || !window.echarts) return;
    drawChildren(data);
    drawMonths(data);
    drawMethods(data);
    if (shapes) {
      drawMap(data);
    } else if (mapUrl) {
      fetch(mapUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (json) { shapes = json; drawMap(readData()); });
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && e.target.id === "dashboard-figures") draw();
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
