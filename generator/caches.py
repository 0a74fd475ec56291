"""One kind of cache: a JSON file of key -> value, tied to a salt, written atomically and only when changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .files import write_atomic


def digest(*parts: object) -> str:
    """A stable sha256 key of JSON-serialisable parts."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class JsonCache:
    """Values by key in a JSON file; a different salt (code or model version) empties it."""

    path: Path | None
    salt: str = ""
    values: dict[str, str] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def open(cls, path: Path | None, salt: str) -> JsonCache:
        """Load the cache; a missing, broken or differently salted file gives an empty one."""
        cache = cls(path, salt)
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("salt") == salt and isinstance(data.get("values"), dict):
                    cache.values = {str(k): str(v) for k, v in data["values"].items()}
            except (ValueError, OSError):
                pass
        return cache

    def get(self, key: str) -> str | None:
        """The stored value, or None."""
        return self.values.get(key)

    def put(self, key: str, value: str) -> None:
        """Store a value (written at the next save)."""
        if self.values.get(key) != value:
            self.values[key] = value
            self.dirty = True

    def save(self, keep: set[str] | None = None) -> None:
        """Write the file if anything changed, keeping only `keep` when given (best effort on read-only trees)."""
        if keep is not None and set(self.values) - keep:
            self.values = {k: v for k, v in self.values.items() if k in keep}
            self.dirty = True
        if self.path is None or not self.dirty:
            return
        try:
            write_atomic(self.path, json.dumps({"salt": self.salt, "values": self.values}, sort_keys=True))
            self.dirty = False
        except OSError:
            pass
