"""The real site on a desktop and a phone in chromium: legible diagrams (every one of them), mermaid only
where needed and never from a CDN, page weight, search quality on everyday queries, reachable navigation,
tables that fit a phone, the printed cheat sheet, and screenshots to look at."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from .browser import browser, chromium_path, serve
from .conftest import ROOT
from .site_diagrams import measure, wait_for_diagrams
from .site_search import hits, load_queries, result_pages, wait_until_ready

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (make test installs it)")
OUT = ROOT / "test-output"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
MIN_LABEL_PX = {"desktop": 11.0, "phone": 9.0}
DIAGRAM = re.compile(r'<pre class="kb-mermaid"><code>(.*?)</code></pre>', re.S)
CONCEPT = "retrieval/hnsw/"  # a concept page with math and a diagram
PLAIN = "data/feature-crosses/"  # a concept page without a diagram
CASE_STUDY = "case-studies/video-recommendations/"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus built by the real pipeline into a temporary site folder."""
    from generator import pipeline
    from generator.settings import load_settings

    out = tmp_path_factory.mktemp("real-ux")
    settings = load_settings(ROOT, site_dir=str(out / "site"), build_dir=str(out / "build"))
    pipeline.build(settings, decks=False, quiet=True)
    return out / "site"


@pytest.fixture(scope="module")
def site_url(real_site: Path) -> Any:
    with serve(real_site) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Any:
    with browser() as b:
        yield b


def _diagram_sources(site: Path) -> list[tuple[str, str]]:
    return [
        (str(page.parent.relative_to(site)), html.unescape(match.group(1)))
        for page in sorted(site.rglob("index.html"))
        for match in DIAGRAM.finditer(page.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_diagram_of_the_site_is_legible(real_site: Path, site_url: str, chromium: Any, device: str) -> None:
    """All diagrams, drawn in a real page's column by the site's own renderer: labels at least 11 px on a
    desktop and 9 px on a phone, each either fitting its column or scrolling sideways, each with a zoom control."""
    sources = _diagram_sources(real_site)
    assert len(sources) > 200
    page = chromium.new_page(viewport=DESKTOP if device == "desktop" else PHONE)
    page.goto(site_url + CONCEPT)
    wait_for_diagrams(page)
    blocks = "".join(
        f'<pre class="kb-mermaid" data-from="{html.escape(p)}"><code>{html.escape(s)}</code></pre>' for p, s in sources
    )
    page.evaluate(
        "(blocks) => { document.querySelector('article').innerHTML = blocks; return kbDiagrams.renderAll(document); }", blocks
    )
    wait_for_diagrams(page, timeout=300_000)
    assert page.locator("[data-kb-rendered=error]").count() == 0
    found = measure(page)
    width = page.evaluate("document.documentElement.clientWidth")
    boxes = page.evaluate("[...document.querySelectorAll('.kb-diagram')].map(d => d.getBoundingClientRect().right)")
    zooms = page.locator(".kb-diagram .kb-diagram__zoom").count()
    page.close()
    assert len(found) == len(sources), "every diagram drawn"
    small = [(round(d["min"], 1), d["natural"]) for d in found if d["min"] < MIN_LABEL_PX[device]]
    assert small == [], f"{len(small)} diagrams with labels under {MIN_LABEL_PX[device]} px on a {device}"
    assert all(d["fits"] for d in found), "a diagram wider than its column scrolls sideways"
    assert max(boxes) <= width + 1, "no diagram widens the page"
    assert zooms == len(sources)


def test_zoom_view_shows_a_diagram_at_full_size(site_url: str, chromium: Any) -> None:
    page = chromium.new_page(viewport=PHONE)
    page.goto(site_url + CASE_STUDY)
    wait_for_diagrams(page)
    page.locator(".kb-diagram__zoom").first.click()
    dialog = page.locator("dialog.kb-zoom[open]")
    dialog.wait_for()
    sizes = page.evaluate(
        """() => { const host = document.querySelector("dialog.kb-zoom .kb-diagram__svg");
             const svg = host.shadowRoot.querySelector("svg");
             const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
             return [...svg.querySelectorAll("p, span, text, tspan")].filter(e => e.textContent.trim())
               .map(e => parseFloat(getComputedStyle(e).fontSize) * scale); }"""
    )
    assert sizes and min(sizes) >= 15.5, "labels at their natural 16 px"
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.kb-zoom", state="detached")
    page.close()


def test_mermaid_loads_only_with_a_diagram_and_never_from_a_cdn(site_url: str, chromium: Any) -> None:
    """The diagram library comes only when a diagram is about to be seen (also after instant navigation from
    a page without one), from the site itself; no request ever leaves the site; no page loads an asset twice."""
    context = chromium.new_context(viewport=DESKTOP)
    host = urlparse(site_url).netloc
    requests: list[str] = []
    outside: list[str] = []

    def route(r: Any) -> None:
        requests.append(r.request.url)
        if urlparse(r.request.url).netloc != host:
            outside.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(site_url + PLAIN, wait_until="networkidle")
    assert not [u for u in requests if "mermaid" in u], "no diagram, no diagram library"
    assert len(requests) == len(set(requests)), "no asset requested twice"
    page.locator(".md-tabs__link", has_text="Embeddings, retrieval").click()  # instant navigation, no diagram
    page.wait_for_url(re.compile(r"/retrieval/$"))
    page.locator("article a[href$='retrieval/hnsw/']").click()  # instant navigation to a page with a diagram
    page.wait_for_url(re.compile(CONCEPT))
    page.evaluate("document.querySelector('.kb-mermaid, .kb-diagram').scrollIntoView()")
    page.wait_for_selector(".kb-diagram[data-kb-rendered]")
    mermaid = [urlparse(u).path for u in requests if "mermaid" in u]
    assert mermaid[0] == "/assets/mermaid-esm/mermaid.esm.min.mjs" and "/assets/mermaid.min.js" not in mermaid
    assert len(mermaid) == len(set(mermaid))
    page.goto(site_url + CASE_STUDY, wait_until="networkidle")
    wait_for_diagrams(page)
    context.close()
    assert outside == [], outside


def _page_bytes(chromium: Any, url: str) -> dict[str, int]:
    """Bytes of every response of a first visit, every diagram drawn, by URL."""
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
    page.goto(url, wait_until="networkidle")
    wait_for_diagrams(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    context.close()
    return {u: n for u, n in sizes.items() if "/search/" not in u}


def test_concept_pages_weigh_under_1_mb_without_the_search_index(site_url: str, chromium: Any) -> None:
    plain = _page_bytes(chromium, site_url + PLAIN)
    assert sum(plain.values()) < 1_000_000, sorted(plain.items(), key=lambda kv: -kv[1])[:5]
    with_diagram = _page_bytes(chromium, site_url + CONCEPT)
    library = sum(n for u, n in with_diagram.items() if "/mermaid" in u)
    assert 0 < library < 1_000_000, "only the parts of mermaid a flowchart needs"
    assert sum(with_diagram.values()) - library < 1_000_000
    assert sum(with_diagram.values()) < 2_000_000


def test_search_finds_the_expected_page_for_everyday_queries(site_url: str, chromium: Any) -> None:
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(site_url)
    wait_until_ready(page)
    queries = load_queries()
    ranks = hits(page, site_url, queries)
    held = hits(page, site_url, load_queries("holdout"))
    page.close()
    for query in ("bf16 vs fp16", "AUC", "CLIP", "time to first token", "KV cache"):
        assert ranks[query] == 1, (query, ranks[query])
    assert {q: r for q, r in ranks.items() if r is None or r > 3} == {}, "every expected page in the top 3"
    first = sum(1 for r in ranks.values() if r == 1)
    assert first >= 0.95 * len(ranks), {q: r for q, r in ranks.items() if r != 1}
    assert sum(1 for r in held.values() if r is not None and r <= 3) >= 0.9 * len(held), held


def test_search_results_show_each_alias_once_and_no_latex(site_url: str, chromium: Any) -> None:
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(site_url)
    wait_until_ready(page)
    assert result_pages(page, "hnsw", site_url)[0] == "retrieval/hnsw"
    first = page.locator(".md-search-result__item").first
    text = first.inner_text()
    assert text.count("Hierarchical Navigable Small World graph") == 1, text
    assert first.locator("mark").count() > 0, "matched words are highlighted"
    result_pages(page, "kv cache sizing formula", site_url)
    shown = page.locator(".md-search-result__list").inner_text()
    assert "\\(" not in shown and "\\frac" not in shown and "\\times" not in shown
    page.close()


def test_tokenizer_is_the_same_in_python_and_in_the_browser(real_site: Path, site_url: str, chromium: Any) -> None:
    import json

    from generator.site.search_index import tokens

    index = json.loads((real_site / "search" / "kb-search-index.json").read_text(encoding="utf-8"))
    samples = [html.unescape(p[1]) for p in index["pages"]] + [html.unescape(d[3]) for d in index["docs"][::7]]
    samples += ["FP16/BF16/FP8", "PagedAttention & vLLM", "Fréchet Inception Distance", "queries caching embedded k-means"]
    page = chromium.new_page()
    page.goto(site_url)
    page.add_script_tag(url=site_url + "assets/kb-search.js")
    browser_tokens = page.evaluate("(texts) => texts.map(kbTokens)", samples)
    page.close()
    assert browser_tokens == [tokens(s) for s in samples]


def test_every_tab_and_the_reference_pages_are_reachable(site_url: str, chromium: Any) -> None:
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(site_url + CONCEPT)
    tabs = page.evaluate(
        "() => [...document.querySelectorAll('.md-tabs__link')].map(a => { const r = a.getBoundingClientRect();"
        " return [a.textContent.trim(), r.left >= 0 && r.right <= innerWidth && r.height > 0]; })"
    )
    assert len(tabs) >= 14 and all(visible for _, visible in tabs), tabs
    page.locator(".md-tabs__link", has_text="Reference").click()
    page.wait_for_url(re.compile(r"/cheatsheet/"))
    page.close()
    phone = chromium.new_page(viewport=PHONE)
    phone.goto(site_url + CONCEPT)
    phone.locator("label.md-header__button[for='__drawer']").click()
    drawer = phone.locator(".md-nav--primary")
    drawer.locator(".md-nav__item--active > nav > label.md-nav__title").first.click()  # back from the open section
    drawer.locator("a.md-nav__link", has_text=re.compile(r"^\s*Reference\s*$")).first.click()  # every section is listed
    phone.wait_for_url(re.compile(r"/cheatsheet/"))
    phone.locator("label.md-header__button[for='__drawer']").click()
    downloads = drawer.locator("a.md-nav__link", has_text="Downloads").first
    downloads.wait_for(state="visible")
    downloads.click()
    phone.wait_for_url(re.compile(r"/downloads/"))
    phone.close()


def test_tables_fit_a_phone_and_the_definition_reads_at_body_size(site_url: str, chromium: Any) -> None:
    page = chromium.new_page(viewport=PHONE)
    for path in ("llm-serving/kv-cache-sizing/", "cheatsheet/", "figures/", "", "downloads/", CASE_STUDY):
        page.goto(site_url + path)
        wide = page.evaluate(
            "() => [...document.querySelectorAll('article table')].filter(t => t.getBoundingClientRect().right > innerWidth + 1)"
            ".map(t => t.rows[0].textContent.trim().slice(0, 60))"
        )
        assert wide == [], (path, wide)
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(site_url + CONCEPT)
        sizes = page.evaluate(
            "() => [getComputedStyle(document.querySelector('.admonition.abstract > p:not(.admonition-title)')).fontSize,"
            " getComputedStyle(document.querySelector('article > p:not(:empty)')).fontSize]"
        )
        assert sizes[0] == sizes[1], sizes
    page.close()


def test_cheat_sheet_prints_on_two_pages(real_site: Path, site_url: str, chromium: Any) -> None:
    rows = sum(
        len(re.findall(r"<tr>", t)) - 1
        for t in re.findall(r"<table>.*?</table>", (real_site / "cheatsheet" / "index.html").read_text(encoding="utf-8"), re.S)
    )
    assert 80 <= rows <= 120, rows
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(site_url + "cheatsheet/")
    pdf = page.pdf(format="A4")
    page.close()
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_desktop_and_phone(site_url: str, chromium: Any, scheme: str) -> None:
    """Screenshots to look at: a concept page, a case-study diagram, the cheat sheet and the map."""
    OUT.mkdir(exist_ok=True)
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = chromium.new_page(viewport=viewport, color_scheme=scheme)
        for name, path in (
            ("concept", CONCEPT),
            ("case-study-diagram", CASE_STUDY),
            ("cheatsheet", "cheatsheet/"),
            ("map", "map/"),
        ):
            page.goto(site_url + path)
            wait_for_diagrams(page)
            if name == "case-study-diagram":
                page.locator(".kb-diagram").first.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            page.screenshot(path=str(OUT / f"ux-{name}-{device}-{scheme}.png"))
        page.close()
    assert (OUT / f"ux-concept-desktop-{scheme}.png").stat().st_size > 10_000


def test_search_falls_back_to_the_theme_worker_without_a_prebuilt_index(tmp_path: Path, chromium: Any) -> None:
    """`kb serve` has no prebuilt index: the theme's own worker answers instead (same box, same results)."""
    import shutil

    from generator.site.engines import build_with_mkdocs

    from .conftest import FIXTURES, build_project, site_project

    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "project", project)
    build_project(site_project(project), decks=False)
    plain = tmp_path / "plain"
    plain.mkdir()
    build_with_mkdocs(project / "build" / "mkdocs.yml", plain, quiet=True)  # the engine alone, as kb serve runs it
    assert not (plain / "search" / "kb-search-index.json").exists()
    with serve(plain) as base:
        page = chromium.new_page(viewport=DESKTOP)
        page.goto(base)
        wait_until_ready(page)
        assert result_pages(page, "brute-force search", base)[:1] == ["search/flat-index"]
        page.close()


def test_search_results_from_hostile_content_are_text(tmp_path: Path, chromium: Any) -> None:
    from .test_security import build_hostile_project

    project = build_hostile_project(tmp_path / "proj")
    dialogs: list[str] = []
    with serve(project / "site") as base:
        page = chromium.new_page(viewport=DESKTOP)
        page.add_init_script("window.kbx = () => { window.__kbxCalled = true; };")
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base)
        wait_until_ready(page)
        for query in ("flat index", "kbx", "script alert", "onmouseover", "brute force quoted"):
            result_pages(page, query, base)
            for item in page.locator(".md-search-result__item").all()[:3]:
                item.hover()
        assert page.locator(".md-search-result__item").count() > 0
        assert page.locator("kbxtag, .md-search-result script, .md-search-result [onmouseover]").count() == 0
        assert page.evaluate("window.__kbxCalled === true") is False
        page.close()
    assert dialogs == []
