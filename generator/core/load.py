"""Loading a concept tree: files, front-matter, safe YAML, schema with line numbers, domains and planned concepts."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..caches import JsonCache
from ..errors import KbError, Problem
from .markdown import find_links
from .model import FIELD_NAMES, Concept, Corpus, Domain, FrontMatter, Planned
from .rules import check_corpus, check_salt, markup_problem
from .yamlsrc import YamlDoc, YamlSyntaxError, load_yaml

MAX_FILE_BYTES = 256 * 1024
# C0/C1 controls but tab and newline: Markdown uses some as internal placeholders.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FENCE = "---"


def display_path(path: Path, root: Path) -> str:
    """The path as shown in messages: relative to the project root when inside it."""
    try:
        return (path if path.is_absolute() else path.resolve()).relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text, refusing empty, oversized and non-UTF-8 files."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 1, f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(shown, 1, f"file is {len(raw) // 1024} KB, over the limit of {MAX_FILE_BYTES // 1024} KB")]
    if not raw.strip():
        return None, [Problem(shown, 1, "file is empty")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    control = CONTROL_RE.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        return None, [Problem(shown, line, f"control character U+{ord(control.group(0)):04X} is not allowed in a concept file")]
    return text, []


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split into (front-matter, body, first line of body); None when there is no front-matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() == FENCE:
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2
    return None


def schema_message(err: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence a writer can act on."""
    loc = [str(p) for p in err["loc"]]
    where = ".".join(loc) if loc else "front-matter"
    kind = err["type"]
    field = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing required field '{field}'" + (f" in {'.'.join(loc[:-1])}" if len(loc) > 1 else "")
    if kind == "extra_forbidden":
        choices = FIELD_NAMES if len(loc) == 1 else ()
        near = difflib.get_close_matches(field, choices, n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        return f"unknown field '{field}'{hint}" + (f" in {'.'.join(loc[:-1])}" if len(loc) > 1 else "")
    if kind == "too_short":
        ctx = err.get("ctx", {})
        return f"'{where}' needs at least {ctx.get('min_length')} items, has {ctx.get('actual_length')}"
    if kind in ("string_type", "str_type"):
        return f"'{where}' must be text, got {type(err['input']).__name__}"
    if kind in ("list_type",):
        return f"'{where}' must be a list, got {type(err['input']).__name__}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{where}' must be a mapping of fields, got {type(err['input']).__name__}"
    if kind == "literal_error":
        return f"'{where}' must be one of {err['ctx']['expected']}, got {err['input']!r}"
    if kind == "int_type":
        return f"'{where}' must be a whole number, got {type(err['input']).__name__}"
    if kind == "float_type":
        return f"'{where}' must be a number, got {type(err['input']).__name__}"
    if kind == "value_error":
        return f"'{where}' {str(err['msg']).removeprefix('Value error, ')}"
    return f"'{where}': {err['msg']}"


def schema_problems(
    exc: ValidationError, doc: YamlDoc, shown: str, message: Callable[[Mapping[str, Any]], str] = schema_message
) -> list[Problem]:
    """Every schema error at the line of its field, worded by `message`."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        # Unions report one error per branch: keep the loc without the branch name.
        if len(loc) >= 1 and isinstance(loc[-1], str) and loc[-1] in ("int", "float", "str", "constrained-str"):
            loc = loc[:-1]
            err = {**err, "loc": loc}
        problems.append(Problem(shown, doc.line_of(loc), message(err)))
    return sorted(set(problems))


def load_concept(path: Path, root: Path) -> tuple[Concept | None, list[Problem]]:
    """Load one concept file; return the concept (None if unusable) and every problem found."""
    shown = display_path(path, root)
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    parts = split_front_matter(text)
    if parts is None:
        return None, [Problem(shown, 1, "no front-matter: the file must start with a '---' line and close it with another")]
    front, body, body_line = parts
    try:
        doc = load_yaml(front, line_offset=1)
    except YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, exc.message)]
    problems = [Problem(shown, line, msg) for line, msg in doc.problems]
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else type(doc.data).__name__
        return None, problems + [Problem(shown, 2, f"front-matter must be a mapping of fields, got {kind}")]
    try:
        meta = FrontMatter.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + schema_problems(exc, doc, shown)
    slug = path.stem
    concept = Concept(
        slug=slug,
        path=shown,
        meta=meta,
        body=body,
        body_line=body_line,
        lines=doc.lines,
        links=find_links(body, body_line),
        text_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    return concept, problems


def load_domains(concepts_dir: Path, root: Path) -> list[Domain]:
    """Read concepts/domains.yaml: the project's list of domains."""
    path = concepts_dir / "domains.yaml"
    shown = display_path(path, root)
    if not path.is_file():
        raise KbError(f"{shown}:1: missing: the project must list its domains here")
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except (YamlSyntaxError, UnicodeDecodeError) as exc:
        raise KbError(f"{shown}:{getattr(exc, 'line', 1)}: {getattr(exc, 'message', exc)}") from None
    items = (doc.data or {}).get("domains") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise KbError(f"{shown}:1: expected a 'domains:' list")
    domains = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not {"slug", "title"} <= set(item):
            raise KbError(f"{shown}:{doc.line_of(('domains', i))}: each domain needs slug and title")
        for key in ("title", "noun", "plural"):
            problem = markup_problem(str(item.get(key, "")), f"domain {key}")
            if problem:
                raise KbError(f"{shown}:{doc.line_of(('domains', i, key))}: {problem}")
        noun = str(item.get("noun", "concept"))
        plural = str(item.get("plural", noun + "s"))
        domains.append(Domain(str(item["slug"]), str(item["title"]), int(item.get("order", i + 1)), noun, plural))
    return sorted(domains, key=lambda d: (d.order, d.slug))


def load_planned(concepts_dir: Path, root: Path) -> tuple[list[Planned], list[Problem]]:
    """Read concepts/planned.yaml; return its entries (each with its line) and problems."""
    path = concepts_dir / "planned.yaml"
    shown = display_path(path, root)
    if not path.is_file():
        return [], []
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        return [], [Problem(shown, exc.line, exc.message)]
    items = doc.data.get("planned") if isinstance(doc.data, dict) else None
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [Problem(shown, doc.line_of(("planned",)), "'planned' must be a list")]
    out: list[Planned] = []
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for i, item in enumerate(items):
        line = doc.line_of(("planned", i))
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("slug", "title", "domain")):
            problems.append(Problem(shown, line, "each planned concept needs slug, title and domain as text"))
            continue
        if item["slug"] in lines:
            problems.append(Problem(shown, line, f"planned slug '{item['slug']}' is listed twice"))
            continue
        problem = markup_problem(item["title"], "planned title")
        if problem:
            problems.append(Problem(shown, doc.line_of(("planned", i, "title")), problem))
        lines[item["slug"]] = line
        out.append(Planned(item["slug"], item["title"], item["domain"], str(item.get("scope", "")), line))
    return out, problems


def concept_files(concepts_dir: Path) -> list[Path]:
    """Every concept file below the concepts folder, in a stable order."""
    return sorted(p for p in concepts_dir.rglob("*.md") if p.is_file())


def load_corpus(
    root: Path, concepts_dir: Path, only: list[Path] | None = None, run_checks: bool = True, cache_dir: Path | None = None
) -> Corpus:
    """Load and validate a tree once; with `only`, report problems only for those files.

    Outcomes of numeric checks are cached in `cache_dir` (none when it is None).
    """
    concepts_dir = concepts_dir.resolve()
    cache = JsonCache.open(cache_dir / "checks.json" if cache_dir else None, check_salt())
    domains = load_domains(concepts_dir, root)
    planned_list, planned_problems = load_planned(concepts_dir, root)
    corpus = Corpus(root, concepts_dir, {}, domains, {p.slug: p for p in planned_list}, list(planned_problems))
    focus = {p.resolve() for p in only} if only else None
    loaded: list[tuple[Path, Concept]] = []
    for path in concept_files(concepts_dir):
        concept, problems = load_concept(path, root)
        if focus is None or path in focus:
            corpus.problems.extend(problems)
        if concept is not None:
            loaded.append((path, concept))
            corpus.concepts.setdefault(concept.slug, concept)
    for path in sorted(focus or ()):
        if not path.is_file():
            corpus.problems.append(Problem(display_path(path, root), 1, "no such file"))
    check_corpus(corpus, loaded, focus, run_checks, cache)
    if focus is None:
        domain_slugs = {d.slug for d in domains}
        shown = display_path(concepts_dir / "planned.yaml", root)
        for p in planned_list:
            if p.domain not in domain_slugs:
                corpus.problems.append(Problem(shown, p.line, f"planned concept '{p.slug}' has unknown domain '{p.domain}'"))
    corpus.problems = sorted(set(corpus.problems))
    cache.save()
    return corpus
