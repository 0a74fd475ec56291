"""The docs tree: one pipeline, the same site as before, a second engine, live reload, each concept loaded once."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator import pipeline
from generator.core import load
from generator.errors import KbError
from generator.settings import load_settings
from generator.site.engines import build_site
from generator.site.pages import navigation

from .conftest import FIXTURES, ROOT, build_project, site_project
from .site_manifest import site_manifest

GOLDEN = FIXTURES / "golden" / "site-manifest.json"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "project", project)
    return site_project(project)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project built by the pipeline with MkDocs (no decks, as the golden was)."""
    project = _project(tmp_path_factory.mktemp("engines"))
    build_project(project, decks=False)
    return project


def test_docs_tree_gives_the_recorded_site(built: Path) -> None:
    """Same pages, links and visible text as recorded in tests/fixtures/golden/site-manifest.json.

    First recorded from the MkDocs-plugin build before the docs tree replaced it (identical), then
    re-recorded when a feature changed pages on purpose (study paths: home, downloads, paths, practice,
    mock). To re-record: build the fixture project and run `python -m tests.site_manifest SITE_DIR`.
    """
    assert site_manifest(built / "site") == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_docs_tree_is_plain_markdown_with_nav_and_config(built: Path) -> None:
    docs = built / "build" / "docs"
    assert (docs / "search" / "flat-index.md").read_text(encoding="utf-8").startswith("---\ntitle:")
    nav = json.loads((built / "build" / "nav.json").read_text(encoding="utf-8"))
    assert nav[0] == {"Home": "index.md"}
    config = (built / "build" / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'docs_dir: "docs"' in config and "\nnav:\n" in config
    assert not (built / "site" / "docs").exists(), "no copy of the assets under site/docs"
    assert (built / "site" / "assets" / "kb.css").is_file()


def test_a_build_loads_each_concept_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    second = (FIXTURES / "project" / "concepts" / "search" / "flat-index.md").read_text(encoding="utf-8")
    second = second.replace("title: Flat index", "title: IVF index").replace("aliases: [brute-force search]", "aliases: [IVF]")
    (project / "concepts" / "search" / "ivf-index.md").write_text(second, encoding="utf-8")
    calls: list[Path] = []
    real = load.load_concept

    def counting(path: Path, root: Path) -> tuple[object, object]:
        calls.append(path)
        return real(path, root)

    monkeypatch.setattr(load, "load_concept", counting)
    pipeline.build(load_settings(project), related=False, quiet=True, epoch="1700000000")
    assert sorted(p.name for p in calls) == ["flat-index.md", "ivf-index.md"]


def test_zensical_builds_the_same_pages_and_indexes_every_title_and_alias(built: Path, tmp_path: Path) -> None:
    pytest.importorskip("zensical")
    settings = load_settings(built)
    corpus = pipeline.load_valid(settings)
    out = tmp_path / "zsite"
    build_site(settings.root, settings.build_dir, out, navigation(corpus), engine="zensical", quiet=True)
    pages = {p.relative_to(out).as_posix() for p in out.rglob("index.html")}
    assert pages == {p.relative_to(built / "site").as_posix() for p in (built / "site").rglob("index.html")}
    index = json.loads((out / "search.json").read_text(encoding="utf-8"))
    titles = {item["title"] for item in index["items"]}
    tags = {tag for item in index["items"] for tag in item.get("tags", [])}
    for concept in corpus.concepts.values():
        assert concept.title in titles, concept.title
        for alias in concept.meta.aliases:
            assert alias in tags, alias


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_broken_link_in_the_tree_fails_the_engine_and_keeps_the_site(built: Path, engine: str) -> None:
    if engine == "zensical":
        pytest.importorskip("zensical")
    settings = load_settings(built)
    corpus = pipeline.load_valid(settings)
    page = settings.docs_dir / "search" / "flat-index.md"
    original = page.read_text(encoding="utf-8")
    marker = built / "site" / "marker.txt"
    marker.write_text("previous build", encoding="utf-8")
    page.write_text(original + "\n\nSee [the missing page](missing-page.md).\n", encoding="utf-8")
    try:
        with pytest.raises(KbError, match="failed"):
            build_site(settings.root, settings.build_dir, settings.site_dir, navigation(corpus), engine=engine, quiet=True)
    finally:
        page.write_text(original, encoding="utf-8")
    assert marker.read_text(encoding="utf-8") == "previous build"
    marker.unlink()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
        return str(response.read().decode("utf-8"))


def test_serve_reloads_an_edited_concept_without_restart(tmp_path: Path) -> None:
    project = _project(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/search/flat-index/"
    try:

        def wait_for(text: str, bound: float = 60) -> bool:
            end = time.monotonic() + bound
            while time.monotonic() < end:
                try:
                    if text in _get(url):
                        return True
                except OSError:
                    pass
                time.sleep(0.3)
            return False

        assert wait_for("exact k nearest"), "the server serves the page"
        page = project / "concepts" / "search" / "flat-index.md"
        page.write_text(page.read_text(encoding="utf-8").replace("exact k nearest", "truly exact k nearest"), encoding="utf-8")
        assert wait_for("truly exact k nearest"), "the edit shows without a restart"
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_an_unchanged_build_keeps_the_site_and_a_change_rebuilds_it(tmp_path: Path) -> None:
    project = _project(tmp_path)
    settings = load_settings(project)
    first = pipeline.build(settings, related=False, quiet=True, epoch="1700000000", force=False)
    assert "site" in first.seconds
    again = pipeline.build(settings, related=False, quiet=True, epoch="1700000000", force=False)
    assert "site (up to date)" in again.seconds, "same inputs: the engine does not run again"
    page = project / "concepts" / "search" / "flat-index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("exact k nearest", "truly exact k nearest"), encoding="utf-8")
    changed = pipeline.build(settings, related=False, quiet=True, epoch="1700000000", force=False)
    assert "site" in changed.seconds
    assert "truly exact k nearest" in (project / "site" / "search" / "flat-index" / "index.html").read_text(encoding="utf-8")
    (project / "site" / "index.html").unlink()
    assert "site" in pipeline.build(settings, related=False, quiet=True, epoch="1700000000", force=False).seconds
