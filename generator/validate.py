"""Validation of a concept tree: per-file rules, numeric checks and cross-file rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .check_cache import CheckCache
from .links import bad_link_targets, link_target_allowed, word_count
from .loader import display_path, load_concept, load_domains, load_planned
from .mdtext import closed_fences
from .model import (
    BODY_MIN_WORDS,
    DEFINITION_MAX_WORDS,
    ITEM_ID_RE,
    SLUG_RE,
    Concept,
    Domain,
    Planned,
)
from .names import markup_problem
from .problems import Problem

HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})(.*)$")
FENCE_INFO_RE = re.compile(r"^[A-Za-z0-9_+-]*$")
MERMAID_REFUSED = (
    (re.compile(r"^\s*click\b", re.I), "mermaid 'click' lines are not allowed (no callbacks or links from content)"),
    (re.compile(r"<\s*/?\s*[a-zA-Z!?]"), "HTML in a mermaid diagram is not allowed: write labels as plain text"),
    (re.compile(r"%%\s*\{"), "mermaid directives (%%{...}%%) are not allowed"),
    (re.compile(r"javascript:|href", re.I), "links in a mermaid diagram are not allowed"),
)


def body_code_problems(body: str, first_line: int) -> list[tuple[int, str]]:
    """Unclosed fences, fences whose info string is more than a language name, and mermaid lines that could act."""
    out: list[tuple[int, str]] = []
    lines = body.split("\n")
    fences = closed_fences(lines)
    for i, line in enumerate(lines):
        match = FENCE_RE.match(line)
        if match is None or i in fences or any(start < i <= end for start, end in fences.items()):
            continue
        out.append((first_line + i, "code fence is never closed: close it with the same fence on a line of its own"))
    for start, end in fences.items():
        info = FENCE_RE.match(lines[start]).group(2).strip()  # type: ignore[union-attr]
        if not FENCE_INFO_RE.match(info):
            out.append((first_line + start, f"code fence info '{info}' must be a plain language name (no attributes)"))
        if info.lower() == "mermaid":
            for j in range(start + 1, end):
                out.extend((first_line + j, message) for pattern, message in MERMAID_REFUSED if pattern.search(lines[j]))
    return sorted(out)


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

    def domain(self, slug: str) -> Domain | None:
        """The domain with this slug, if the project lists it."""
        return next((d for d in self.domains if d.slug == slug), None)

    def by_domain(self) -> dict[str, list[Concept]]:
        """Concepts grouped by domain in navigation order, each group sorted by title."""
        groups: dict[str, list[Concept]] = {d.slug: [] for d in self.domains}
        for concept in self.concepts.values():
            groups.setdefault(concept.domain, []).append(concept)
        return {k: sorted(v, key=lambda c: c.title.lower()) for k, v in groups.items()}

    def known(self, slug: str) -> bool:
        """True when the slug names a written or a planned concept."""
        return slug in self.concepts or slug in self.planned


def concept_files(concepts_dir: Path) -> list[Path]:
    """Every concept file below the concepts folder, in a stable order."""
    return sorted(p for p in concepts_dir.rglob("*.md") if p.is_file())


def _file_rules(concept: Concept, path: Path, concepts_dir: Path, domains: set[str]) -> list[Problem]:
    out: list[Problem] = []
    meta, shown = concept.meta, concept.path

    def add(line: int, message: str) -> None:
        out.append(Problem(shown, line, message))

    if not SLUG_RE.match(concept.slug):
        add(1, f"file name '{path.name}' is not a valid slug: use lowercase letters, digits and single hyphens")
    rel = path.resolve().relative_to(concepts_dir.resolve())
    folder = rel.parts[0] if len(rel.parts) > 1 else ""
    if len(rel.parts) != 2:
        add(1, "concept files must sit directly in concepts/<domain>/")
    if meta.domain != folder:
        add(concept.line_of("domain"), f"domain '{meta.domain}' differs from the folder '{folder}'")
    if meta.domain not in domains:
        add(concept.line_of("domain"), f"unknown domain '{meta.domain}' (domains: {', '.join(sorted(domains))})")
    words = len(meta.definition.split())
    if words > DEFINITION_MAX_WORDS:
        add(concept.line_of("definition"), f"definition has {words} words, the limit is {DEFINITION_MAX_WORDS}")
    if HTML_RE.search(meta.definition) or "[[" in meta.definition or "](" in meta.definition:
        add(concept.line_of("definition"), "definition must be plain text: no HTML, Markdown links or [[links]]")
    body_words = word_count(concept.body)
    if body_words < BODY_MIN_WORDS:
        add(concept.body_line, f"body has {body_words} words, at least {BODY_MIN_WORDS} are needed")
    for key, items in (("failure_modes", meta.failure_modes), ("questions", meta.questions), ("numbers", meta.numbers)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id is None:
                continue
            if not ITEM_ID_RE.match(item.id):
                add(concept.line_of(key, i, "id"), f"id '{item.id}' must be lowercase letters, digits and hyphens")
            if item.id in seen:
                add(concept.line_of(key, i, "id"), f"id '{item.id}' is used twice in {key}")
            seen.add(item.id)
    if "TODO" in concept.body or "TODO" in meta.model_dump_json():
        add(1, "unfinished: replace every TODO left by `kb new`")
    for i, tag in enumerate(meta.tags):
        if not SLUG_RE.match(tag):
            add(concept.line_of("tags", i), f"tag '{tag}' must be lowercase letters, digits and hyphens")
    for i, source in enumerate(meta.sources):
        if not (source.venue or source.publisher):
            add(concept.line_of("sources", i), "source needs a venue or a publisher")
        if source.url is not None and not link_target_allowed(source.url):
            add(concept.line_of("sources", i, "url"), f"source url '{source.url}' must be an https:// URL")
    for key, text in [("title", meta.title)] + [(("aliases", i), a) for i, a in enumerate(meta.aliases)]:
        problem = markup_problem(text, "title" if key == "title" else "alias")
        if problem:
            add(concept.line_of(*(key if isinstance(key, tuple) else (key,))), problem)
    for line, message in body_code_problems(concept.body, concept.body_line):
        add(line, message)
    return out


def _number_rules(concept: Concept, stats: NumberStats, run_checks: bool, cache: CheckCache) -> list[Problem]:
    def cached(kind: str, compute, *parts: object) -> str | None:  # type: ignore[no-untyped-def]
        key = cache.key(kind, *parts)
        if key not in cache.results:
            cache.results[key] = compute() or ""
            cache.dirty = True
        return cache.results[key] or None

    def check_claim(*args: object) -> str | None:
        from .numeric import check_claim as run

        return cached("check", lambda: run(*args), *args)

    def value_problem(value: object) -> str | None:
        from .numeric import value_problem as run

        return cached("value", lambda: run(value), value)

    out: list[Problem] = []
    for i, claim in enumerate(concept.meta.numbers):
        stats.total += 1
        line = concept.line_of("numbers", i)
        if (claim.check is None) == (claim.source is None):
            out.append(Problem(concept.path, line, "a number needs exactly one of 'check' (with 'given') or 'source'"))
            stats.failed += 1
            continue
        if claim.source is not None:
            stats.cited += 1
            problem = value_problem(claim.value) if run_checks else None
            if problem:
                out.append(Problem(concept.path, concept.line_of("numbers", i, "value"), problem))
            if claim.given is not None or claim.tolerance is not None:
                out.append(Problem(concept.path, line, "'given' and 'tolerance' belong with 'check', not with 'source'"))
            if not claim.source.strip():
                out.append(Problem(concept.path, concept.line_of("numbers", i, "source"), "'source' must not be empty"))
            continue
        stats.checked += 1
        if not run_checks:
            continue
        problem = check_claim(claim.check or "", dict(claim.given or {}), claim.value, claim.tolerance)
        if problem:
            stats.failed += 1
            key = "value" if problem.startswith(("check gives", "unit mismatch")) else "check"
            if problem.startswith("given '"):
                name = problem.split("'")[1]
                where = concept.line_of("numbers", i, "given", name)
            else:
                where = concept.line_of("numbers", i, key)
            out.append(Problem(concept.path, where, problem))
    return out


LINK_HINT = "use [[slug]] between concepts, an https:// URL, or wrap math in $...$"


def _markdown_link_rules(concept: Concept) -> list[Problem]:
    out = [
        Problem(concept.path, line, f"Markdown link to '{target}' is not allowed: {LINK_HINT}")
        for target, line in bad_link_targets(concept.body, concept.body_line)
    ]
    meta = concept.meta
    fields: list[tuple[tuple[object, ...], str]] = [(("definition",), meta.definition)]
    for key, items, names in (
        ("tradeoffs", meta.tradeoffs, ("choice", "gain", "cost")),
        ("failure_modes", meta.failure_modes, ("name", "symptom", "fix")),
        ("questions", meta.questions, ("q", "a")),
        ("numbers", meta.numbers, ("claim",)),
    ):
        for i, item in enumerate(items):
            fields += [((key, i, name), getattr(item, name)) for name in names]
    for path, text in fields:
        for target, _ in bad_link_targets(text):
            out.append(Problem(concept.path, concept.line_of(*path), f"Markdown link to '{target}' is not allowed: {LINK_HINT}"))
    return out


def _link_rules(concept: Concept, known: set[str]) -> list[Problem]:
    out = _markdown_link_rules(concept)
    for i, slug in enumerate(concept.meta.related):
        if slug == concept.slug:
            out.append(Problem(concept.path, concept.line_of("related", i), "a concept cannot list itself as related"))
        elif slug not in known:
            out.append(
                Problem(
                    concept.path, concept.line_of("related", i), f"related slug '{slug}' names no concept (written or planned)"
                )
            )
    for link in concept.links:
        if link.slug not in known:
            out.append(Problem(concept.path, link.line, f"link [[{link.slug}]] names no concept (written or planned)"))
    return out


def _cross_rules(
    concepts: list[Concept], planned: dict[str, Planned], planned_lines: dict[str, int], planned_path: str
) -> list[Problem]:
    out = []
    names: dict[str, tuple[Concept, str]] = {}
    slugs: dict[str, Concept] = {}
    for concept in concepts:
        if concept.slug in slugs:
            other = slugs[concept.slug]
            out.append(Problem(concept.path, 1, f"slug '{concept.slug}' is also used by {other.path}"))
        slugs.setdefault(concept.slug, concept)
        labels = [("title", concept.meta.title, concept.line_of("title"))]
        labels += [("alias", a, concept.line_of("aliases", i)) for i, a in enumerate(concept.meta.aliases)]
        for kind, label, line in labels:
            key = " ".join(label.lower().split())
            if key in names and names[key][0] is not concept:
                other, other_kind = names[key]
                out.append(Problem(concept.path, line, f"{kind} '{label}' is also the {other_kind} of {other.path}"))
            elif key in names:
                out.append(Problem(concept.path, line, f"{kind} '{label}' repeats this concept's own {names[key][1]}"))
            else:
                names[key] = (concept, kind)
        if concept.slug in planned:
            out.append(
                Problem(
                    concept.path,
                    1,
                    f"slug '{concept.slug}' is also listed in concepts/planned.yaml (line {planned_lines[concept.slug]}): remove it there (`kb planned --prune`)",
                )
            )
    return out


def load_corpus(
    root: Path, concepts_dir: Path, only: list[Path] | None = None, run_checks: bool = True, cache_dir: Path | None = None
) -> Corpus:
    """Load and validate a tree; with `only`, report problems only for those files.

    Outcomes of numeric checks are cached under `cache_dir` (default: <root>/.cache/kb).
    """
    cache = CheckCache.open((cache_dir or root / ".cache" / "kb") / "checks.json")
    domains = load_domains(concepts_dir, root)
    domain_slugs = {d.slug for d in domains}
    planned_list, planned_lines, planned_problems = load_planned(concepts_dir, root)
    planned = {p.slug: p for p in planned_list}
    corpus = Corpus(root, concepts_dir, {}, domains, planned, list(planned_problems))
    only_set = {p.resolve() for p in only} if only else None
    loaded: list[tuple[Path, Concept]] = []
    for path in concept_files(concepts_dir):
        concept, problems = load_concept(path, root)
        focus = only_set is None or path.resolve() in only_set
        if focus:
            corpus.problems.extend(problems)
        if concept is None:
            continue
        loaded.append((path, concept))
        corpus.concepts.setdefault(concept.slug, concept)
        if focus:
            corpus.problems.extend(_file_rules(concept, path, concepts_dir, domain_slugs))
            corpus.problems.extend(_number_rules(concept, corpus.numbers, run_checks, cache))
    if only_set:
        for path in only_set:
            if not path.is_file():
                corpus.problems.append(Problem(display_path(path, root), 1, "no such file"))
    known = set(corpus.concepts) | set(planned)
    focus_paths = {display_path(p, root) for p in only_set} if only_set else None
    cross = _cross_rules([c for _, c in loaded], planned, planned_lines, display_path(concepts_dir / "planned.yaml", root))
    for _, concept in loaded:
        if focus_paths is None or concept.path in focus_paths:
            cross.extend(_link_rules(concept, known))
    corpus.problems.extend(p for p in cross if focus_paths is None or p.path in focus_paths)
    for slug, p in planned.items():
        if p.domain not in domain_slugs and only_set is None:
            corpus.problems.append(
                Problem(
                    display_path(concepts_dir / "planned.yaml", root),
                    planned_lines[slug],
                    f"planned concept '{slug}' has unknown domain '{p.domain}'",
                )
            )
    corpus.problems = sorted(set(corpus.problems))
    cache.save()
    return corpus
