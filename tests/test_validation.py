"""Each bad input has a fixture; each assertion names the message and the line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.core.load import load_corpus

from .conftest import FIXTURES, GOOD, run_kb

BAD = FIXTURES / "bad"

# fixture file -> (line, text the message must contain)
CASES: dict[str, tuple[int, str]] = {
    "malformed-yaml.md": (2, "malformed YAML: did not find expected ',' or ']'"),
    "duplicate-key.md": (7, "duplicate key 'level' (first at line 6)"),
    "unknown-key.md": (10, "unknown field 'tradeofs' (did you mean 'tradeoffs'?)"),
    "wrong-type.md": (6, "'tags' must be a list, got int"),
    "missing-field.md": (2, "missing required field 'definition'"),
    "list-too-short.md": (10, "'tradeoffs' needs at least 3 items, has 2"),
    "Flat_Index.md": (1, "file name 'Flat_Index.md' is not a valid slug"),
    "domain-mismatch.md": (4, "domain 'serving' differs from the folder 'search'"),
    "unknown-related.md": (45, "related slug 'hnsw-idx' names no concept (written or planned)"),
    "unknown-link.md": (59, "link [[hnsw-indx]] names no concept (written or planned)"),
    "check-fails.md": (32, "check gives 51.2 GB, value is 102.4 GB"),
    "unit-mismatch.md": (32, "unit mismatch: check gives [information]"),
    "gigabit-vs-gigabyte.md": (32, "check gives 409.6 Gb, value is 51.2 Gb"),
    "unknown-name.md": (33, "unknown name 'dims' in check"),
    "not-arithmetic.md": (33, "call '__import__('os').system' is not allowed"),
    "attribute-access.md": (33, "'items.real' is not plain arithmetic"),
    "check-and-source.md": (31, "a number needs exactly one of 'check' (with 'given') or 'source'"),
    "neither-check-nor-source.md": (35, "a number needs exactly one of 'check' (with 'given') or 'source'"),
    "unknown-unit.md": (34, "given 'bytes_per_float' '4 bytez': unknown unit 'bytez'"),
    "not-utf8.md": (61, "file is not UTF-8"),
    "empty.md": (1, "file is empty"),
    "too-large.md": (1, "over the limit of 256 KB"),
    "not-a-mapping.md": (2, "front-matter must be a mapping of fields, got list"),
    "unsafe-tag.md": (2, "refused YAML tag or value"),
    "long-definition.md": (7, "definition has 81 words, the limit is 60"),
    "short-body.md": (53, "body has 4 words, at least 150 are needed"),
    "hnsw-index.md": (1, "slug 'hnsw-index' is also listed in concepts/planned.yaml (line 2)"),
    "no-front-matter.md": (1, "no front-matter"),
    "bad-level.md": (6, "'level' must be one of 'core' or 'advanced', got 'expert'"),
    "bad-year.md": (50, "'sources.0.year' must be a whole number, got str"),
    # hostile input from a stranger's pull request (SECURITY.md): refused with its line
    "title-script.md": (2, "title must be plain text: '<' is not allowed"),
    "title-img.md": (2, "title must be plain text: '<' is not allowed"),
    "alias-svg.md": (3, "alias must be plain text: '<' is not allowed"),
    "tag-markup.md": (5, "tag '<b>x</b>' must be lowercase letters, digits and hyphens"),
    "source-url-javascript.md": (51, "source url 'javascript:alert(1)' must be an https:// URL"),
    "source-url-protocol-relative.md": (51, "source url '//evil.example/x' must be an https:// URL"),
    "body-javascript-link.md": (61, "Markdown link to 'javascript:alert(1)' is not allowed"),
    "body-data-link.md": (61, "Markdown link to 'data:text/html;base64,PHNjcmlwdD4=' is not allowed"),
    "body-vbscript-link.md": (61, "Markdown link to 'vbscript:msgbox(1)' is not allowed"),
    "mermaid-click.md": (64, "mermaid 'click' lines are not allowed"),
    "mermaid-html.md": (63, "HTML in a mermaid diagram is not allowed"),
    "fence-attributes.md": (61, "code fence info 'python {onclick=alert(1)}' must be a plain language name"),
    "yaml-alias-bomb.md": (2, "YAML anchor '&a' is not allowed"),
    "deep-nesting.md": (5, "nesting deeper than 12 levels"),
    "long-list.md": (3, "a list or mapping has more than 2000 items"),
    "unclosed-fence.md": (80, "code fence is never closed"),
    "control-character.md": (16, "control character U+0002 is not allowed"),
}


def _install(project: Path, name: str, keep_good: bool = False) -> Path:
    folder = project / "concepts" / "search"
    if not keep_good:
        (folder / "flat-index.md").unlink()
    dest = folder / name
    shutil.copyfile(BAD / name, dest)
    return dest


def test_every_fixture_has_a_case() -> None:
    assert {p.name for p in BAD.glob("*.md")} == set(CASES) | {"dup-alias.md"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_at_its_line(project: Path, name: str) -> None:
    _install(project, name)
    line, text = CASES[name]
    corpus = load_corpus(project, project / "concepts")
    shown = f"concepts/search/{name}"
    hits = [p for p in corpus.problems if p.path == shown and text in p.message]
    assert hits, f"expected '{text}' in {[str(p) for p in corpus.problems]}"
    assert hits[0].line == line, str(hits[0])


def test_duplicate_alias_across_files(project: Path) -> None:
    _install(project, "dup-alias.md", keep_good=True)
    corpus = load_corpus(project, project / "concepts")
    messages = [str(p) for p in corpus.problems]
    assert any(
        "concepts/search/flat-index.md:3: alias 'brute-force search' is also the title of concepts/search/dup-alias.md" in m
        for m in messages
    ), messages


def test_cli_reports_all_problems_in_one_run_without_traceback(project: Path) -> None:
    for name in ("check-fails.md", "duplicate-key.md", "unknown-link.md", "not-utf8.md"):
        _install(project, name, keep_good=True)
    result = run_kb("check", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert "concepts/search/check-fails.md:32: check gives 51.2 GB, value is 102.4 GB (50.0% off, tolerance 1.0%)" in lines
    assert any(line.startswith("concepts/search/duplicate-key.md:7: duplicate key") for line in lines)
    assert any(line.startswith("concepts/search/unknown-link.md:59: link [[hnsw-indx]]") for line in lines)
    assert any(line.startswith("concepts/search/not-utf8.md:61: file is not UTF-8") for line in lines)


def test_cli_json_report(project: Path) -> None:
    _install(project, "check-fails.md")
    result = run_kb("check", "--json", cwd=project)
    report = json.loads(result.stdout)
    assert report["concepts"] == 1
    assert report["numbers"] == {"total": 2, "checked": 1, "cited": 1, "failed": 1}
    assert report["errors"] == [
        {
            "path": "concepts/search/check-fails.md",
            "line": 32,
            "message": "check gives 51.2 GB, value is 102.4 GB (50.0% off, tolerance 1.0%)",
        }
    ]


def test_cli_github_annotations(project: Path) -> None:
    _install(project, "check-fails.md")
    result = run_kb("check", "--format", "github", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        # GitHub's workflow-command format escapes '%' as '%25' in the message
        "::error file=concepts/search/check-fails.md,line=32::check gives 51.2 GB, value is 102.4 GB (50.0%25 off, tolerance 1.0%25)"
    ]


def test_cli_works_from_a_subfolder_and_checks_named_files(project: Path) -> None:
    sub = project / "concepts" / "search"
    ok = run_kb("check", "flat-index.md", cwd=sub)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    _install(project, "check-fails.md")
    bad = run_kb("check", "check-fails.md", cwd=sub)
    assert bad.returncode == 1
    assert bad.stdout.startswith("concepts/search/check-fails.md:32:")


def test_named_file_still_sees_cross_file_rules(project: Path) -> None:
    _install(project, "dup-alias.md", keep_good=True)
    result = run_kb("check", "concepts/search/flat-index.md", cwd=project)
    assert result.returncode == 1
    assert "alias 'brute-force search' is also the title of concepts/search/dup-alias.md" in result.stdout


def test_good_fixture_passes(project: Path) -> None:
    corpus = load_corpus(project, project / "concepts")
    assert corpus.problems == []
    assert corpus.numbers.as_dict() == {"total": 2, "checked": 1, "cited": 1, "failed": 0}
    assert GOOD.is_file()


def test_a_relative_concepts_folder_works(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    corpus = load_corpus(Path("."), Path("concepts"))
    assert corpus.problems == [] and list(corpus.concepts) == ["flat-index"]
