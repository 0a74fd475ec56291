"""Study paths: `paths/<slug>.yaml` files, their schema and the rules `kb check` applies to them."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError, field_validator

from ..errors import Problem
from .load import display_path, read_text, schema_message, schema_problems
from .model import SLUG_RE, Corpus
from .rules import markup_problem
from .yamlsrc import YamlDoc, YamlSyntaxError, load_yaml

MAX_STAGE_HOURS = 200
PATH_FIELDS = ("title", "for", "summary", "order", "stages")
STAGE_FIELDS = ("title", "hours", "concepts", "checklist")


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class Stage(BaseModel):
    """One stage of a path (a few days or a week): what to study, how long, and what the learner can then do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: StrictStr
    hours: StrictInt | StrictFloat = Field(gt=0, le=MAX_STAGE_HOURS)
    concepts: list[StrictStr]
    checklist: list[StrictStr] = Field(min_length=1)

    _check = field_validator("title")(_non_empty)


class PathFile(BaseModel):
    """Every field a path file may hold (`for` is a Python keyword, so it is read through an alias)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    title: StrictStr
    audience: StrictStr = Field(alias="for")
    summary: StrictStr
    order: StrictInt = 100  # where the path is listed: lowest first, then by title
    stages: list[Stage] = Field(min_length=1)

    _check = field_validator("title", "audience", "summary")(_non_empty)


@dataclass
class LearningPath:
    """A loaded, valid path file."""

    slug: str
    path: str
    meta: PathFile
    lines: dict[tuple[object, ...], int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The path's display title."""
        return self.meta.title

    @property
    def hours(self) -> float:
        """The path's total time estimate in hours."""
        return sum(float(s.hours) for s in self.meta.stages)

    @property
    def doc_path(self) -> str:
        """The path page's Markdown source inside the generated docs tree."""
        return f"paths/{self.slug}.md"

    def slugs(self) -> list[str]:
        """Every concept and case-study slug of the path, in study order."""
        return [slug for stage in self.meta.stages for slug in stage.concepts]


def path_files(paths_dir: Path) -> list[Path]:
    """Every path file of the project, in a stable order."""
    return sorted(p for p in paths_dir.glob("*.yaml") if p.is_file()) if paths_dir.is_dir() else []


def _message(err: Mapping[str, Any]) -> str:
    """Path-file wording for the errors that differ from a concept's (fields, hours); the rest as for concepts."""
    loc = [str(p) for p in err["loc"]]
    where = ".".join(loc) if loc else "path file"
    kind, name = err["type"], (loc[-1] if loc else "")
    inside = f" in {'.'.join(loc[:-1])}" if len(loc) > 1 else ""
    if kind == "extra_forbidden":
        choices = PATH_FIELDS if len(loc) == 1 else STAGE_FIELDS
        near = difflib.get_close_matches(name, choices, n=1)
        return f"unknown field '{name}'{inside}" + (
            f" (did you mean '{near[0]}'?)" if near else f" (known: {', '.join(choices)})"
        )
    if kind == "too_short":
        return f"'{where}' needs at least {err.get('ctx', {}).get('min_length')} item(s), has {err.get('ctx', {}).get('actual_length')}"
    if kind in ("int_type", "float_type"):
        return f"'{where}' must be a number of hours, got {type(err['input']).__name__}"
    if kind in ("greater_than", "less_than_equal"):
        return f"'{where}' must be more than 0 and at most {MAX_STAGE_HOURS} hours, got {err['input']!r}"
    return schema_message(err)


def _rules(lp: LearningPath, corpus: Corpus) -> list[Problem]:
    """Slugs that name nothing, empty stages, a slug listed twice, markup in the title."""
    out: list[Problem] = []

    def add(where: tuple[object, ...], message: str) -> None:
        out.append(Problem(lp.path, YamlDoc(None, lp.lines).line_of(where), message))

    if not SLUG_RE.match(lp.slug):
        out.append(Problem(lp.path, 1, f"file name '{lp.slug}.yaml' is not a valid slug (lowercase letters, digits, hyphens)"))
    problem = markup_problem(lp.meta.title, "path title")
    if problem:
        add(("title",), problem)
    known = sorted(corpus.titles())
    first: dict[str, tuple[int, int]] = {}
    for s, stage in enumerate(lp.meta.stages):
        if not stage.concepts:
            add(
                ("stages", s, "concepts"),
                f"stage {s + 1} ('{stage.title}') has no concepts: list the concept and case-study slugs to study",
            )
        for i, slug in enumerate(stage.concepts):
            where = ("stages", s, "concepts", i)
            if slug in first:
                stage_no, line = first[slug]
                add(where, f"slug '{slug}' is already in this path (stage {stage_no}, line {line})")
                continue
            first[slug] = (s + 1, YamlDoc(None, lp.lines).line_of(where))
            if not corpus.known(slug):
                near = difflib.get_close_matches(slug, known, n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                add(where, f"unknown slug '{slug}': no concept, case study or planned concept has it{hint}")
    return out


def load_path(path: Path, corpus: Corpus) -> tuple[LearningPath | None, list[Problem]]:
    """Load one path file and apply its rules against the corpus; the path is None when unusable."""
    shown = display_path(path, corpus.root)
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    try:
        doc = load_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, exc.message)]
    problems = [Problem(shown, line, message) for line, message in doc.problems]
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else type(doc.data).__name__
        return None, problems + [Problem(shown, 1, f"a path file must be a mapping of fields, got {kind}")]
    try:
        meta = PathFile.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + schema_problems(exc, doc, shown, _message)
    lp = LearningPath(path.stem, shown, meta, doc.lines)
    return lp, problems + _rules(lp, corpus)


def load_paths(paths_dir: Path, corpus: Corpus, only: list[Path] | None = None) -> tuple[dict[str, LearningPath], list[Problem]]:
    """Every valid path by slug, and the problems of every path file (only of `only`'s files when given)."""
    focus = {p.resolve() for p in only} if only else None
    found: dict[str, LearningPath] = {}
    problems: list[Problem] = []
    titles: dict[str, str] = {}
    for path in path_files(paths_dir):
        lp, own = load_path(path, corpus)
        if lp is not None and lp.title in titles:
            own.append(
                Problem(lp.path, lp.lines.get(("title",), 1), f"path title '{lp.title}' is also used by {titles[lp.title]}")
            )
        if focus is None or path.resolve() in focus:
            problems.extend(own)
        if lp is not None:
            titles.setdefault(lp.title, lp.path)
            found[lp.slug] = lp
    return found, sorted(set(problems))


def ordered(paths: dict[str, LearningPath]) -> list[LearningPath]:
    """The paths in listing order: their `order`, then title."""
    return sorted(paths.values(), key=lambda p: (p.meta.order, p.title.lower()))


def paths_including(paths: dict[str, LearningPath]) -> dict[str, list[str]]:
    """For each concept slug, the slugs of the paths that include it, in path order."""
    out: dict[str, list[str]] = {}
    for lp in ordered(paths):
        for concept in dict.fromkeys(lp.slugs()):
            out.setdefault(concept, []).append(lp.slug)
    return out
