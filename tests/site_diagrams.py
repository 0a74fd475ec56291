"""Measuring rendered diagrams in chromium: the on-screen size of every label, and how each diagram fits.

Shared by the browser test (tests/test_diagrams.py) and the benchmark (bench/bench_diagrams.py). Works on
the site's own renderer (open DOM) and on Material's (closed shadow roots, opened by OPEN_SHADOW_JS).
"""

from __future__ import annotations

from typing import Any

# Material draws each diagram into a closed shadow root; open them so that they can be measured.
OPEN_SHADOW_JS = """(() => { const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); }; })();"""

PENDING_JS = "() => document.querySelectorAll('pre.mermaid, .kb-mermaid:not([data-kb-rendered])').length"

# Every label: an element inside a diagram's SVG with text of its own. Its on-screen size is its CSS font
# size times the SVG's scale (rendered width over viewBox width). Per diagram: the smallest and median
# label, the natural and shown widths, and whether its box scrolls sideways.
MEASURE_JS = """() => {
  const roots = [document];
  for (const el of document.querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
  const out = [];
  for (const root of roots) for (const svg of root.querySelectorAll("svg[id^='mermaid'], svg[aria-roledescription]")) {
    const host = root === document ? svg : root.host;
    if (host.closest("[data-kb-zoom]")) continue;
    const vb = svg.viewBox && svg.viewBox.baseVal;  // natural size
    const rect = svg.getBoundingClientRect();
    if (!vb || !vb.width || !rect.width) continue;
    const scale = rect.width / vb.width;
    const sizes = [];
    for (const el of svg.querySelectorAll("*")) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own) continue;
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") continue;
      sizes.push(parseFloat(style.fontSize) * scale);
    }
    if (!sizes.length) continue;
    sizes.sort((a, b) => a - b);
    const box = host.closest(".kb-diagram__scroll") || host.parentElement;
    out.push({
      min: sizes[0], median: sizes[Math.floor(sizes.length / 2)], labels: sizes.length,
      natural: vb.width, shown: rect.width, scale,
      scrolls: box.scrollWidth > box.clientWidth + 1,
      overflowX: getComputedStyle(box).overflowX,
      fits: rect.right <= document.documentElement.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1,
      sizes,
    });
  }
  return out;
}"""


def wait_for_diagrams(page: Any, timeout: float = 60_000) -> None:
    """Have every diagram on the page drawn now (the site draws them as the reader scrolls near) and wait."""
    page.evaluate("() => window.kbDiagrams && window.kbDiagrams.renderAll(document)")
    page.wait_for_function(f"() => ({PENDING_JS})() === 0", timeout=timeout)


def measure(page: Any) -> list[dict[str, Any]]:
    """Label sizes and fit of every drawn diagram on the page."""
    return list(page.evaluate(MEASURE_JS))
