"""Problems found in concept files, reported as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem at a file and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """Return the problem as a JSON-ready mapping."""
        return {"path": self.path, "line": self.line, "message": self.message}


class KbError(Exception):
    """An error the user can act on; printed without a traceback."""
