// kbtool site: the dark-mode toggle and search. Pages work without it.
(function () {
  "use strict";
  var root = document.documentElement;
  var base = (document.querySelector('meta[name="kb-base"]') || {}).content || "/";

  // -- theme ---------------------------------------------------------------
  var toggle = document.getElementById("theme-toggle");
  function currentTheme() {
    var set = root.getAttribute("data-theme");
    if (set) return set;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("kb-theme", next); } catch (e) { /* not kept */ }
    });
  }

  // -- search --------------------------------------------------------------
  var WORD = /[\p{L}\p{M}\p{N}]+/gu;
  var meta = null, wordShards = {}, docShards = {};

  function getJSON(path) {
    return fetch(base + path).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }
  function loadMeta() {
    if (!meta) meta = getJSON("search/meta.json").then(function (m) { m.known = new Set(m.shards); return m; });
    return meta;
  }
  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function wordsOf(text) {
    return (text.toLowerCase().match(WORD) || []).filter(function (w) { return w.length >= 2; });
  }
  function shardFor(m, word) {
    var key = hex(Array.from(word).slice(0, 2).join(""));
    if (!m.known.has(key)) return Promise.resolve({});
    if (!wordShards[key]) wordShards[key] = getJSON("search/w/" + key + ".json");
    return wordShards[key];
  }
  function docsFor(m, id) {
    var n = Math.floor(id / m.docsPerShard);
    if (!docShards[n]) docShards[n] = getJSON("search/d/" + n + ".json");
    return docShards[n].then(function (docs) { return docs[id - n * m.docsPerShard]; });
  }
  // Scores of the notes holding every query word; the last word also matches as a prefix.
  function search(query) {
    var terms = wordsOf(query);
    if (!terms.length) return Promise.resolve({ terms: [], hits: [] });
    return loadMeta().then(function (m) {
      return Promise.all(terms.map(function (t) { return shardFor(m, t); })).then(function (shards) {
        var total = null;
        terms.forEach(function (term, i) {
          var scores = new Map(), shard = shards[i], last = i === terms.length - 1;
          Object.keys(shard).forEach(function (word) {
            var exact = word === term;
            if (!exact && !(last && word.startsWith(term))) return;
            var list = shard[word];
            for (var k = 0; k < list.length; k += 2) {
              var s = exact ? list[k + 1] * 2 : list[k + 1];
              scores.set(list[k], (scores.get(list[k]) || 0) + s);
            }
          });
          if (total === null) { total = scores; return; }
          var both = new Map();
          total.forEach(function (s, doc) { if (scores.has(doc)) both.set(doc, s + scores.get(doc)); });
          total = both;
        });
        var ranked = Array.from(total.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).slice(0, 20);
        return Promise.all(ranked.map(function (r) { return docsFor(m, r[0]); })).then(function (docs) {
          return { terms: terms, hits: docs };
        });
      });
    });
  }
  // Text with the query's words marked, built from text nodes (never parsed as HTML).
  function marked(text, terms) {
    var out = document.createDocumentFragment(), lower = text.toLowerCase(), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      terms.forEach(function (t) {
        var at = lower.indexOf(t, i);
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = t.length; }
      });
      if (best < 0) break;
      out.appendChild(document.createTextNode(text.slice(i, best)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, best + len);
      out.appendChild(mark);
      i = best + len;
    }
    out.appendChild(document.createTextNode(text.slice(i)));
    return out;
  }
  function show(box, result) {
    box.textContent = "";
    if (!result.terms.length) { box.hidden = true; return; }
    if (!result.hits.length) {
      var none = document.createElement("p");
      none.className = "muted";
      none.textContent = "No note matches.";
      box.appendChild(none);
    }
    var list = document.createElement("ol");
    result.hits.forEach(function (doc) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = doc[0];
      a.className = "search-hit";
      a.appendChild(marked(doc[1], result.terms));
      li.appendChild(a);
      if (doc[2]) {
        var where = document.createElement("span");
        where.className = "muted search-folder";
        where.textContent = " " + doc[2];
        li.appendChild(where);
      }
      var p = document.createElement("p");
      p.className = "snippet";
      p.appendChild(marked(doc[3], result.terms));
      li.appendChild(p);
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  var input = document.getElementById("search-input");
  var box = document.getElementById("search-results");
  var pending = 0, timer = null;
  function run(query, into) {
    var ticket = ++pending;
    search(query).then(function (r) { if (ticket === pending) show(into, r); }, function () {
      into.textContent = "Search is unavailable.";
      into.hidden = false;
    });
  }
  if (input && box) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, box); }, 120);
    });
    input.form.addEventListener("submit", function (event) {
      var first = box.querySelector("a.search-hit");
      if (first) { event.preventDefault(); window.location.href = first.href; }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { box.hidden = true; }
      if (event.key === "/" && document.activeElement !== input) { event.preventDefault(); input.focus(); }
    });
  }
  // -- hover previews -----------------------------------------------------
  // The target page is fetched when a link is hovered (nothing is inlined), and
  // the start of its body (or of the section a #fragment names) is shown.
  var previews = {}, popup = null, hoverTimer = null;
  function previewOf(url) {
    var page = url.split("#")[0];
    if (!previews[page]) {
      previews[page] = fetch(page).then(function (r) {
        if (!r.ok) throw new Error(page + ": " + r.status);
        return r.text();
      }).then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
    }
    return previews[page].then(function (doc) {
      var hash = decodeURIComponent(url.split("#")[1] || "");
      var start = hash ? doc.getElementById(hash) : null;
      var box = document.createElement("div");
      var title = doc.querySelector("h1");
      if (title && !start) {
        var h = document.createElement("p");
        h.className = "preview-title";
        h.textContent = title.textContent;
        box.appendChild(h);
      }
      var node = start || (doc.querySelector(".note-body") || {}).firstElementChild;
      for (var n = 0; node && n < 4; node = node.nextElementSibling, n++) {
        box.appendChild(document.importNode(node, true));
      }
      box.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
      return box;
    });
  }
  function hidePreview() {
    clearTimeout(hoverTimer);
    if (popup) { popup.remove(); popup = null; }
  }
  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest("a.internal-link, a.backlink");
    if (!link || (popup && popup.dataset.href === link.href)) return;
    hidePreview();
    hoverTimer = setTimeout(function () {
      previewOf(link.href).then(function (box) {
        hidePreview();
        popup = document.createElement("div");
        popup.className = "preview";
        popup.dataset.href = link.href;
        popup.appendChild(box);
        document.body.appendChild(popup);
        var r = link.getBoundingClientRect();
        var left = Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - popup.offsetWidth - 8);
        popup.style.left = Math.max(8, left) + "px";
        popup.style.top = (r.bottom + window.scrollY + 6) + "px";
      }, function () { /* no preview */ });
    }, 350);
  });
  document.addEventListener("mouseout", function (event) {
    var link = event.target.closest && event.target.closest("a.internal-link, a.backlink");
    if (link && !(event.relatedTarget && popup && popup.contains(event.relatedTarget))) hidePreview();
  });

  var page = document.getElementById("search-page");
  if (page) {
    var q = new URLSearchParams(window.location.search).get("q") || "";
    if (input) input.value = q;
    page.textContent = "";
    if (q) run(q, page);
  }
})();
