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
