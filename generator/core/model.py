"""The concept model: the schema of a concept file's front-matter and the loaded concept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, field_validator

from ..errors import Problem

if TYPE_CHECKING:
    from .paths import LearningPath

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ITEM_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFINITION_MAX_WORDS = 60
BODY_MIN_WORDS = 150
MIN_TRADEOFFS = 3
MIN_FAILURE_MODES = 3
MIN_QUESTIONS = 3

Text = StrictStr
Scalar = StrictInt | StrictFloat | StrictStr


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class Tradeoff(_Strict):
    """A design choice with what it gains and what it costs."""

    choice: Text
    gain: Text
    cost: Text

    _check = field_validator("choice", "gain", "cost")(_non_empty)


class FailureMode(_Strict):
    """A production failure: its name, the symptom and the fix."""

    id: Text | None = None
    name: Text
    symptom: Text
    fix: Text

    _check = field_validator("name", "symptom", "fix")(_non_empty)


class Question(_Strict):
    """An interview question with a short model answer."""

    id: Text | None = None
    q: Text
    a: Text

    _check = field_validator("q", "a")(_non_empty)


class NumberClaim(_Strict):
    """A numeric claim: either checked by an expression or cited to a source."""

    id: Text | None = None
    claim: Text
    value: Scalar
    tolerance: StrictFloat | StrictInt | None = None
    check: Text | None = None
    given: dict[str, Scalar] | None = None
    source: Text | None = None
    key: bool = False  # a figure worth memorising: it goes on the printable cheat sheet

    _check = field_validator("claim")(_non_empty)


class Source(_Strict):
    """A citation: authors, title, venue or publisher, year and an optional URL."""

    authors: Text
    title: Text
    venue: Text | None = None
    publisher: Text | None = None
    year: StrictInt = Field(ge=1800, le=2100)
    url: Text | None = None

    _check = field_validator("authors", "title")(_non_empty)


class FrontMatter(_Strict):
    """Every field a concept file's front-matter may hold."""

    title: Text
    aliases: list[Text] = []
    domain: Text
    tags: list[Text] = []
    level: Literal["core", "advanced"]
    definition: Text
    tradeoffs: list[Tradeoff] = Field(min_length=MIN_TRADEOFFS)
    failure_modes: list[FailureMode] = Field(min_length=MIN_FAILURE_MODES)
    numbers: list[NumberClaim]
    questions: list[Question] = Field(min_length=MIN_QUESTIONS)
    related: list[Text] = []
    sources: list[Source] = Field(min_length=1)

    _check = field_validator("title", "definition")(_non_empty)


FIELD_NAMES = tuple(FrontMatter.model_fields)


@dataclass(frozen=True)
class Domain:
    """A domain: folder slug, display title and navigation order."""

    slug: str
    title: str
    order: int
    noun: str = "concept"
    plural: str = "concepts"

    def count_text(self, n: int) -> str:
        """'1 concept', '18 case studies': the count in this domain's own words."""
        return f"{n} {self.noun if n == 1 else self.plural}"


@dataclass(frozen=True)
class Planned:
    """A concept planned but not yet written."""

    slug: str
    title: str
    domain: str
    scope: str = ""
    line: int = 0  # where planned.yaml lists it


@dataclass(frozen=True)
class BodyLink:
    """A `[[slug]]` link in a concept body and its line in the file."""

    slug: str
    line: int


@dataclass
class Concept:
    """A loaded, schema-valid concept file."""

    slug: str
    path: str
    meta: FrontMatter
    body: str
    body_line: int
    lines: dict[tuple[object, ...], int] = field(default_factory=dict)
    links: list[BodyLink] = field(default_factory=list)
    text_hash: str = ""

    @property
    def title(self) -> str:
        """The concept's display title."""
        return self.meta.title

    @property
    def domain(self) -> str:
        """The concept's domain slug."""
        return self.meta.domain

    @property
    def url_path(self) -> str:
        """The page's URL path below the site root (`retrieval/hnsw/`): the one home of a concept's address."""
        return f"{self.domain}/{self.slug}/"

    @property
    def doc_path(self) -> str:
        """The page's Markdown source inside the generated docs tree."""
        return f"{self.domain}/{self.slug}.md"

    def report_url(self, repo_url: str) -> str:
        """A link that opens the "Report a wrong fact" issue form with this page filled in ('' without a repository)."""
        if not repo_url.startswith("https://"):
            return ""
        query = urlencode({"template": "report-a-wrong-fact.yml", "title": f"Wrong fact: {self.title}", "page": self.path})
        return f"{repo_url.rstrip('/')}/issues/new?{query}"

    def outgoing(self) -> list[str]:
        """Slugs this concept links, curated `related` first, then body links, without itself or repeats."""
        slugs = dict.fromkeys([*self.meta.related, *(link.slug for link in self.links)])
        slugs.pop(self.slug, None)
        return list(slugs)

    def line_of(self, *path: object) -> int:
        """Line of the deepest known prefix of a front-matter key path."""
        for end in range(len(path), -1, -1):
            key = tuple(path[:end])
            if key in self.lines:
                return self.lines[key]
        return 1


def item_key(item: FailureMode | Question | NumberClaim, index: int) -> str:
    """The stable key of a list item: its explicit id, else its position."""
    return item.id if item.id is not None else str(index)


@dataclass
class NumberStats:
    """How the figures of a tree are known."""

    total: int = 0
    checked: int = 0
    cited: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counts as a JSON-ready mapping."""
        return {"total": self.total, "checked": self.checked, "cited": self.cited, "failed": self.failed}


@dataclass
class Corpus:
    """Every concept of a tree, with its domains, planned concepts and the problems found."""

    root: Path
    concepts_dir: Path
    concepts: dict[str, Concept]
    domains: list[Domain]
    planned: dict[str, Planned]
    problems: list[Problem] = field(default_factory=list)
    numbers: NumberStats = field(default_factory=NumberStats)
    paths: dict[str, LearningPath] = field(default_factory=dict)  # study paths, attached by the pipeline's check step

    def domain(self, slug: str) -> Domain | None:
        """The domain with this slug, if the project lists it."""
        return next((d for d in self.domains if d.slug == slug), None)

    def domain_title(self, slug: str) -> str:
        """A domain's display title (its slug when the project does not list it)."""
        domain = self.domain(slug)
        return domain.title if domain else slug

    def by_domain(self) -> dict[str, list[Concept]]:
        """Concepts grouped by domain in navigation order, each group sorted by title."""
        groups: dict[str, list[Concept]] = {d.slug: [] for d in self.domains}
        for concept in self.concepts.values():
            groups.setdefault(concept.domain, []).append(concept)
        return {k: sorted(v, key=lambda c: c.title.lower()) for k, v in groups.items()}

    def known(self, slug: str) -> bool:
        """True when the slug names a written or a planned concept."""
        return slug in self.concepts or slug in self.planned

    def titles(self) -> dict[str, str]:
        """Titles of written and planned concepts by slug: the one home of 'what is this slug called'."""
        return {**{s: p.title for s, p in self.planned.items()}, **{s: c.title for s, c in self.concepts.items()}}

    def referenced_by(self) -> dict[str, list[str]]:
        """For each slug, the concepts that link it (curated or in the body), sorted by title."""
        refs: dict[str, set[str]] = {}
        for concept in self.concepts.values():
            for slug in concept.outgoing():
                refs.setdefault(slug, set()).add(concept.slug)
        return {slug: sorted(found, key=lambda s: self.concepts[s].title.lower()) for slug, found in refs.items()}
