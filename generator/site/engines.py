"""Running a site engine on the docs tree into a temporary folder, then swapping it in: never half-written.

The only MkDocs- and Zensical-specific code of the generator (with `kb serve`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import KbError
from ..caches import digest
from ..files import staged_folder, write_atomic
from .docs_tree import CONFIG_FILE, engine_config
from .search_index import write_search_index

ENGINES = ("mkdocs", "zensical")


def _mkdocs_logging(quiet: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)


def build_with_mkdocs(config_file: Path, out: Path, quiet: bool = False) -> None:
    """A strict MkDocs build of the generated config into `out`."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _mkdocs_logging(quiet)
    try:
        build(load_config(str(config_file), site_dir=str(out), strict=True))
    except (exceptions.Abort, exceptions.MkDocsException) as exc:
        raise KbError(f"site build failed, previous site kept: {exc}") from None


def build_offline_with_mkdocs(config_file: Path, out: Path, polyfills: list[str], quiet: bool = False) -> None:
    """A strict MkDocs build to read from file://: page.html links, no instant navigation, a Worker shim for search.

    Material reads `search/search_index.js` from file:// by itself; instant navigation needs fetch, which file:// refuses.
    """
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING if quiet else logging.INFO)
    try:
        config = load_config(str(config_file), site_dir=str(out), strict=True, use_directory_urls=False)
        config.theme["features"] = [f for f in config.theme["features"] if f != "navigation.instant"]
        config.extra["polyfills"] = polyfills
        build(config)
    except (exceptions.Abort, exceptions.MkDocsException) as exc:
        raise KbError(f"offline copy build failed, previous site kept: {exc}") from None


def zensical_command() -> list[str]:
    """How to run Zensical: its console script beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name("zensical")
    found = str(beside) if beside.is_file() else shutil.which("zensical")
    if not found:
        raise KbError("Zensical is not installed: pip install -e '.[zensical]' (optional engine)")
    return [found]


def build_with_zensical(root: Path, build_dir: Path, nav: list[object], out: Path, quiet: bool = False) -> None:
    """A strict Zensical build of the same docs tree into `out` (its own config, same content).

    Zensical wants its site folder inside the config's folder, so it builds into build/ and is moved.
    """
    config = build_dir / "zensical.yml"
    inner = build_dir / ".zensical-site"
    shutil.rmtree(inner, ignore_errors=True)
    config.write_text(engine_config(root, build_dir, build_dir / "docs", inner, nav), encoding="utf-8")
    result = subprocess.run(
        [*zensical_command(), "build", "--strict", "-f", str(config)],
        cwd=build_dir,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NO_COLOR": "1"},
    )
    if not quiet or result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
    if result.returncode != 0:
        shutil.rmtree(inner, ignore_errors=True)
        raise KbError(f"zensical build failed (exit {result.returncode}), previous site kept")
    out.rmdir()
    inner.rename(out)


STAMP = "site-stamp.json"


def site_fingerprint(root: Path, build_dir: Path, engine: str) -> str:
    """Everything a site depends on: the docs tree, the config, the theme overrides, the engine and its version."""
    from importlib.metadata import PackageNotFoundError, version

    parts: list[object] = [engine, os.environ.get("SITE_URL", ""), (build_dir / CONFIG_FILE).read_text(encoding="utf-8")]
    for package in ("mkdocs", "mkdocs-material", "zensical", "pymdown-extensions"):
        try:
            parts.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            parts.append(package)
    for code in sorted(Path(__file__).parent.glob("*.py")):  # what post-processes the built site (search index)
        parts.append((code.name, digest_file(code)))
    for folder in (build_dir / "docs", root / "site_overrides"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts.append((path.relative_to(folder).as_posix(), digest_file(path)))
    return digest(*parts)


def digest_file(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _site_stamp(site_dir: Path) -> list[object]:
    index = site_dir / "index.html"
    return [str(site_dir), index.stat().st_size, index.stat().st_mtime_ns] if index.is_file() else []


def build_site(
    root: Path, build_dir: Path, site_dir: Path, nav: list[object], engine: str = "mkdocs", quiet: bool = False, force: bool = True
) -> bool:
    """Build the docs tree with the chosen engine and replace `site_dir` only on success; True if it ran.

    Without `force`, a site already built from exactly these inputs (same fingerprint, untouched) is kept.
    """
    if engine not in ENGINES:
        raise KbError(f"unknown engine '{engine}' (known: {', '.join(ENGINES)})")
    stamp_file = build_dir / STAMP
    fingerprint = site_fingerprint(root, build_dir, engine)
    if not force and stamp_file.is_file():
        try:
            stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
            if stamp.get("fingerprint") == fingerprint and stamp.get("site") == _site_stamp(site_dir):
                return False
        except ValueError:
            pass
    stamp_file.unlink(missing_ok=True)
    with staged_folder(site_dir) as tmp:
        if engine == "mkdocs":
            build_with_mkdocs(build_dir / CONFIG_FILE, tmp, quiet)
        else:
            build_with_zensical(root, build_dir, nav, tmp, quiet)
        write_search_index(tmp)  # the prebuilt index kb-search.js answers from (no-op without Material's index)
    write_atomic(stamp_file, json.dumps({"fingerprint": fingerprint, "site": _site_stamp(site_dir)}))
    return True


def serve(config_file: Path, addr: str) -> None:
    """MkDocs' live-reloading server on the generated config (it watches the docs tree)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _mkdocs_logging(quiet=True)
    # dirty rebuilds (only changed pages) keep a large site live; MkDocs warns about them, so not strict here
    mkdocs_serve(str(config_file), dev_addr=addr, livereload=True, build_type="dirty", strict=False)
