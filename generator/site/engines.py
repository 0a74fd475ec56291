"""Running a site engine on the docs tree into a temporary folder, then swapping it in: never half-written.

The only MkDocs- and Zensical-specific code of the generator (with `kb serve`).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import KbError
from ..files import staged_folder
from .docs_tree import CONFIG_FILE, engine_config
from .search_index import write_search_index

ENGINES = ("mkdocs", "zensical")


def build_with_mkdocs(config_file: Path, out: Path, quiet: bool = False) -> None:
    """A strict MkDocs build of the generated config into `out`."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    try:
        build(load_config(str(config_file), site_dir=str(out), strict=True))
    except (exceptions.Abort, exceptions.MkDocsException) as exc:
        raise KbError(f"site build failed, previous site kept: {exc}") from None


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
        [*zensical_command(), "build", "--strict", "--clean", "-f", str(config)],
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


def build_site(root: Path, build_dir: Path, site_dir: Path, nav: list[object], engine: str = "mkdocs", quiet: bool = False) -> None:
    """Build the docs tree with the chosen engine and replace `site_dir` only on success."""
    if engine not in ENGINES:
        raise KbError(f"unknown engine '{engine}' (known: {', '.join(ENGINES)})")
    with staged_folder(site_dir) as tmp:
        if engine == "mkdocs":
            build_with_mkdocs(build_dir / CONFIG_FILE, tmp, quiet)
        else:
            build_with_zensical(root, build_dir, nav, tmp, quiet)
        write_search_index(tmp)  # the prebuilt index kb-search.js answers from (no-op without Material's index)


def serve(config_file: Path, addr: str) -> None:
    """MkDocs' live-reloading server on the generated config (it watches the docs tree)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(str(config_file), dev_addr=addr, livereload=True)
