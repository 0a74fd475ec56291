// The concept map (map.md): hover or tap a point to draw its curated links, search to find a concept,
// click a domain in the legend to highlight it. Runs on every page load, including Material's instant
// navigation; does nothing on pages without a map. No network, no content injected as HTML.
(function () {
  var SVG_NS = "http://www.w3.org/2000/svg";

  function setup(root) {
    var wrap = root.querySelector(".kb-map-wrap");
    if (!wrap || wrap.dataset.ready) return;
    wrap.dataset.ready = "1";
    var svg = wrap.querySelector("svg.kb-map");
    var edges = svg.querySelector(".kb-map-edges");
    var info = wrap.querySelector(".kb-map-info");
    var search = wrap.querySelector(".kb-map-search");
    var count = wrap.querySelector(".kb-map-count");
    var points = Array.prototype.slice.call(svg.querySelectorAll(".kb-map-point"));
    var bySlug = {};
    points.forEach(function (p) { bySlug[p.dataset.slug] = p; });
    var intro = info.textContent;
    var selected = null;

    function title(p) { return p.dataset.names.split("|")[0]; }

    function link(p, text) {
      var a = document.createElement("a");
      a.href = p.dataset.url;
      a.textContent = text || title(p);
      return a;
    }

    function clearSelection() {
      while (edges.firstChild) edges.removeChild(edges.firstChild);
      points.forEach(function (p) { p.classList.remove("kb-selected", "kb-linked"); });
      svg.classList.remove("kb-focus");
      selected = null;
    }

    function select(p) {
      clearSelection();
      selected = p;
      svg.classList.add("kb-focus");
      p.classList.add("kb-selected");
      var targets = p.dataset.links ? p.dataset.links.split(" ") : [];
      info.textContent = "";
      var name = document.createElement("strong");
      name.appendChild(link(p));
      info.appendChild(name);
      info.appendChild(document.createTextNode(" · " + p.dataset.domainTitle));
      var shown = 0;
      targets.forEach(function (slug) {
        var q = bySlug[slug];
        if (!q) return;
        var line = document.createElementNS(SVG_NS, "line");
        line.setAttribute("x1", p.getAttribute("cx"));
        line.setAttribute("y1", p.getAttribute("cy"));
        line.setAttribute("x2", q.getAttribute("cx"));
        line.setAttribute("y2", q.getAttribute("cy"));
        edges.appendChild(line);
        q.classList.add("kb-linked");
        info.appendChild(document.createTextNode(shown === 0 ? " · links: " : ", "));
        info.appendChild(link(q));
        shown += 1;
      });
      if (shown === 0) info.appendChild(document.createTextNode(" · no curated links"));
      p.parentNode.appendChild(p); // draw the selected point on top
    }

    function open(p) {
      var a = info.querySelector("strong a");
      if (a) a.click(); // a real link: Material's instant navigation takes it
      else window.location.href = p.dataset.url;
    }

    points.forEach(function (p) {
      // A mouse selects by hovering and opens by clicking; a finger selects with a first tap, opens with a second.
      p.addEventListener("pointerenter", function (event) {
        if (event.pointerType === "mouse" && selected !== p) select(p);
      });
      p.addEventListener("click", function (event) {
        event.preventDefault();
        if (selected === p) open(p);
        else select(p);
      });
      p.addEventListener("keydown", function (event) {
        if (event.key === "Enter") open(p);
        else if (event.key === " ") { event.preventDefault(); select(p); }
      });
      p.addEventListener("focus", function () {
        if (p.matches(":focus-visible") && selected !== p) select(p);
      });
    });

    function find(query) {
      query = query.trim().toLowerCase();
      var hits = [];
      points.forEach(function (p) {
        var names = p.dataset.names.toLowerCase().split("|");
        var hit = query !== "" && names.some(function (n) { return n.indexOf(query) !== -1; });
        p.classList.toggle("kb-hit", hit);
        if (hit) hits.push(p);
      });
      svg.classList.toggle("kb-searching", query !== "");
      count.textContent = query === "" ? "" : hits.length === 1 ? "1 match" : hits.length + " matches";
      var exact = hits.filter(function (p) {
        return p.dataset.names.toLowerCase().split("|").indexOf(query) !== -1;
      });
      if (exact.length) select(exact[0]);
      else if (hits.length === 1) select(hits[0]);
      else if (query === "") { clearSelection(); info.textContent = intro; }
      return hits;
    }

    search.addEventListener("input", function () { find(search.value); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var hits = find(search.value);
        if (hits.length) select(hits[0]);
      }
    });

    var legend = root.querySelector(".kb-map-legend");
    if (legend) {
      legend.addEventListener("click", function (event) {
        var key = event.target.closest(".kb-map-key");
        if (!key) return;
        var on = key.getAttribute("aria-pressed") !== "true";
        legend.querySelectorAll(".kb-map-key").forEach(function (k) { k.setAttribute("aria-pressed", "false"); });
        key.setAttribute("aria-pressed", on ? "true" : "false");
        svg.classList.toggle("kb-domain", on);
        points.forEach(function (p) { p.classList.toggle("kb-in-domain", on && p.dataset.domain === key.dataset.domain); });
        svg.querySelectorAll(".kb-map-label").forEach(function (t) {
          t.classList.toggle("kb-in-domain", on && t.dataset.domain === key.dataset.domain);
        });
      });
    }
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { setup(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { setup(document); });
  }
})();
