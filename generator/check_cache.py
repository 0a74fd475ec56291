"""Results of numeric checks cached by the hash of everything they depend on: unchanged figures skip pint."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .planned import write_atomic

UNITS_FILE = Path(__file__).with_name("units.txt")
NUMERIC_FILE = Path(__file__).with_name("numeric.py")


def _salt() -> str:
    """Changes whenever the unit table or the evaluator changes, which invalidates every entry."""
    digest = hashlib.sha256()
    for path in (UNITS_FILE, NUMERIC_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class CheckCache:
    """Maps a check's key to its outcome ('' when it holds, else the problem message)."""

    path: Path | None
    results: dict[str, str] = field(default_factory=dict)
    dirty: bool = False
    salt: str = ""

    @classmethod
    def open(cls, path: Path | None) -> CheckCache:
        """Load the cache (a missing or broken file gives an empty one)."""
        cache = cls(path, salt=_salt())
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("salt") == cache.salt:
                    cache.results = {str(k): str(v) for k, v in data.get("results", {}).items()}
            except (ValueError, AttributeError):
                pass
        return cache

    def key(self, *parts: object) -> str:
        """Key of one check from its expression, inputs, value and tolerance."""
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def save(self) -> None:
        """Write the cache if anything was added (best effort: a read-only tree is fine)."""
        if self.path is None or not self.dirty:
            return
        try:
            write_atomic(self.path, json.dumps({"salt": self.salt, "results": self.results}))
        except OSError:
            pass
