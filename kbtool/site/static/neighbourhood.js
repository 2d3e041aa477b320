// kbtool site: a note's neighbourhood (the notes it links to and the notes that link to it,
// one hop) as a small graph, drawn from the links already on the page: no data file, and no
// page grows with the vault. Without the script the links and backlinks are listed anyway.
(function () {
  "use strict";
  var holder = document.getElementById("neighbourhood");
  if (!holder) return;
  var SVG = "http://www.w3.org/2000/svg", MAX = 24, LABELLED = 12, LABEL = 20;
  var here = location.pathname;

  function page(href) {
    var url = new URL(href, location.href);
    return url.origin === location.origin ? url.pathname : null;
  }
  // Each neighbour once, by page, with its title and how it relates (out: this note links
  // to it, in: it links here, both), from the page's lists of links and backlinks.
  var nodes = new Map();
  function add(a, way) {
    var path = page(a.href);
    if (!path || path === here) return;
    var known = nodes.get(path);
    if (!known) nodes.set(path, { href: path, title: a.textContent.trim(), way: way });
    else if (known.way !== way) known.way = "both";
  }
  document.querySelectorAll(".outgoing a").forEach(function (a) { add(a, "out"); });
  document.querySelectorAll(".backlinks a.backlink").forEach(function (a) { add(a, "in"); });
  var list = Array.from(nodes.values()).slice(0, MAX);
  if (!list.length) return;

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { e.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function short(text) { return text.length > LABEL ? text.slice(0, LABEL - 1) + "…" : text; }

  var width = 420, height = 240, cx = width / 2, cy = height / 2, rx = 95, ry = 95;
  var svg = el("svg", { viewBox: "0 0 " + width + " " + height, role: "img",
    "aria-label": "This note and the " + list.length + " notes it links to or is linked from" });
  var edges = el("g", { "class": "graph-edges" }, svg), dots = el("g", { "class": "graph-nodes" }, svg);
  var title = (document.querySelector("h1.note-title") || {}).textContent || "";
  list.forEach(function (node, i) {
    var angle = -Math.PI / 2 + 2 * Math.PI * i / list.length;
    var x = cx + rx * Math.cos(angle), y = cy + ry * Math.sin(angle);
    el("line", { x1: cx, y1: cy, x2: x, y2: y, "class": "edge-" + node.way }, edges);
    var link = el("a", { href: node.href, "class": "node-" + node.way }, dots);
    el("circle", { cx: x, cy: y, r: 5 }, link);
    el("title", {}, link).textContent = node.title;
    if (list.length <= LABELLED) {
      var side = Math.cos(angle), anchor = side > 0.2 ? "start" : side < -0.2 ? "end" : "middle";
      var lx = x + (anchor === "start" ? 8 : anchor === "end" ? -8 : 0);
      var ly = anchor === "middle" ? y + (y < cy ? -9 : 16) : y + 3;
      var label = el("text", { x: lx, y: ly, "text-anchor": anchor }, link);
      label.textContent = short(node.title);
    }
  });
  var centre = el("g", { "class": "node-here" }, dots);
  el("circle", { cx: cx, cy: cy, r: 7 }, centre);
  el("title", {}, centre).textContent = title;
  holder.appendChild(svg);
  if (nodes.size > MAX) {
    var more = document.createElement("p");
    more.className = "muted";
    more.textContent = "and " + (nodes.size - MAX) + " more";
    holder.appendChild(more);
  }
  holder.hidden = false;
})();
