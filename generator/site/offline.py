"""The offline study copy: the same pages built to be read from file://, zipped for the downloads page.

From file:// a browser refuses fetch and Web Workers. So the copy is built with page.html links and
without instant navigation (both need a server), Material's search index is written as a script
(`search/search_index.js`, which Material loads by itself from file://), and a vendored shim runs
the search worker in a hidden iframe. KaTeX, mermaid and the study code are local files already.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

from ..core.model import Corpus
from ..files import staged_folder, write_if_changed
from .docs_tree import CONFIG_FILE, write_docs_tree
from .learn import learn_data
from .pages import OfflineCopy, SiteInputs, downloads_page

OFFLINE_DIR = "offline"
SHIM = "assets/offline/iframe-worker.js"
SKIPPED = {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}  # useless from disk, or replaced by the script
README = """Offline copy of {title}

Open index.html in your browser (double-click it). Everything works from these files with no
network: search, math, diagrams, study paths, progress, practice and mock interviews. Tested in
Chromium; progress is kept by the browser for files opened from disk (export it on the Study paths
page to move it).
"""


def search_index_script(site: Path) -> None:
    """Write Material's search index as the script it loads from file:// (`var __index = {...}`)."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
        (site / "search" / "search_index.js").write_text(f"var __index = {text};\n", encoding="utf-8")


def zip_site(site: Path, out: Path, folder: str, title: str) -> None:
    """Zip a built site under one top folder, files in a stable order with a fixed date (same input, same bytes)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, the earliest date a zip can hold
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() not in SKIPPED)
    tmp = out.with_name(f".{out.name}.tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{folder}/{name}", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16  # readable by everyone, whatever the build machine's umask
        return info

    with zipfile.ZipFile(tmp, "w") as z:
        z.writestr(entry("README.txt"), README.format(title=title), compresslevel=6)
        for path in files:
            z.writestr(entry(path.relative_to(site).as_posix()), path.read_bytes(), compresslevel=6)
    tmp.replace(out)


def build_offline_copy(
    root: Path, build_dir: Path, name: str, title: str, corpus: Corpus, inputs: SiteInputs, pages: dict[str, str], nav: list[object], quiet: bool = False
) -> OfflineCopy:
    """Write the offline docs tree (build/offline/docs), build it for file:// and zip it; returns the zip."""
    from .engines import build_offline_with_mkdocs, site_fingerprint

    folder = build_dir / OFFLINE_DIR
    docs = folder / "docs"
    own = {**pages, "downloads.md": downloads_page(corpus, inputs, reading_offline=True)}
    write_docs_tree(root, folder, folder / "site", own, nav, [])
    for rel, text in learn_data(corpus, dir_urls=False).items():
        write_if_changed(docs / rel, text)
    out = folder / f"{name}-offline.zip"
    stamp = folder / "offline-stamp.json"
    fingerprint = site_fingerprint(root, folder, "offline") + os.environ.get("SOURCE_DATE_EPOCH", "")
    if out.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == json.dumps([fingerprint, out.stat().st_size]):
        return OfflineCopy(out, out.stat().st_size)  # same inputs: the zip already holds this copy
    stamp.unlink(missing_ok=True)
    with staged_folder(folder / "site") as site:
        build_offline_with_mkdocs(folder / CONFIG_FILE, site, [SHIM], quiet)
        search_index_script(site)
        zip_site(site, out, f"{name}-offline", title)
    write_if_changed(stamp, json.dumps([fingerprint, out.stat().st_size]))
    return OfflineCopy(out, out.stat().st_size)
