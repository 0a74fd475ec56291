"""Building the site with MkDocs into a temporary folder, then swapping it in: never half-written."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from .problems import KbError


def build_site(root: Path, site_dir: Path, config_file: str = "mkdocs.yml", quiet: bool = False) -> None:
    """Run a strict MkDocs build into a temp dir and replace `site_dir` only on success."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", dir=site_dir.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a site is served to others
    try:
        config = load_config(str(root / config_file), site_dir=str(tmp), strict=True)
        build(config)
    except exceptions.Abort as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise KbError(f"site build failed, previous site kept: {exc}") from None
    except exceptions.MkDocsException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise KbError(f"site build failed, previous site kept: {exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, site_dir)


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with `new` by two renames, removing the old copy afterwards."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
