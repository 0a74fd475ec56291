// Render math with the vendored KaTeX on every page load, including instant navigation.
document$.subscribe(function ({ body }) {
  if (typeof renderMathInElement !== "function") return;
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
