"""Which Anki notes the knowledge base yields and what their fields hold: pure, no genanki."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..core.model import Concept, Corpus, item_key
from ..core.paths import paths_including
from .card_html import render_block, render_inline

KINDS = ("concept", "reverse", "question", "number", "failure")
MASK = "[…]"


@dataclass(frozen=True)
class Note:
    """One note: its kind, stable identity, fields in note-type order, tags and deck."""

    kind: str
    slug: str
    key: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    domain: str
    card_count: int = 1

    @property
    def identity(self) -> tuple[str, str, str]:
        """What the note's GUID is derived from: never its text."""
        return (self.slug, self.kind, self.key)


def page_url(site_url: str, concept: Concept) -> str:
    """Absolute URL of a concept's wiki page, or '' when no site URL is configured."""
    if not site_url:
        return ""
    return f"{site_url.rstrip('/')}/{concept.url_path}"


def mask_names(text: str, concept: Concept) -> str:
    """Hide the concept's own names (title, its parts, aliases) in a definition."""
    title = concept.meta.title
    names = {title, re.sub(r"\s*\(.*?\)\s*", " ", title).strip()}
    for inner in re.findall(r"\((.*?)\)", title):
        names.update(part.strip() for part in re.split(r"[,/;]| and ", inner))
    for part in re.split(r"\s*(?:&|/| and |,|:)\s*", re.sub(r"\(.*?\)", "", title)):
        if len(part.split()) >= 2 or part.isupper():
            names.add(part.strip())
    names.update(concept.meta.aliases)
    out = text
    for name in sorted((n for n in names if len(n) >= 3), key=len, reverse=True):
        out = re.sub(rf"(?<![\w-]){re.escape(name)}(?:s|es)?(?![\w-])", MASK, out, flags=re.I)
    return out


def _tags(concept: Concept, paths: list[str]) -> tuple[str, ...]:
    tags = {f"mlsd::{concept.domain}", f"mlsd::level::{concept.meta.level}", f"mlsd::concept::{concept.slug}"}
    tags.update(f"mlsd::tag::{t}" for t in concept.meta.tags)
    tags.update(f"mlsd::path::{p}" for p in paths)  # one per study path that includes the concept: a filtered deck per path
    return tuple(sorted(tags))


def _link_html(url: str, report: str = "") -> str:
    links = [f'<a href="{html.escape(url, quote=True)}">Open the wiki page</a>'] if url else []
    if report:
        links.append(f'<a href="{html.escape(report, quote=True)}">Report a wrong fact</a>')
    return " · ".join(links)


def build_notes(corpus: Corpus, related: dict[str, list[str]], site_url: str, repo_url: str = "") -> list[Note]:
    """Every note of every concept, in a deterministic order."""
    titles = corpus.titles()
    including = paths_including(corpus.paths)
    notes: list[Note] = []
    for slug in sorted(corpus.concepts):
        c = corpus.concepts[slug]
        domain = corpus.domain(c.domain)
        domain_title = html.escape(domain.title if domain else c.domain)
        title = html.escape(c.title)
        url = page_url(site_url, c)
        link = _link_html(url, c.report_url(repo_url))
        tags = _tags(c, including.get(slug, []))
        definition = render_inline(c.meta.definition, titles)
        tradeoffs = "".join(
            f"<li><b>{render_inline(t.choice, titles)}</b>: {render_inline(t.gain.rstrip('. '), titles)}; "
            f"<i>cost:</i> {render_inline(t.cost, titles)}</li>"
            for t in c.meta.tradeoffs[:3]
        )
        rel = related.get(slug, list(c.meta.related))
        related_html = ", ".join(html.escape(titles.get(s, s)) for s in rel)
        notes.append(
            Note(
                "concept",
                slug,
                "main",
                (title, domain_title, definition, f"<ul>{tradeoffs}</ul>", related_html, link),
                tags,
                c.domain,
            )
        )
        masked = render_inline(mask_names(c.meta.definition, c), titles)
        notes.append(Note("reverse", slug, "main", (masked, title, domain_title, link), tags, c.domain))
        for i, q in enumerate(c.meta.questions):
            notes.append(
                Note(
                    "question",
                    slug,
                    item_key(q, i),
                    (render_inline(q.q, titles), render_block(q.a, titles, url), title, link),
                    tags,
                    c.domain,
                )
            )
        for i, n in enumerate(c.meta.numbers):
            if n.check is not None:
                given = ", ".join(f"{html.escape(k)} = {html.escape(str(v))}" for k, v in (n.given or {}).items())
                how = f"Checked: <code>{html.escape(n.check)}</code>" + (f" with {given}" if given else "")
            else:
                how = f"Source: {render_inline(n.source or '', titles)}"
            notes.append(
                Note(
                    "number",
                    slug,
                    item_key(n, i),
                    (render_inline(n.claim, titles), html.escape(str(n.value)), how, title, link),
                    tags,
                    c.domain,
                )
            )
        for i, f in enumerate(c.meta.failure_modes):
            notes.append(
                Note(
                    "failure",
                    slug,
                    item_key(f, i),
                    (title, render_inline(f.symptom, titles), render_inline(f.name, titles), render_inline(f.fix, titles), link),
                    tags,
                    c.domain,
                )
            )
    return notes


def count_by_kind(notes: list[Note]) -> dict[str, int]:
    """Number of cards per kind."""
    counts = dict.fromkeys(KINDS, 0)
    for note in notes:
        counts[note.kind] += note.card_count
    return counts


def cards_by_kind(corpus: Corpus) -> dict[str, int]:
    """How many cards of each kind `build_notes` yields, counted without rendering them."""
    concepts = list(corpus.concepts.values())
    return {
        "concept": len(concepts),
        "reverse": len(concepts),
        "question": sum(len(c.meta.questions) for c in concepts),
        "number": sum(len(c.meta.numbers) for c in concepts),
        "failure": sum(len(c.meta.failure_modes) for c in concepts),
    }


def card_total(corpus: Corpus) -> int:
    """How many cards the corpus yields."""
    return sum(cards_by_kind(corpus).values())
