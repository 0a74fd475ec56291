"""Study paths, progress, practice, mock interviews and the offline copy: the built site, then real chromium with no network."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .browser import browser, chromium_path, serve
from .learn_project import learn_project

needs_chromium = pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (make test installs it)")
KEY = "kb-learn-v1"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The study project built once, as `kb build` does it: decks, docs tree, offline copy, site."""
    from generator import pipeline
    from generator.settings import load_settings

    project = learn_project(tmp_path_factory.mktemp("learn") / "proj")
    pipeline.build(load_settings(project), related=False, quiet=True, offline=True)
    return project


def _html(built: Path, page: str) -> str:
    return (built / "site" / page / "index.html").read_text(encoding="utf-8")


def _data(folder: Path, name: str) -> object:
    text = (folder / "assets" / "data" / f"learn-{name}.js").read_text(encoding="utf-8")
    match = re.fullmatch(rf'kbLearnData\("{name}",(.*)\);\n', text, re.S)
    assert match, text[:80]
    assert "<" not in text, "'<' is escaped in data files"
    return json.loads(match.group(1))


# -- the built pages -----------------------------------------------------------------------------------


def test_path_page_has_stages_hours_checklists_and_wanted_items(built: Path) -> None:
    html = _html(built, "paths/vector-search")
    for text in ("Vector search in a week", "3 stages", "about 7.5 hours", "Days 3-4: Compression", "about 2.5 hours"):
        assert text in html, text
    assert 'id="stage-2"' in html
    assert "You can now trade recall for memory with product quantization." in html
    assert 'class="kb-wanted"' in html and "HNSW index" in html, "a planned concept is listed as wanted"
    assert html.count('data-kb-progress="vector-search"') == 4, "one bar overall, one per stage"
    assert 'href="../../search/ivf-index/"' in html


def test_concept_page_lists_its_paths_and_has_the_mark_control(built: Path) -> None:
    html = _html(built, "search/flat-index")
    assert 'data-kb-mark="flat-index"' in html
    assert re.search(r'In study paths: <a href="../../paths/search-basics/#stage-1">Search basics</a> \(stage 1\)', html), html
    assert '<a href="../../paths/vector-search/#stage-1">Vector search in a week</a>' in html


class _Cards(HTMLParser):
    """The text of each card of a `grid cards` block, keyed by the block's extra class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, list[str]] = {}
        self._grid: str | None = None
        self._depth = 0
        self._li = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "grid" in classes and "cards" in classes:
            self._grid = next(c for c in classes if c.startswith("kb-"))
            self._depth = 0
            self.cards[self._grid] = []
        elif self._grid and tag == "div":
            self._depth += 1
        if self._grid and tag == "li":
            self._li += 1
            if self._li == 1:
                self.cards[self._grid].append("")

    def handle_endtag(self, tag: str) -> None:
        if self._grid and tag == "li":
            self._li -= 1
        if self._grid and tag == "div":
            if self._depth == 0:
                self._grid = None
            else:
                self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._grid and self._li:
            self.cards[self._grid][-1] += data


def test_home_cards_each_hold_their_own_title_and_count(built: Path) -> None:
    parser = _Cards()
    parser.feed(_html(built, "."))
    domains = [" ".join(c.split()) for c in parser.cards["kb-domain-cards"]]
    assert domains == [
        "Search & retrieval 3 concepts, 1 planned",
        "Serving 0 concepts, 1 planned",
        "Case studies 1 case study",
    ], domains
    paths = [" ".join(c.split()) for c in parser.cards["kb-path-cards"]]
    assert len(paths) == 2 and paths[0].startswith("Search basics") and "2 stages · about 3.5 hours · 1 page" in paths[0], paths
    entries = " | ".join(" ".join(c.split()) for c in parser.cards["kb-entry-cards"])
    for entry in ("Practice", "Mock interview", "Case studies", "Question bank", "Cheat sheet", "Anki decks"):
        assert entry in entries, entry
    assert 'for="__search"' in _html(built, "."), "the home page opens the search"


def test_navigation_has_the_paths_section(built: Path) -> None:
    html = _html(built, "practice")
    for label in ("Paths", "Search basics", "Vector search in a week", "Practice", "Mock interview"):
        assert re.search(rf">\s*{re.escape(label)}\s*<", html), label


def test_data_files_hold_paths_questions_and_cases(built: Path) -> None:
    docs = built / "build" / "docs"
    paths = _data(docs, "paths")
    assert paths["dirUrls"] is True  # type: ignore[index]
    assert [p["slug"] for p in paths["paths"]] == ["search-basics", "vector-search"]  # type: ignore[index]
    assert paths["concepts"]["photo-search"]["d"] == "case-studies/photo-search.md"  # type: ignore[index]
    questions = _data(docs, "questions")
    assert len(questions) == 12 and {"id", "c", "q", "a"} == set(questions[0])  # type: ignore[arg-type, index]
    mock = _data(docs, "mock")
    assert [p["minutes"] for p in mock["phases"]] == [5, 15, 15, 10]  # type: ignore[index]
    assert [c["slug"] for c in mock["cases"]] == ["photo-search"]  # type: ignore[index]
    assert _data(built / "build" / "offline" / "docs", "paths")["dirUrls"] is False  # type: ignore[index]


def test_downloads_page_explains_filtered_decks_and_offers_the_offline_copy(built: Path) -> None:
    html = _html(built, "downloads")
    assert "tag:mlsd::path::search-basics" in html and "Create\nFiltered Deck" in html.replace(" Filtered", "\nFiltered")
    assert 'href="ml-system-design-offline.zip"' in html
    assert (built / "site" / "downloads" / "ml-system-design-offline.zip").is_file()


def test_offline_copy_is_a_file_site(built: Path) -> None:
    with zipfile.ZipFile(built / "site" / "downloads" / "ml-system-design-offline.zip") as z:
        names = set(z.namelist())
        index = z.read("ml-system-design-offline/index.html").decode("utf-8")
        downloads = z.read("ml-system-design-offline/downloads.html").decode("utf-8")
    top = "ml-system-design-offline/"
    for name in ("index.html", "search/flat-index.html", "paths/vector-search.html", "practice.html", "mock.html", "README.txt"):
        assert top + name in names, name
    assert top + "search/search_index.js" in names and top + "search/search_index.json" not in names
    assert top + "assets/offline/iframe-worker.js" in names and top + "assets/data/learn-questions.js" in names
    assert 'src="assets/offline/iframe-worker.js"' in index
    assert '"navigation.instant"' not in index, "instant navigation needs fetch, which file:// refuses"
    assert 'href="search/flat-index.html"' in index or 'href="search/index.html"' in index
    assert "You are reading the offline copy" in downloads and ".apkg" not in downloads
    assert not [n for n in names if n.endswith(".zip")], "the copy does not hold itself"


def test_offline_copy_is_reproducible(built: Path, tmp_path: Path) -> None:
    from generator.site.offline import zip_site

    site = built / "build" / "offline" / "site"
    zip_site(site, tmp_path / "a.zip", "x", "t")
    zip_site(site, tmp_path / "b.zip", "x", "t")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


# -- real chromium, no network -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve(built / "site") as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with browser() as b:
        yield b


class Requests:
    """Every request pages of a context made, to prove none left the page's origin."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.seen: list[str] = []

    def attach(self, context: object) -> object:
        context.on("request", lambda r: self.seen.append(r.url))  # type: ignore[attr-defined]
        return context

    def outside(self) -> list[str]:
        return [u for u in self.seen if not u.startswith((self.origin, "blob:", "data:"))]


@pytest.fixture
def requests(site_url: str) -> Iterator[Requests]:
    recorder = Requests(site_url)
    yield recorder
    assert recorder.seen, "the recorder saw the pages' requests"
    assert recorder.outside() == [], "no request leaves the page's origin"


def _context(chromium: object, requests: Requests, **options: object) -> object:
    context = chromium.new_context(**options)  # type: ignore[attr-defined]
    errors: list[str] = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    context.kb_errors = errors  # type: ignore[attr-defined]
    return requests.attach(context)


def _state(page: object) -> dict:  # type: ignore[type-arg]
    return json.loads(page.evaluate(f"localStorage.getItem('{KEY}') || '{{}}'"))  # type: ignore[attr-defined]


def _label(page: object, selector: str) -> str:
    return page.locator(selector).first.locator(".kb-progress__label").inner_text()  # type: ignore[attr-defined, no-any-return]


@needs_chromium
def test_marks_persist_and_the_next_item_advances(chromium: object, site_url: str, requests: Requests) -> None:
    context = _context(chromium, requests)
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(site_url + "paths/vector-search/")
    next_item = page.locator('[data-kb-next="vector-search"]')
    next_item.get_by_text("Flat index").wait_for()
    assert _label(page, '.kb-path-status [data-kb-progress="vector-search"]') == "0 of 4 pages · 0%"
    next_item.get_by_role("link", name="Flat index").click()  # instant navigation: learn.js runs again on document$
    page.wait_for_url(re.compile(r"/search/flat-index/$"))
    page.get_by_role("button", name="I can explain this").click()
    assert page.get_by_role("button", name="✓ I can explain this").get_attribute("aria-pressed") == "true"
    page.goto(site_url + "search/ivf-index/")  # a full page load: learn.js without a previous page
    page.get_by_role("button", name="I can explain this").click()
    page.goto(site_url + "paths/vector-search/")
    page.reload()
    page.locator('[data-kb-next="vector-search"]').get_by_text("Product quantization").wait_for()
    assert _label(page, '.kb-path-status [data-kb-progress="vector-search"]') == "2 of 4 pages · 50%"
    assert _label(page, '[data-kb-progress="vector-search"][data-kb-stage="0"]') == "2 of 2 pages · 100%"
    assert _label(page, '[data-kb-progress="vector-search"][data-kb-stage="1"]') == "0 of 1 page · 0%"
    assert page.locator('[data-kb-item="ivf-index"] input').is_checked()
    page.locator('[data-kb-item="product-quantization"] input').check()  # ticking on the path page counts too
    page.locator('[data-kb-next="vector-search"]').get_by_text("Photo search").wait_for()
    page.goto(site_url)
    assert "Vector search in a week" in page.locator("[data-kb-continue]").inner_text()
    assert _label(page, '[data-kb-progress="search-basics"]') == "1 of 1 page · 100%"
    assert context.kb_errors == []  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


@needs_chromium
def test_export_then_import_restores_progress_in_a_fresh_browser(
    chromium: object, site_url: str, requests: Requests, tmp_path: Path
) -> None:
    first = _context(chromium, requests, accept_downloads=True)
    page = first.new_page()  # type: ignore[attr-defined]
    page.goto(site_url + "search/flat-index/")
    page.get_by_role("button", name="I can explain this").click()
    page.goto(site_url + "search/product-quantization/")
    page.get_by_role("button", name="I can explain this").click()
    page.goto(site_url + "paths/")
    page.get_by_text("2 pages marked").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"mlsd-progress-\d{4}-\d\d-\d\d\.json", saved.name)
    assert set(json.loads(saved.read_text(encoding="utf-8"))["known"]) == {"flat-index", "product-quantization"}
    first.close()  # type: ignore[attr-defined]

    fresh = _context(chromium, requests)
    page = fresh.new_page()  # type: ignore[attr-defined]
    page.goto(site_url + "paths/")
    page.get_by_text("0 pages marked").wait_for()
    page.locator(".kb-tools__file").set_input_files(str(saved))
    page.get_by_text("Imported. You now have 2 pages marked").wait_for()
    page.goto(site_url + "paths/vector-search/")
    page.locator('[data-kb-next="vector-search"]').get_by_text("IVF index").wait_for()
    assert _label(page, '.kb-path-status [data-kb-progress="vector-search"]') == "2 of 4 pages · 50%"
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 2}', encoding="utf-8")
    page.goto(site_url + "paths/")
    page.locator(".kb-tools__file").set_input_files(str(bad))
    page.get_by_text("Not imported: not a progress file of this site").wait_for()
    assert set(_state(page)["known"]) == {"flat-index", "product-quantization"}, "a bad file changes nothing"
    fresh.close()  # type: ignore[attr-defined]


@needs_chromium
def test_practice_reveals_the_answer_and_brings_an_again_card_back(chromium: object, site_url: str, requests: Requests) -> None:
    context = _context(chromium, requests)
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(site_url + "practice/")
    page.locator('select[name="path"]').select_option("vector-search")
    page.get_by_text("12 questions match: 0 due, 12 new").wait_for()
    card = page.locator(".kb-card[data-kb-card]")
    first = card.get_attribute("data-kb-card")
    question = page.locator(".kb-card__q").inner_text()
    assert page.locator(".kb-card__a").is_hidden()
    page.get_by_role("button", name="Show the answer").click()
    answer = page.locator(".kb-card__a")
    assert answer.is_visible() and len(answer.inner_text()) > 40
    assert page.get_by_role("button", name="Show the answer").is_hidden()
    slug = first.split("/")[0]  # type: ignore[union-attr]
    domain = "case-studies" if slug == "photo-search" else "search"
    assert answer.get_by_role("link").get_attribute("href") == f"{site_url}{domain}/{slug}/"
    page.get_by_role("button", name="Again").click()
    stored = _state(page)["cards"][first]
    assert stored["box"] == 1 and stored["due"] <= page.evaluate("Date.now()")
    shown = []
    for _ in range(3):
        assert card.get_attribute("data-kb-card") != first
        shown.append(card.get_attribute("data-kb-card"))
        page.keyboard.press("Space")  # reveal by key
        page.keyboard.press("3")  # Good
    assert card.get_attribute("data-kb-card") == first, "the 'again' card comes back a few questions later"
    assert page.locator(".kb-card__q").inner_text() == question
    cards = _state(page)["cards"]
    assert all(cards[s]["box"] == 1 and cards[s]["due"] > cards[first]["due"] + 80_000_000 for s in shown), "good: a day later"
    page.reload()
    page.get_by_text("12 questions match: 1 due, 8 new, 3 scheduled later").wait_for()
    assert card.get_attribute("data-kb-card") == first, "a due card comes before new ones"
    assert context.kb_errors == []  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


@needs_chromium
def test_mock_interview_timer_walks_the_phases_then_opens_the_design(chromium: object, site_url: str, requests: Requests) -> None:
    context = _context(chromium, requests)
    page = context.new_page()  # type: ignore[attr-defined]
    page.clock.install()
    page.goto(site_url + "mock/")
    app = page.locator('[data-kb-app="mock"]')
    page.locator('select[name="case"]').select_option("photo-search")
    page.get_by_role("button", name="Start the 45-minute interview").click()
    assert app.get_attribute("data-kb-phase") == "clarify"
    assert page.locator(".kb-mock__case").inner_text() == "Photo search"
    assert page.locator(".kb-mock__clock").inner_text().startswith("05:00 left in Clarify the requirements · 45:00 in total")
    page.clock.run_for("04:59")
    assert app.get_attribute("data-kb-phase") == "clarify"
    page.clock.run_for("00:02")
    assert app.get_attribute("data-kb-phase") == "design"
    assert "Estimate: Memory of a flat float32 index" in page.locator(".kb-mock__prompts").inner_text()
    page.reload()  # a running interview survives a reload
    assert page.locator('[data-kb-app="mock"]').get_attribute("data-kb-phase") == "design"
    page.clock.run_for("15:00")
    assert app.get_attribute("data-kb-phase") == "deep"
    assert "Decide and defend: Exact scan instead of an approximate index" in page.locator(".kb-mock__prompts").inner_text()
    page.get_by_role("button", name="Next phase").click()
    assert app.get_attribute("data-kb-phase") == "production"
    assert "What breaks: Latency creep" in page.locator(".kb-mock__prompts").inner_text()
    page.clock.run_for("10:01")
    link = page.locator(".kb-mock-open")
    assert link.is_visible() and link.get_attribute("href") == site_url + "case-studies/photo-search/"
    assert _state(page)["mocks"][-1]["c"] == "photo-search" and _state(page)["mocks"][-1]["done"] is True
    link.click()
    page.wait_for_url(re.compile(r"/case-studies/photo-search/$"))
    assert context.kb_errors == []  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]


@needs_chromium
def test_offline_copy_from_file_finds_by_alias_and_renders_math_diagrams_and_progress(
    built: Path, chromium: object, tmp_path: Path
) -> None:
    with zipfile.ZipFile(built / "site" / "downloads" / "ml-system-design-offline.zip") as z:
        z.extractall(tmp_path)
    root = (tmp_path / "ml-system-design-offline").as_uri() + "/"
    requests = Requests(root)
    context = _context(chromium, requests)
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(root + "index.html")
    page.get_by_text("Search the knowledge base").click()  # the home page's button opens Material's search
    search = page.locator("input.md-search__input")
    search.wait_for()
    page.wait_for_function("document.querySelector('.md-search-result__meta').textContent.includes('Type to start')")
    search.press_sequentially("inverted file", delay=20)
    hit = page.locator(".md-search-result__item > .md-search-result__link", has_text="IVF index").first
    hit.wait_for(timeout=15000)
    hit.click()
    page.wait_for_url(re.compile(r"/search/ivf-index\.html"))
    page.wait_for_selector(".katex", timeout=15000)
    page.wait_for_selector(".kb-diagram[data-kb-rendered] svg", timeout=15000)  # drawn by assets/kb-diagrams.js
    page.wait_for_function(
        "[...document.fonts].some(f => f.family === 'KaTeX_Main' && f.status === 'loaded')"
    )  # fonts load from disk
    page.get_by_role("button", name="I can explain this").click()
    page.goto(root + "paths/vector-search.html")
    page.locator('[data-kb-next="vector-search"]').get_by_text("Flat index").wait_for()
    page.reload()
    assert _label(page, '.kb-path-status [data-kb-progress="vector-search"]') == "1 of 4 pages · 25%"
    page.locator('[data-kb-next="vector-search"]').get_by_role("link", name="Flat index").click()
    page.wait_for_url(re.compile(r"/search/flat-index\.html"))
    page.goto(root + "practice.html")
    page.get_by_role("button", name="Show the answer").click()
    assert page.locator(".kb-card__a").get_by_role("link").get_attribute("href").endswith(".html")  # type: ignore[union-attr]
    assert context.kb_errors == []  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]
    assert requests.seen and requests.outside() == [], requests.outside()


@needs_chromium
def test_hostile_path_and_question_text_stays_text(chromium: object, tmp_path: Path) -> None:
    from .test_security import build_hostile_project

    project = build_hostile_project(tmp_path / "proj")
    with serve(project / "site") as base:
        requests = Requests(base)
        context = _context(chromium, requests)
        page = context.new_page()  # type: ignore[attr-defined]
        page.add_init_script("window.kbx = () => { window.__kbxCalled = true; };")
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "practice/")
        for _ in range(3):
            page.get_by_role("button", name="Show the answer").click()
            page.get_by_role("button", name="Good").click()
        for path in ("", "paths/", "paths/hostile/", "search/flat-index/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__kbxCalled === true") is False
        assert page.locator("kbxtag").count() == 0 and dialogs == []
        context.close()  # type: ignore[attr-defined]
    assert requests.outside() == []
