"""The real site in a real browser: search, navigation, every link, screenshots; cards rendered by Anki."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

from .browser import browser, chromium_path, serve
from .conftest import ROOT
from .site_diagrams import wait_for_diagrams

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (make test installs it)")
OUT = ROOT / "test-output"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus built by the real pipeline into a temporary site folder (docs tree in build/)."""
    from generator import pipeline
    from generator.settings import load_settings

    out = tmp_path_factory.mktemp("real")
    settings = load_settings(ROOT, site_dir=str(out / "site"), build_dir=str(out / "build"))
    pipeline.build(settings, decks=False, quiet=True)
    return out / "site"


def test_search_finds_concept_by_alias_and_opens_it(real_site: Path) -> None:
    with serve(real_site) as base, browser() as b:
        page = b.new_page()  # type: ignore[attr-defined]
        page.goto(base)
        page.click("label.md-search__icon, .md-search__input")
        page.locator("input.md-search__input").press_sequentially("dual encoder")  # keys, as a reader types
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        titles = page.locator(".md-search-result__item > .md-search-result__link .md-search-result__article h1").all_inner_texts()
        assert any("Two-tower" in t or "Two-Tower" in t for t in titles[:3]), titles
        page.locator(".md-search-result__item > .md-search-result__link", has_text=re.compile("two-tower", re.I)).first.click()
        page.wait_for_url(re.compile(r"/recsys/two-tower/"))
        assert page.locator("h2#numbers").is_visible()
        assert page.locator("h2#related-concepts").is_visible()
        related = page.locator("h2#related-concepts + ul li").count()
        assert related >= 3


def test_concept_page_screenshots(real_site: Path) -> None:
    OUT.mkdir(exist_ok=True)
    with serve(real_site) as base, browser() as b:
        for scheme in ("light", "dark"):
            page = b.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
            page.goto(base + "retrieval/hnsw/")
            page.wait_for_selector(".katex", timeout=15000)  # math rendered by the vendored KaTeX
            wait_for_diagrams(page)  # drawn by kb-diagrams.js with the vendored mermaid
            assert page.locator(".kb-diagram[data-kb-rendered]").count() > 0
            page.screenshot(path=str(OUT / f"concept-{scheme}.png"), full_page=False)
            page.close()
    assert (OUT / "concept-light.png").stat().st_size > 10_000


def test_every_mermaid_diagram_parses(real_site: Path) -> None:
    diagrams = [
        (str(path.relative_to(ROOT)), match.group(1))
        for path in sorted((ROOT / "concepts").rglob("*.md"))
        for match in re.finditer(r"```mermaid\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    ]
    assert len(diagrams) > 100
    with serve(real_site) as base, browser() as b:
        page = b.new_page()  # type: ignore[attr-defined]
        page.goto(base + "retrieval/hnsw/")
        wait_for_diagrams(page)  # the vendored mermaid is loaded (window.mermaid)
        failures = page.evaluate(
            """async (ds) => { const out = [];
                 for (const [f, t] of ds) { try { await window.mermaid.parse(t); } catch (e) { out.push([f, String(e).slice(0, 300)]); } }
                 return out; }""",
            diagrams,
        )
    assert failures == [], failures


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag in ("link", "script", "img") and (found.get("href") or found.get("src")):
            self.links.append(str(found.get("href") or found.get("src")))


def test_crawl_finds_no_broken_link_or_anchor(real_site: Path) -> None:
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            parser = _Links()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    base = "http://site.invalid/"
    broken: list[str] = []
    for page in sorted(real_site.rglob("*.html")):
        url = base + page.relative_to(real_site).as_posix()
        for href in parse(page).links:
            target = urljoin(url, href)
            if not target.startswith(base):
                continue
            path_part, fragment = urldefrag(target)
            rel = unquote(urlparse(path_part).path)[1:]
            file = real_site / rel
            if file.is_dir() or rel.endswith("/") or rel == "":
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{page.relative_to(real_site)} -> {href}")
            elif fragment and file.suffix == ".html" and fragment not in parse(file).ids:
                broken.append(f"{page.relative_to(real_site)} -> {href} (missing anchor)")
    assert broken == [], broken[:20]
    assert len(parsed) > 20


def test_cards_screenshots_light_and_night(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    from anki.collection import Collection

    from generator.anki.note_types import NAMES

    from .anki_helpers import import_package
    from .conftest import write_project_decks

    project = tmp_path / "proj"
    shutil.copytree(ROOT / "tests" / "fixtures" / "project", project)
    summary_dir = tmp_path / "decks"
    write_project_decks(project, summary_dir)
    col = Collection(str(tmp_path / "c.anki2"))
    OUT.mkdir(exist_ok=True)
    try:
        import_package(col, summary_dir / "ml-system-design.apkg")
        with browser() as b:
            for kind, name in NAMES.items():
                nid = col.find_notes(f'"note:{name}"')[0]
                card = col.get_card(col.card_ids_of_note(nid)[0])
                for mode, classes in (("light", "card"), ("night", "card nightMode night_mode")):
                    page = b.new_page(viewport={"width": 520, "height": 640})  # type: ignore[attr-defined]
                    page.set_content(f'<html><body class="{classes}">{card.answer()}</body></html>')
                    page.screenshot(path=str(OUT / f"card-{kind}-{mode}.png"))
                    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
                    assert colour == ("rgb(22, 27, 34)" if mode == "night" else "rgb(253, 253, 253)"), colour
                    page.close()
    finally:
        col.close()


def test_hostile_page_runs_no_script_from_content(tmp_path: Path) -> None:
    from .test_security import build_hostile_project

    project = build_hostile_project(tmp_path / "proj")
    dialogs: list[str] = []
    with serve(project / "site") as base, browser() as b:
        page = b.new_page()  # type: ignore[attr-defined]
        page.add_init_script("window.kbx = () => { window.__kbxCalled = true; };")
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("search/flat-index/", "", "cheatsheet/", "questions/", "search/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.mouse.move(200, 300)
            page.mouse.move(600, 500)
        page.goto(base + "search/flat-index/")
        page.wait_for_selector(".katex", timeout=15000)  # the page's own scripts ran
        for handle in page.locator("details").all():
            handle.click()
        assert page.evaluate("window.__kbxCalled === true") is False
        assert page.locator("kbxtag").count() == 0
        assert "<script>alert(1)</script>" in page.inner_text("article"), "raw HTML shows as text"
    assert dialogs == []


def test_study_pages_screenshots_desktop_and_phone(real_site: Path) -> None:
    """Home, a path page, practice and a running mock interview on the real corpus, as a learner sees them."""
    OUT.mkdir(exist_ok=True)
    with serve(real_site) as base, browser() as b:
        for device, size in (("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
            context = b.new_context(viewport=size)  # type: ignore[attr-defined]
            page = context.new_page()
            page.clock.install()
            page.goto(base + "paths/mlsd-two-week-intensive/")
            for box in page.locator("[data-kb-item] input").all()[:9]:  # some progress, so the bars show it
                box.check()
            page.locator('[data-kb-next="mlsd-two-week-intensive"]').get_by_text("Next:").wait_for()
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(500)  # let the header finish its title transition before the screenshot
            page.screenshot(path=str(OUT / f"study-path-{device}.png"))
            page.goto(base)
            assert "Two-week ML system design interview intensive" in page.locator("[data-kb-continue]").inner_text()
            page.screenshot(path=str(OUT / f"study-home-{device}.png"))
            page.goto(base + "practice/")
            page.locator('select[name="path"]').select_option("llm-serving-inference")
            page.get_by_role("button", name="Show the answer").click()
            page.screenshot(path=str(OUT / f"study-practice-{device}.png"))
            page.goto(base + "mock/")
            page.locator('select[name="case"]').select_option("rag-chatbot")
            page.get_by_role("button", name="Start the 45-minute interview").click()
            page.clock.run_for("07:30")
            assert page.locator('[data-kb-app="mock"]').get_attribute("data-kb-phase") == "design"
            page.screenshot(path=str(OUT / f"study-mock-{device}.png"))
            context.close()
    assert (OUT / "study-home-desktop.png").stat().st_size > 10_000


def _similar_section(html: str) -> list[str]:
    """Hrefs listed under 'Similar concepts' on a built concept page."""
    match = re.search(r'<h2 id="similar-concepts">.*?<ul>(.*?)</ul>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', match.group(1)) if match else []


def test_pages_with_curated_links_also_show_computed_neighbours(real_site: Path) -> None:
    from generator.core.load import load_corpus

    corpus = load_corpus(ROOT, ROOT / "concepts")
    busy = [c for c in corpus.concepts.values() if len(c.meta.related) >= 5]
    assert len(busy) > 100
    shown = {}
    for concept in busy:
        page = real_site / concept.url_path / "index.html"
        hrefs = _similar_section(page.read_text(encoding="utf-8"))
        slugs = [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]
        assert not set(slugs) & set(concept.outgoing()), f"{concept.slug}: a computed neighbour repeats a link"
        shown[concept.slug] = slugs
    share = sum(len(s) >= 3 for s in shown.values()) / len(shown)
    print(f"pages with >= 5 curated links showing >= 3 computed neighbours: {share:.1%} of {len(shown)}")
    assert share >= 0.7, share
    assert len(shown["two-tower"]) >= 3
    OUT.mkdir(exist_ok=True)
    with serve(real_site) as base, browser() as b:
        for name, size in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})):
            page = b.new_page(viewport=size, is_mobile=name == "phone", has_touch=name == "phone")  # type: ignore[attr-defined]
            page.goto(base + "recsys/two-tower/")
            heading = page.locator("h2#similar-concepts")
            heading.scroll_into_view_if_needed()
            assert heading.is_visible()
            assert page.locator("h2#similar-concepts ~ ul").first.locator("li").count() >= 3
            page.screenshot(path=str(OUT / f"similar-concepts-{name}.png"))
            page.close()


def test_question_bank_links_nearest_pages(real_site: Path) -> None:
    html = (real_site / "questions" / "index.html").read_text(encoding="utf-8")
    assert html.count("Read also:") > 1000, "most questions link the pages nearest to them"


def test_map_renders_searches_and_draws_links_without_errors(real_site: Path) -> None:
    from generator.core.load import load_corpus

    corpus = load_corpus(ROOT, ROOT / "concepts")
    tower = corpus.concepts["two-tower"]
    errors: list[str] = []
    OUT.mkdir(exist_ok=True)
    with serve(real_site) as base, browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "cheatsheet/")
        page.locator('.md-nav a[href$="map/"]').first.click()  # instant navigation, as a reader gets there
        page.wait_for_selector("svg.kb-map .kb-map-point")
        assert page.locator("svg.kb-map .kb-map-point").count() == len(corpus.concepts)
        assert page.locator("svg.kb-map .kb-map-label").count() == len(corpus.domains)
        assert page.locator(".kb-map-legend .kb-map-key").count() == len(corpus.domains)
        fills = page.evaluate(
            "Array.from(new Set(Array.from(document.querySelectorAll('.kb-map-point')).map(p => p.dataset.domain + ' ' + p.getAttribute('fill'))))"
        )
        assert len(fills) == len({f.split()[1] for f in fills}) == len(corpus.domains), "every domain has its own colour"
        page.screenshot(path=str(OUT / "map-desktop.png"), full_page=True)
        page.fill(".kb-map-search", tower.title)
        point = page.locator('.kb-map-point[data-slug="two-tower"]')
        assert "kb-hit" in (point.get_attribute("class") or "") and "kb-selected" in (point.get_attribute("class") or "")
        assert page.locator(".kb-map-info strong a").inner_text() == tower.title
        drawn = [s for s in tower.meta.related if s in corpus.concepts]
        assert page.locator(".kb-map-edges line").count() == len(drawn) >= 3
        page.wait_for_function(  # the rest of the map steps back (after a short transition)
            "parseFloat(getComputedStyle(document.querySelector('.kb-map-point[data-slug=\"ab-testing\"]')).opacity) < 0.5",
            timeout=5000,
        )
        page.screenshot(path=str(OUT / "map-search-desktop.png"))
        point.click()  # a second click on the selected point opens its page
        page.wait_for_url(re.compile(r"/recsys/two-tower/$"))
        page.go_back()
        page.wait_for_selector("svg.kb-map .kb-map-point")
        page.close()
        phone = b.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)  # type: ignore[attr-defined]
        phone.on("pageerror", lambda e: errors.append(str(e)))
        phone.goto(base + "map/")
        dot = phone.locator('.kb-map-point[data-slug="hnsw"]')
        dot.scroll_into_view_if_needed()
        dot.tap()
        assert phone.locator(".kb-map-info strong a").inner_text() == corpus.concepts["hnsw"].title, "a first tap selects"
        assert phone.url.endswith("/map/")
        phone.screenshot(path=str(OUT / "map-phone.png"), full_page=True)
        dot.tap()
        phone.wait_for_url(re.compile(r"/retrieval/hnsw/$"))
        phone.close()
    assert errors == []
