// Diagrams. Each ```mermaid block reaches the page as <pre class="kb-mermaid"> (see mkdocs.yml) and is drawn
// here with the vendored mermaid, never from a CDN, and only when the reader comes near it: its ES-module
// build loads the parts a flowchart needs (about 0.9 MB of assets/mermaid-esm/); where modules cannot load
// (a page opened from file://) the single-file build assets/mermaid.min.js (3.6 MB) is used instead.
// The theme's own mermaid support is not used: it fetches mermaid from a CDN and scales every diagram down
// to the column, whatever the size of its labels.
//
// Legible size: a diagram is scaled down to fit the column only as far as its labels stay at least 12 px
// (10 px on a phone). A wide left-to-right flow that cannot fit is drawn top-to-bottom instead; whatever still
// does not fit scrolls sideways. Every diagram opens at full size in a zoom view (click it, or "Enlarge").
(function () {
  "use strict";
  if (window.kbDiagrams) return;
  var BASE_FONT = 16;  // mermaid's label size at scale 1
  var script = document.currentScript;
  var here = (script && script.src) || location.href;
  var MERMAID_MODULE = new URL("mermaid-esm/mermaid.esm.min.mjs", here).href;
  var MERMAID_SCRIPT = new URL("mermaid.min.js", here).href;
  // Material for MkDocs' mermaid theme (MIT, (c) Martin Donath): colours from the theme's CSS variables,
  // so diagrams follow the light and dark schemes without being redrawn.
  var THEME_CSS = ".node circle,.node ellipse,.node path,.node polygon,.node rect{fill:var(--md-mermaid-node-bg-color);stroke:var(--md-mermaid-node-fg-color)}marker{fill:var(--md-mermaid-edge-color)!important}.edgeLabel .label rect{fill:#0000}.flowchartTitleText{fill:var(--md-mermaid-label-fg-color)}.label{color:var(--md-mermaid-label-fg-color);font-family:var(--md-mermaid-font-family)}.label foreignObject{overflow:visible;line-height:normal}.label div .edgeLabel{color:var(--md-mermaid-label-fg-color)}.classLabel .box,.edgeLabel,.edgeLabel p,.label div .edgeLabel{background-color:var(--md-mermaid-label-bg-color)}.edgeLabel,.edgeLabel p{color:var(--md-mermaid-edge-color);fill:var(--md-mermaid-label-bg-color)}.edgePath .path,.flowchart-link{stroke:var(--md-mermaid-edge-color)}.edgePath .arrowheadPath{fill:var(--md-mermaid-edge-color);stroke:none}.cluster rect{fill:var(--md-default-fg-color--lightest);stroke:var(--md-default-fg-color--lighter)}.cluster span{color:var(--md-mermaid-label-fg-color);font-family:var(--md-mermaid-font-family)}g #flowchart-circleEnd,g #flowchart-circleStart,g #flowchart-crossEnd,g #flowchart-crossStart,g #flowchart-pointEnd,g #flowchart-pointStart{stroke:none}.classDiagramTitleText,g.classGroup text{fill:var(--md-mermaid-label-fg-color)}g.classGroup line,g.classGroup rect{fill:var(--md-mermaid-node-bg-color);stroke:var(--md-mermaid-node-fg-color)}.cardinality,.classLabel .label,.nodeLabel,.nodeLabel p,g.classGroup text,g.stateGroup .state-title,text.actor>tspan{font-family:var(--md-mermaid-font-family)}.classLabel .box{opacity:1;fill:var(--md-mermaid-label-bg-color)}.cardinality,.classLabel .label{fill:var(--md-mermaid-label-fg-color)}.node .divider{stroke:var(--md-mermaid-node-fg-color)}.relation{stroke:var(--md-mermaid-edge-color)}.cardinality text{fill:inherit!important}defs marker.marker.composition.class path,defs marker.marker.dependency.class path,defs marker.marker.extension.class path{fill:var(--md-mermaid-edge-color)!important;stroke:var(--md-mermaid-edge-color)!important}defs marker.marker.aggregation.class path{fill:var(--md-mermaid-label-bg-color)!important;stroke:var(--md-mermaid-edge-color)!important}.statediagramTitleText{fill:var(--md-mermaid-label-fg-color)}g.stateGroup rect{fill:var(--md-mermaid-node-bg-color);stroke:var(--md-mermaid-node-fg-color)}g.stateGroup .state-title{fill:var(--md-mermaid-label-fg-color)!important}g.stateGroup .composit{fill:var(--md-mermaid-label-bg-color)}.nodeLabel,.nodeLabel p{color:var(--md-mermaid-label-fg-color)}a .nodeLabel{text-decoration:underline}.node circle.state-end,.node circle.state-start,.start-state{fill:var(--md-mermaid-edge-color);stroke:none}.end-state-inner,.end-state-outer{fill:var(--md-mermaid-edge-color)}.end-state-inner,.node circle.state-end{stroke:var(--md-mermaid-label-bg-color)}.transition{stroke:var(--md-mermaid-edge-color)}[id^=state-fork] rect,[id^=state-join] rect{fill:var(--md-mermaid-edge-color)!important;stroke:none!important}.statediagram-cluster.statediagram-cluster .inner{fill:var(--md-default-bg-color)}.statediagram-cluster rect{fill:var(--md-mermaid-node-bg-color);stroke:var(--md-mermaid-node-fg-color)}.statediagram-state rect.divider{fill:var(--md-default-fg-color--lightest);stroke:var(--md-default-fg-color--lighter)}.relationshipLine,defs #statediagram-barbEnd{stroke:var(--md-mermaid-edge-color)}[id^=entity] path,[id^=entity] rect{fill:var(--md-default-bg-color)}defs .marker.oneOrMore.er *,defs .marker.onlyOne.er *,defs .marker.zeroOrMore.er *,defs .marker.zeroOrOne.er *{stroke:var(--md-mermaid-edge-color)!important}text:not([class]):last-child{fill:var(--md-mermaid-label-fg-color)}.actor{fill:var(--md-mermaid-sequence-actor-bg-color);stroke:var(--md-mermaid-sequence-actor-border-color)}text.actor>tspan{fill:var(--md-mermaid-sequence-actor-fg-color)}line{stroke:var(--md-mermaid-sequence-actor-line-color)}.actor-man circle,.actor-man line{fill:var(--md-mermaid-sequence-actorman-bg-color);stroke:var(--md-mermaid-sequence-actorman-line-color)}.messageLine0,.messageLine1{stroke:var(--md-mermaid-sequence-message-line-color)}.note{fill:var(--md-mermaid-sequence-note-bg-color);stroke:var(--md-mermaid-sequence-note-border-color)}.loopText,.loopText>tspan,.messageText,.noteText>tspan{font-family:var(--md-mermaid-font-family)!important;stroke:none}.messageText{fill:var(--md-mermaid-sequence-message-fg-color)}.loopText,.loopText>tspan{fill:var(--md-mermaid-sequence-loop-fg-color)}.noteText>tspan{fill:var(--md-mermaid-sequence-note-fg-color)}#arrowhead path{fill:var(--md-mermaid-sequence-message-line-color);stroke:none}.loopLine{fill:var(--md-mermaid-sequence-loop-bg-color);stroke:var(--md-mermaid-sequence-loop-border-color)}.labelBox{fill:var(--md-mermaid-sequence-label-bg-color);stroke:none}.labelText,.labelText>span{font-family:var(--md-mermaid-font-family);fill:var(--md-mermaid-sequence-label-fg-color)}.sequenceNumber{fill:var(--md-mermaid-sequence-number-fg-color)}rect.rect{fill:var(--md-mermaid-sequence-box-bg-color);stroke:none}rect.rect+text.text{fill:var(--md-mermaid-sequence-box-fg-color)}defs #sequencenumber{fill:var(--md-mermaid-sequence-number-bg-color)!important}";
  var loading = null;
  var queue = Promise.resolve();
  var counter = 0;

  function minScale() {
    return (window.innerWidth < 600 ? 10 : 12) / BASE_FONT;
  }

  var CONFIG = {
    startOnLoad: false,
    securityLevel: "strict",
    suppressErrorRendering: true,
    themeCSS: THEME_CSS,
    flowchart: { useMaxWidth: false },
    sequence: { useMaxWidth: false, actorFontSize: "16px", messageFontSize: "16px", noteFontSize: "16px" },
    class: { useMaxWidth: false },
    state: { useMaxWidth: false },
    er: { useMaxWidth: false },
    gantt: { useMaxWidth: false },
    pie: { useMaxWidth: false },
  };

  function loadScript() {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = MERMAID_SCRIPT;
      tag.onload = function () { resolve(window.mermaid); };
      tag.onerror = function () { reject(new Error("could not load " + MERMAID_SCRIPT)); };
      document.head.appendChild(tag);
    });
  }

  function loadMermaid() {
    if (!loading) {
      loading = import(MERMAID_MODULE)
        .then(function (module) { return module.default; }, loadScript)
        .then(function (mermaid) {
          mermaid.initialize(CONFIG);
          window.mermaid = mermaid;
          return mermaid;
        });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // Draw a source into a detached SVG element; its natural size is its viewBox.
  function render(source) {
    var id = "kb-mermaid-" + counter++;
    return window.mermaid.render(id, source).then(function (out) {
      var holder = document.createElement("div");
      holder.innerHTML = out.svg;  // mermaid's own sanitized output (securityLevel strict)
      var svg = holder.querySelector("svg");
      var box = svg.viewBox.baseVal;
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.style.maxWidth = "none";
      return { svg: svg, width: box.width, height: box.height };
    });
  }

  var SIDEWAYS = /^(\s*(?:flowchart|graph)\s+)(LR|RL)\b/m;

  function available(el) {
    var width = el.getBoundingClientRect().width;
    if (width < 50) {
      var inner = document.querySelector(".md-content__inner");
      width = inner ? inner.clientWidth : window.innerWidth - 32;
    }
    return width;
  }

  function scaleFor(drawing, width) {
    return Math.max(minScale(), Math.min(1, width / drawing.width));
  }

  function show(host, drawing, scale) {
    drawing.svg.style.width = drawing.width * scale + "px";
    drawing.svg.style.height = drawing.height * scale + "px";
    host.dataset.kbScale = String(scale);
    var figure = host.closest(".kb-diagram");
    if (!figure) return;
    var wide = drawing.width * scale > available(host.parentElement) + 1;
    figure.classList.toggle("kb-diagram--wide", wide);
    figure.querySelector(".kb-diagram__zoom").textContent = wide ? "Scroll sideways, or enlarge" : "Enlarge";
  }

  function shadowHost(svg) {
    var host = document.createElement("div");
    host.className = "kb-diagram__svg";
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = ":host{display:block;width:max-content}svg{display:block}";
    root.appendChild(style);
    root.appendChild(svg);
    return host;
  }

  function draw(pre) {
    var source = (pre.querySelector("code") || pre).textContent;
    var width = available(pre);
    return render(source).then(function (drawing) {
      if (scaleFor(drawing, width) * drawing.width <= width + 1 || !SIDEWAYS.test(source)) return drawing;
      // Too wide even at the smallest legible size: try the flow top-to-bottom, keep whichever shows larger.
      return render(source.replace(SIDEWAYS, "$1TD")).then(function (tall) {
        return width / tall.width > width / drawing.width ? tall : drawing;
      });
    }).then(function (drawing) {
      var figure = document.createElement("div");
      figure.className = "kb-diagram";
      figure.setAttribute("data-kb-rendered", "");
      var scroller = document.createElement("div");
      scroller.className = "kb-diagram__scroll";
      scroller.tabIndex = 0;
      scroller.setAttribute("role", "group");
      scroller.setAttribute("aria-label", "Diagram: scroll sideways if it is wider than the page, or enlarge it");
      var host = shadowHost(drawing.svg);
      host.kbDrawing = drawing;
      scroller.appendChild(host);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-diagram__zoom";
      button.textContent = "Enlarge";
      button.setAttribute("aria-label", "Open the diagram at full size");
      button.addEventListener("click", function () { zoom(drawing); });
      host.addEventListener("click", function () { zoom(drawing); });
      figure.appendChild(scroller);
      figure.appendChild(button);
      pre.replaceWith(figure);
      show(host, drawing, scaleFor(drawing, available(scroller)));
    }, function (error) {
      pre.setAttribute("data-kb-rendered", "error");
      pre.classList.add("kb-diagram--error");
      pre.title = "This diagram could not be drawn: " + String((error && error.message) || error).slice(0, 200);
    });
  }

  // The diagram at its natural size (labels 16 px) in a full-window view that pans by scrolling.
  function zoom(drawing) {
    var dialog = document.createElement("dialog");
    dialog.className = "kb-zoom";
    dialog.setAttribute("data-kb-zoom", "");
    dialog.setAttribute("aria-label", "Diagram at full size");
    var bar = document.createElement("div");
    bar.className = "kb-zoom__bar";
    var hint = document.createElement("span");
    hint.textContent = "Full size: scroll to see all of it (Esc closes)";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "kb-zoom__close";
    close.textContent = "Close";
    bar.appendChild(hint);
    bar.appendChild(close);
    var body = document.createElement("div");
    body.className = "kb-zoom__body";
    var copy = drawing.svg.cloneNode(true);
    copy.style.width = drawing.width + "px";
    copy.style.height = drawing.height + "px";
    body.appendChild(shadowHost(copy));
    dialog.appendChild(bar);
    dialog.appendChild(body);
    document.body.appendChild(dialog);
    var done = function () { dialog.close(); };
    close.addEventListener("click", done);
    dialog.addEventListener("click", function (event) { if (event.target === dialog) done(); });
    dialog.addEventListener("close", function () { dialog.remove(); });
    dialog.showModal();
    close.focus();
  }

  // Draw the given diagrams, one after another (mermaid draws one at a time).
  function drawAll(pending) {
    pending = pending.filter(function (pre) { return !pre.hasAttribute("data-kb-queued"); });
    if (!pending.length) return queue;
    pending.forEach(function (pre) { pre.setAttribute("data-kb-queued", ""); });
    queue = queue.then(loadMermaid).then(function () {
      return pending.reduce(function (chain, pre) { return chain.then(function () { return draw(pre); }); }, Promise.resolve());
    }).catch(function (error) {
      pending.forEach(function (pre) { if (pre.isConnected) pre.setAttribute("data-kb-rendered", "error"); });
      console.warn("kb-diagrams:", error);
    });
    return queue;
  }

  function waiting(root) {
    return Array.prototype.slice.call((root || document).querySelectorAll("pre.kb-mermaid:not([data-kb-rendered])"));
  }

  // Draw every diagram now (printing, tests); returns a promise that settles when they are drawn.
  function renderAll(root) {
    return drawAll(waiting(root));
  }

  // Draw diagrams as the reader comes within a screen of them: a page read only at its top loads no mermaid.
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    var near = entries.filter(function (e) { return e.isIntersecting; }).map(function (e) { return e.target; });
    near.forEach(function (pre) { observer.unobserve(pre); });
    drawAll(near);
  }, { rootMargin: "100% 0px" }) : null;

  function watch(root) {
    var pending = waiting(root);
    if (!observer) return drawAll(pending);
    pending.forEach(function (pre) { observer.observe(pre); });
  }

  window.addEventListener("beforeprint", function () { renderAll(document); });

  // Re-fit the drawn diagrams when the window changes size (a phone turned sideways).
  var resizing = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      document.querySelectorAll(".kb-diagram__scroll > .kb-diagram__svg").forEach(function (host) {
        if (host.kbDrawing) show(host, host.kbDrawing, scaleFor(host.kbDrawing, available(host.parentElement)));
      });
    }, 150);
  });

  window.kbDiagrams = { renderAll: renderAll };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { watch(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { watch(document); });
  } else {
    watch(document);
  }
})();
