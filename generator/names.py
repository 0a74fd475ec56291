"""Names shown as HTML by the theme (titles, aliases, domain titles) must be plain text."""

from __future__ import annotations

import re

# Names are shown where MkDocs and Material treat a string as HTML (page <title>, navigation, tabs,
# header, search results): markup in them is refused at `kb check` rather than escaped.
MARKUP_RE = re.compile(r"[<>]|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)


def markup_problem(text: str, what: str) -> str | None:
    """A message when a name holds markup: '<', '>' or an HTML entity such as '&lt;'."""
    found = MARKUP_RE.search(text)
    if found is None:
        return None
    return f"{what} must be plain text: '{found.group(0)}' is not allowed (it is shown in navigation and the page title)"
