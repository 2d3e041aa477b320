// kbtool site: the global graph, drawn from graph.json when the graph page opens.
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  if (!holder) return;
  var base = (document.querySelector('meta[name="kb-base"]') || {}).content || "/";
  var SVG = "http://www.w3.org/2000/svg";

  // Fruchterman-Reingold on a unit square; the work is bounded for large vaults.
  function layout(n, edges) {
    var x = new Float64Array(n), y = new Float64Array(n), dx = new Float64Array(n), dy = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var a = i * 2.399963, r = Math.sqrt((i + 0.5) / n) * 0.5;
      x[i] = 0.5 + r * Math.cos(a); y[i] = 0.5 + r * Math.sin(a);
    }
    var k = Math.sqrt(1 / Math.max(n, 1)), rounds = Math.max(10, Math.min(150, Math.floor(3e6 / (n * n + 1))));
    for (var t = 0; t < rounds; t++) {
      dx.fill(0); dy.fill(0);
      for (i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var ux = x[i] - x[j], uy = y[i] - y[j], d2 = ux * ux + uy * uy + 1e-9, f = k * k / d2;
          dx[i] += ux * f; dy[i] += uy * f; dx[j] -= ux * f; dy[j] -= uy * f;
        }
      }
      edges.forEach(function (e) {
        var ux = x[e[0]] - x[e[1]], uy = y[e[0]] - y[e[1]], d = Math.sqrt(ux * ux + uy * uy) + 1e-9, f = d / k;
        dx[e[0]] -= ux * f; dy[e[0]] -= uy * f; dx[e[1]] += ux * f; dy[e[1]] += uy * f;
      });
      var step = 0.1 * (1 - t / rounds);
      for (i = 0; i < n; i++) {
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-9, m = Math.min(len, step);
        x[i] = Math.min(1, Math.max(0, x[i] + dx[i] / len * m));
        y[i] = Math.min(1, Math.max(0, y[i] + dy[i] / len * m));
      }
    }
    fit(x); fit(y);
    return [x, y];
  }
  // Stretch coordinates to fill 0..1, so the drawing uses the whole frame.
  function fit(v) {
    var lo = Infinity, hi = -Infinity;
    v.forEach(function (c) { lo = Math.min(lo, c); hi = Math.max(hi, c); });
    var span = hi - lo || 1;
    for (var i = 0; i < v.length; i++) v[i] = (v[i] - lo) / span;
  }

  function el(name, attrs) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { e.setAttribute(key, attrs[key]); });
    return e;
  }

  fetch(base + "graph.json").then(function (r) { return r.json(); }).then(function (g) {
    var n = g.nodes.length, pos = layout(n, g.edges), size = 1000;
    var svg = el("svg", { viewBox: "-20 -20 " + (size + 40) + " " + (size + 40), role: "img", "aria-label": "Graph of " + n + " notes" });
    var lines = el("g", { "class": "graph-edges" });
    g.edges.forEach(function (e) {
      lines.appendChild(el("line", { x1: pos[0][e[0]] * size, y1: pos[1][e[0]] * size, x2: pos[0][e[1]] * size, y2: pos[1][e[1]] * size }));
    });
    svg.appendChild(lines);
    var dots = el("g", { "class": "graph-nodes" });
    g.nodes.forEach(function (node, i) {
      var link = el("a", { href: node[0] });
      var dot = el("circle", { cx: pos[0][i] * size, cy: pos[1][i] * size, r: 4 + Math.min(10, Math.sqrt(node[2])) });
      var title = el("title", {});
      title.textContent = node[1];
      dot.appendChild(title);
      link.appendChild(dot);
      dots.appendChild(link);
    });
    svg.appendChild(dots);
    holder.textContent = "";
    holder.appendChild(svg);
  });
})();
