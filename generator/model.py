"""The concept model: the schema of a concept file's front-matter and the loaded concept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, field_validator

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

    @property
    def is_checked(self) -> bool:
        """True when the figure carries a check expression."""
        return self.check is not None


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
