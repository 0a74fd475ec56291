// Math: rendered with the vendored KaTeX on every page load, including instant navigation. KaTeX
// (270 KB) is loaded only on pages that have math.
(function () {
  "use strict";
  var here = (document.currentScript && document.currentScript.src) || location.href;
  var loading = null;

  function load(path) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = new URL(path, here).href;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("could not load " + tag.src)); };
      document.head.appendChild(tag);
    });
  }

  function katex() {
    if (!loading) {
      loading = load("katex/katex.min.js").then(function () { return load("katex/auto-render.min.js"); });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  document$.subscribe(function (page) {
    var body = page.body;
    if (!body.querySelector(".arithmatex")) return;
    katex().then(function () {
      renderMathInElement(body, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "$", right: "$", display: false },
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
        throwOnError: false,
      });
    });
  });
})();
