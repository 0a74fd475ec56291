"""The wiki: golden Markdown for the fixture concept, and a real MkDocs build of a small project."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.core.load import load_corpus
from generator.errors import KbError
from generator.site.pages import SiteInputs, build_pages, navigation
from generator.site.search_index import tokens

from .conftest import FIXTURES, build_project, site_project

GOLDEN = FIXTURES / "golden"


def _pages(project: Path) -> dict[str, str]:
    corpus = load_corpus(project, project / "concepts")
    assert corpus.problems == []
    return build_pages(corpus, SiteInputs())


@pytest.mark.parametrize("page", ["search/flat-index.md", "search/index.md", "cheatsheet.md", "wanted.md"])
def test_golden_markdown(project: Path, page: str) -> None:
    assert _pages(project)[page] == (GOLDEN / page).read_text(encoding="utf-8")


def test_every_generated_page_is_in_nav_or_reference(project: Path) -> None:
    corpus = load_corpus(project, project / "concepts")
    flat: list[str] = []

    def walk(items: object) -> None:
        for item in items:  # type: ignore[union-attr]
            for value in item.values():  # type: ignore[union-attr]
                if isinstance(value, list):
                    walk(value)
                else:
                    flat.append(value)

    walk(navigation(corpus))
    assert set(build_pages(corpus, SiteInputs())) == set(flat)


def test_domain_counts_use_its_own_noun(project: Path) -> None:
    domains = project / "concepts" / "domains.yaml"
    domains.write_text(
        domains.read_text(encoding="utf-8").replace("order: 1\n", "order: 1\n  noun: case study\n  plural: case studies\n"),
        encoding="utf-8",
    )
    pages = _pages(project)
    assert "1 case study, " in pages["search/index.md"]
    assert "1 case study" in pages["index.md"] and "0 concepts" in pages["index.md"]


def test_raw_html_in_content_is_escaped(project: Path) -> None:
    page = project / "concepts" / "search" / "flat-index.md"
    text = page.read_text(encoding="utf-8").replace(
        "## When to use it", "<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n## When to use it"
    )
    text = text.replace("gain: Perfect recall and no build step", "gain: Perfect recall <b onclick=x>and</b> no build step")
    page.write_text(text, encoding="utf-8")
    md = _pages(project)["search/flat-index.md"]
    assert "<script>" not in md and "<img" not in md and "<b onclick" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("site") / "proj"
    shutil.copytree(FIXTURES / "project", project)
    build_project(site_project(project))
    return project / "site"


def test_concept_page_html_has_every_section(fixture_site: Path) -> None:
    html = (fixture_site / "search" / "flat-index" / "index.html").read_text(encoding="utf-8")
    for section in (
        "Definition",
        "How it works",
        "Trade-offs",
        "Failure modes",
        "Numbers",
        "Interview questions",
        "Related concepts",
        "Sources",
    ):
        assert section in html, section
    assert '<details class="question">' in html, "questions are collapsible, answers hidden until opened"
    assert 'class="kb-wanted"' in html
    assert 'class="kb-mermaid"' in html, "diagrams are drawn by kb-diagrams.js, not the theme's CDN-loading support"
    assert "<em>checked:</em>" in html and "<em>cited:</em>" in html and "📄" not in html


def test_search_index_has_titles_and_aliases(fixture_site: Path) -> None:
    index = json.loads((fixture_site / "search" / "kb-search-index.json").read_text(encoding="utf-8"))
    locations = [p[0] for p in index["pages"]]
    page = locations.index("search/flat-index/")
    assert index["pages"][page][1] == "Flat index"
    assert index["pages"][page][2] == ["brute-force search"], "aliases are shown as tags"
    assert index["aliases"][" ".join(tokens("brute-force search"))] == [page], "an exact alias names the page"
    assert index["titles"][" ".join(tokens("Flat index"))] == [page]
    assert not any(loc.startswith("cheatsheet/") for loc in locations), "the cheat sheet is excluded from search"
    stub = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [], "the theme's own index is not shipped: the browser would download it for nothing"
    assert stub["config"]["fields"]["tags"] == {"boost": 1000}


def test_no_cdn_references(fixture_site: Path) -> None:
    for page in fixture_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for host in ("unpkg.com", "cdn.jsdelivr", "fonts.googleapis", "cdnjs"):
            assert host not in text, (page, host)


def test_failed_build_keeps_previous_site(project: Path) -> None:
    site_project(project)
    site = project / "site"
    site.mkdir()
    (site / "marker.txt").write_text("previous build", encoding="utf-8")
    (project / "concepts" / "search" / "flat-index.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    with pytest.raises(KbError):
        build_project(project)
    assert (site / "marker.txt").read_text(encoding="utf-8") == "previous build"
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")], "no half-written temp dir left"


def test_report_a_wrong_fact_opens_the_form_with_the_page(project: Path) -> None:
    from urllib.parse import parse_qs, urlparse

    corpus = load_corpus(project, project / "concepts")
    md = build_pages(corpus, SiteInputs(repo_url="https://github.com/example/kb"))["search/flat-index.md"]
    link = next(line for line in md.splitlines() if "Report a wrong fact" in line).split("](", 1)[1].split(")", 1)[0]
    url = urlparse(link)
    assert (url.scheme, url.netloc, url.path) == ("https", "github.com", "/example/kb/issues/new")
    assert parse_qs(url.query) == {
        "template": ["report-a-wrong-fact.yml"],
        "title": ["Wrong fact: Flat index"],
        "page": ["concepts/search/flat-index.md"],
    }
    assert "Report a wrong fact" not in build_pages(corpus, SiteInputs())["search/flat-index.md"], "no repository, no link"
