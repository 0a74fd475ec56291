"""Which wiki pages exist and what Markdown each gets, and the navigation as data: pure, no MkDocs."""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jinja2

from ..core.model import Concept, Corpus, NumberClaim, Planned
from ..core.paths import ordered
from .escape import Resolver, attr, inline, safe_markdown
from .learn import CASE_STUDIES, learn_nav, learn_pages, path_cards, paths_line
from ..core.stats import figure_counts
from .escape import attr, inline, safe_markdown

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Download:
    """A file the downloads page offers (a deck)."""

    title: str
    file: str
    cards: int


@dataclass(frozen=True)
class OfflineCopy:
    """The zipped offline copy of the site the downloads page offers."""

    path: Path
    bytes: int

    @property
    def file(self) -> str:
        """Its file name under downloads/."""
        return self.path.name


@dataclass
class SiteInputs:
    """Everything the pages need beyond the corpus: computed neighbours and question links, downloads, card count, the map."""

    similar: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    questions: dict[str, list[list[str]]] = field(default_factory=dict)
    downloads: list[Download] = field(default_factory=list)
    card_count: int = 0
    map_svg: str = ""
    map_legend: str = ""
    repo_url: str = ""
    offline: OfflineCopy | None = None


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # output is Markdown; every content field goes through a safe filter
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["inline"] = lambda text: inline(str(text))
    env.filters["attr"] = attr
    env.filters["htmlattr"] = lambda text: html.escape(" ".join(str(text).split()), quote=True)
    env.filters["linktext"] = lambda url: inline(url.split("://", 1)[-1].rstrip("/"))
    env.filters["urlsafe"] = lambda url: url.replace(" ", "%20").replace(")", "%29").replace("(", "%28").replace("<", "%3C")
    return env


class Linker:
    """Turns [[slug]] into a relative Markdown link, or a 'wanted' span for planned concepts."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def for_page(self, page: str) -> Resolver:
        """A resolver for links written on the page at `page`."""
        base = posixpath.dirname(page)

        def resolve(slug: str, text: str | None = None) -> str:
            target = self.corpus.concepts.get(slug)
            if target is not None:
                label = inline(text) if text else inline(target.title)
                return f"[{label}]({posixpath.relpath(target.doc_path, base or '.')})"
            planned = self.corpus.planned.get(slug)
            if planned is not None:
                label = inline(text) if text else inline(planned.title)
                return f'<span class="kb-wanted" title="Planned concept: {attr(planned.title)}">{label}</span>'
            return f"[[{inline(slug)}]]"

        return resolve


def how_known(claim: NumberClaim) -> str:
    """The 'how it is known' cell of a figure: its check with inputs, or its source (text markers, no emoji)."""
    if claim.check is not None:
        inputs = ", ".join(f"{inline(k)} = {inline(str(v))}" for k, v in (claim.given or {}).items())
        expr = claim.check.replace("`", "'")
        return f"*checked:* `{expr}`" + (f" with {inputs}" if inputs else "")
    return f"*cited:* {inline(claim.source or '')}"


def figure_value(value: object) -> str:
    """A figure's value as shown: large whole numbers with thousands separators (25,557,032), else as written."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) >= 10_000:
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:,}"
    text = str(value)
    lead = re.match(r"(\d{5,})(?![\d.,eE])(.*)", text)  # "200000 token" -> "200,000 token"
    return f"{int(lead.group(1)):,}{lead.group(2)}" if lead else text


def render_concept(concept: Concept, corpus: Corpus, inputs: SiteInputs, refs: dict[str, list[str]]) -> str:
    """The Markdown of one concept page."""
    page = concept.doc_path
    resolve = Linker(corpus).for_page(page)
    domain = corpus.domain(concept.domain)
    numbers = [{"claim": n.claim, "value": figure_value(n.value), "how": how_known(n)} for n in concept.meta.numbers]
    return (
        _env()
        .get_template("concept.md.j2")
        .render(
            c=concept,
            domain=domain,
            body=safe_markdown(concept.body.strip(), resolve),
            numbers=numbers,
            related=[resolve(s, None) for s in concept.meta.related],
            similar=[resolve(s, None) for s, _ in inputs.similar.get(concept.slug, [])],
            referenced_by=[resolve(s, None) for s in refs.get(concept.slug, [])],
            study=paths_line(concept, corpus, page),
            rel=lambda target: posixpath.relpath(target, posixpath.dirname(page)),
            report=concept.report_url(inputs.repo_url),
        )
    )


def _grouped(corpus: Corpus, rows_of: Callable[[Concept], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    groups = []
    for domain in corpus.domains:
        rows = [row for c in corpus.by_domain().get(domain.slug, []) for row in rows_of(c)]
        if rows:
            groups.append({"domain": domain, "rows": rows})
    return groups


def figure_groups(corpus: Corpus, key_only: bool = False) -> list[dict[str, object]]:
    """Figures by domain (only those marked `key: true` for the cheat sheet), with their shown value."""
    return _grouped(
        corpus,
        lambda c: [{"concept": c, "claim": x, "value": figure_value(x.value)} for x in c.meta.numbers if x.key or not key_only],
    )


def _row_count(groups: list[dict[str, object]]) -> int:
    return sum(len(cast(list[object], g["rows"])) for g in groups)


@dataclass(frozen=True)
class WantedRow:
    """A planned concept and how many written pages link to it."""

    planned: Planned
    count: int
    domain_title: str


def wanted_rows(corpus: Corpus) -> list[WantedRow]:
    """Planned concepts with how many written pages link to them, most linked first."""
    counts: Counter[str] = Counter()
    for concept in corpus.concepts.values():
        for slug in concept.outgoing():
            if slug in corpus.planned:
                counts[slug] += 1
    rows = [WantedRow(p, counts[slug], corpus.domain_title(p.domain)) for slug, p in corpus.planned.items()]
    return sorted(rows, key=lambda r: (-r.count, r.planned.title.lower()))


def _nth(lists: list[list[str]], i: int) -> list[str]:
    return lists[i] if i < len(lists) else []


def build_pages(corpus: Corpus, inputs: SiteInputs) -> dict[str, str]:
    """Every generated page: docs-relative path → Markdown."""
    env = _env()
    refs = corpus.referenced_by()
    pages: dict[str, str] = {}
    by_domain = corpus.by_domain()
    for concept in corpus.concepts.values():
        pages[concept.doc_path] = render_concept(concept, corpus, inputs, refs)
    domain_cards = []
    for domain in corpus.domains:
        concepts = by_domain.get(domain.slug, [])
        planned = sorted((p for p in corpus.planned.values() if p.domain == domain.slug), key=lambda p: p.title.lower())
        pages[f"{domain.slug}/index.md"] = env.get_template("domain.md.j2").render(
            domain=domain, concepts=concepts, planned=planned
        )
        domain_cards.append(
            {"slug": domain.slug, "title": domain.title, "count": domain.count_text(len(concepts)), "planned": len(planned)}
        )
    figures = figure_counts(corpus)
    counts = {
        "concepts": len(corpus.concepts),
        "cards": inputs.card_count,
        "checked": figures.checked,
        "cited": figures.cited,
        "planned": len(corpus.planned),
        "cases": len(by_domain.get(CASE_STUDIES, [])),
        "questions": sum(len(c.meta.questions) for c in corpus.concepts.values()),
    }
    pages["index.md"] = env.get_template("home.md.j2").render(counts=counts, domains=domain_cards, paths=path_cards(corpus))
    pages.update(learn_pages(corpus, env))
    key_groups = figure_groups(corpus, key_only=True)
    pages["cheatsheet.md"] = env.get_template("cheatsheet.md.j2").render(groups=key_groups, total=_row_count(key_groups))
    all_groups = figure_groups(corpus)
    pages["figures.md"] = env.get_template("figures.md.j2").render(groups=all_groups, total=_row_count(all_groups))
    to_questions = Linker(corpus).for_page("questions.md")
    question_groups = _grouped(
        corpus,
        lambda c: [
            {"concept": c, "q": q, "see": [to_questions(s, None) for s in _nth(inputs.questions.get(c.slug, []), i)]}
            for i, q in enumerate(c.meta.questions)
        ],
    )
    pages["questions.md"] = env.get_template("questions.md.j2").render(
        groups=question_groups,
        total=_row_count(question_groups),
    )
    tags: dict[str, list[Concept]] = {}
    for concept in corpus.concepts.values():
        for tag in concept.meta.tags:
            tags.setdefault(tag, []).append(concept)
    pages["tags.md"] = env.get_template("tags.md.j2").render(
        tags=[(t, sorted(cs, key=lambda c: c.title.lower())) for t, cs in sorted(tags.items())]
    )
    pages["wanted.md"] = env.get_template("wanted.md.j2").render(wanted=wanted_rows(corpus))
    pages["downloads.md"] = downloads_page(corpus, inputs)
    pages["map.md"] = env.get_template("map.md.j2").render(
        svg=inputs.map_svg or "*The map is drawn when related concepts are computed (`make build`).*",
        legend=inputs.map_legend,
    )
    return pages


def downloads_page(corpus: Corpus, inputs: SiteInputs, reading_offline: bool = False) -> str:
    """The downloads page: decks, a filtered deck per path, the offline copy (or, inside it, what it is)."""
    return (
        _env()
        .get_template("downloads.md.j2")
        .render(decks=inputs.downloads, paths=ordered(corpus.paths), offline=inputs.offline, reading_offline=reading_offline)
    )


def navigation(corpus: Corpus) -> list[object]:
    """The MkDocs `nav`: home, one tab per domain, then the reference pages."""
    nav: list[object] = [{"Home": "index.md"}, *learn_nav(corpus)]
    by_domain = corpus.by_domain()
    for domain in corpus.domains:
        entries: list[object] = [{"Overview": f"{domain.slug}/index.md"}]
        entries += [{c.title: c.doc_path} for c in by_domain.get(domain.slug, [])]
        nav.append({domain.title: entries})
    nav.append(
        {
            "Reference": [
                {"Cheat sheet": "cheatsheet.md"},
                {"Figure index": "figures.md"},
                {"Question bank": "questions.md"},
                {"Concept map": "map.md"},
                {"Tags": "tags.md"},
                {"Wanted concepts": "wanted.md"},
                {"Downloads": "downloads.md"},
            ]
        }
    )
    return nav
