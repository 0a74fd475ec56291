"""The rules a concept tree must meet: per-file rules, numeric checks, links and cross-file rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..caches import JsonCache, digest
from ..errors import Problem
from .markdown import bad_link_targets, closed_fences, display_math_line, link_target_allowed, mask_code, word_count
from .model import (
    BODY_MIN_WORDS,
    DEFINITION_MAX_WORDS,
    ITEM_ID_RE,
    SLUG_RE,
    Concept,
    Corpus,
    FailureMode,
    NumberClaim,
    NumberStats,
    Planned,
    Question,
)

# Names are shown where MkDocs and Material treat a string as HTML (page <title>, navigation, tabs,
# header, search results): markup in them is refused at `kb check` rather than escaped.
MARKUP_RE = re.compile(r"[<>]|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)
HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})(.*)$")
FENCE_INFO_RE = re.compile(r"^[A-Za-z0-9_+-]*$")
NUMERIC_FILE = Path(__file__).with_name("numeric.py")
UNITS_FILE = Path(__file__).with_name("units.txt")
MERMAID_REFUSED = (
    (re.compile(r"^\s*click\b", re.I), "mermaid 'click' lines are not allowed (no callbacks or links from content)"),
    (re.compile(r"<\s*/?\s*[a-zA-Z!?]"), "HTML in a mermaid diagram is not allowed: write labels as plain text"),
    (re.compile(r"%%\s*\{"), "mermaid directives (%%{...}%%) are not allowed"),
    (re.compile(r"javascript:|href", re.I), "links in a mermaid diagram are not allowed"),
)


def markup_problem(text: str, what: str) -> str | None:
    """A message when a name holds markup: '<', '>' or an HTML entity such as '&lt;'."""
    found = MARKUP_RE.search(text)
    if found is None:
        return None
    return f"{what} must be plain text: '{found.group(0)}' is not allowed (it is shown in navigation and the page title)"


def check_salt() -> str:
    """Changes whenever the unit table or the evaluator changes, which invalidates every cached check."""
    return digest(*(p.read_text(encoding="utf-8") for p in (NUMERIC_FILE, UNITS_FILE)))[:16]


def math_problems(body: str, first_line: int) -> list[tuple[int, str]]:
    """`$$` that Markdown would not read as display math (inside a paragraph, or unpaired)."""
    lines = mask_code(body).split("\n")
    out: list[tuple[int, str]] = []
    open_at: int | None = None
    for i, line in enumerate(lines):
        if line.strip() == "$$":
            open_at = i if open_at is None else None
        elif "$$" in line and open_at is None and not display_math_line(lines, i):
            out.append((first_line + i, "display math must be a paragraph of its own: a blank line before and after '$$...$$'"))
    if open_at is not None:
        out.append((first_line + open_at, "display math opened with '$$' is never closed"))
    return out


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
        opening = FENCE_RE.match(lines[start])
        info = opening.group(2).strip() if opening else ""
        if not FENCE_INFO_RE.match(info):
            out.append((first_line + start, f"code fence info '{info}' must be a plain language name (no attributes)"))
        if info.lower() == "mermaid":
            for j in range(start + 1, end):
                out.extend((first_line + j, message) for pattern, message in MERMAID_REFUSED if pattern.search(lines[j]))
    return sorted(out)


def _file_rules(concept: Concept, path: Path, concepts_dir: Path, domains: set[str]) -> list[Problem]:
    out: list[Problem] = []
    meta, shown = concept.meta, concept.path

    def add(line: int, message: str) -> None:
        out.append(Problem(shown, line, message))

    if not SLUG_RE.match(concept.slug):
        add(1, f"file name '{path.name}' is not a valid slug: use lowercase letters, digits and single hyphens")
    rel = path.relative_to(concepts_dir)
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
    keyed: list[tuple[str, Sequence[FailureMode | Question | NumberClaim]]] = [
        ("failure_modes", meta.failure_modes),
        ("questions", meta.questions),
        ("numbers", meta.numbers),
    ]
    for key, items in keyed:
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
    names: list[tuple[tuple[object, ...], str]] = [(("title",), meta.title)]
    names += [(("aliases", i), alias) for i, alias in enumerate(meta.aliases)]
    for where, text in names:
        problem = markup_problem(text, "title" if where == ("title",) else "alias")
        if problem:
            add(concept.line_of(*where), problem)
    for line, message in body_code_problems(concept.body, concept.body_line) + math_problems(concept.body, concept.body_line):
        add(line, message)
    return out


def _number_rules(concept: Concept, stats: NumberStats, run_checks: bool, cache: JsonCache) -> list[Problem]:
    def cached(kind: str, compute: Callable[[], str | None], *parts: object) -> str | None:
        key = digest(kind, *parts)
        found = cache.get(key)
        if found is None:
            found = compute() or ""
            cache.put(key, found)
        return found or None

    def check_claim(*args: Any) -> str | None:
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


def _cross_rules(concepts: list[Concept], planned: dict[str, Planned]) -> list[Problem]:
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
                    f"slug '{concept.slug}' is also listed in concepts/planned.yaml (line {planned[concept.slug].line}): remove it there (`kb planned --prune`)",
                )
            )
    return out


def check_corpus(
    corpus: Corpus, loaded: list[tuple[Path, Concept]], focus: set[Path] | None, run_checks: bool, cache: JsonCache
) -> None:
    """Apply every rule to the loaded concepts, adding problems to the corpus (only for `focus` files when given)."""
    domain_slugs = {d.slug for d in corpus.domains}
    for path, concept in loaded:
        if focus is None or path in focus:
            corpus.problems.extend(_file_rules(concept, path, corpus.concepts_dir, domain_slugs))
            corpus.problems.extend(_number_rules(concept, corpus.numbers, run_checks, cache))
    known = set(corpus.concepts) | set(corpus.planned)
    focus_paths = {c.path for p, c in loaded if p in focus} if focus is not None else None
    cross = _cross_rules([c for _, c in loaded], corpus.planned)
    for _, concept in loaded:
        if focus_paths is None or concept.path in focus_paths:
            cross.extend(_link_rules(concept, known))
    corpus.problems.extend(p for p in cross if focus_paths is None or p.path in focus_paths)
