"""Study paths are checked like concept files: each bad path file has a fixture, each assertion its line and message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.core.paths import paths_including
from generator.settings import load_settings

from .conftest import FIXTURES, ROOT, run_kb
from .learn_project import add_path

BAD = FIXTURES / "bad_paths"

# fixture file -> every (line, message) kb check must report for it, and nothing else
CASES: dict[str, list[tuple[int, str]]] = {
    "unknown-slug.yaml": [
        (9, "unknown slug 'hnsw-indx': no concept, case study or planned concept has it (did you mean 'hnsw-index'?)")
    ],
    "empty-stage.yaml": [(11, "stage 2 ('Day 2') has no concepts: list the concept and case-study slugs to study")],
    "duplicate-slug.yaml": [(13, "slug 'flat-index' is already in this path (stage 1, line 7)")],
    "unknown-key.yaml": [
        (5, "missing required field 'hours' in stages.0"),
        (6, "unknown field 'hour' in stages.0 (did you mean 'hours'?)"),
    ],
    "missing-for.yaml": [(1, "missing required field 'for'")],
    "zero-hours.yaml": [(6, "'stages.0.hours' must be more than 0 and at most 200 hours, got 0")],
    "hours-text.yaml": [(6, "'stages.0.hours' must be a number of hours, got str")],
    "no-checklist.yaml": [(8, "'stages.0.checklist' needs at least 1 item(s), has 0")],
    "no-stages.yaml": [(4, "'stages' needs at least 1 item(s), has 0")],
    "title-markup.yaml": [(1, "path title must be plain text: '<' is not allowed")],
    "duplicate-key.yaml": [(4, "duplicate key 'summary' (first at line 3); YAML would keep only the last")],
    "malformed.yaml": [(7, "malformed YAML: did not find expected ',' or ']'")],
    "not-a-mapping.yaml": [(1, "a path file must be a mapping of fields, got list")],
    "anchors.yaml": [(3, "YAML anchor '&s' is not allowed: write the value out")],
    "Bad_Name.yaml": [(1, "file name 'Bad_Name.yaml' is not a valid slug")],
    "twin-title.yaml": [(1, "path title 'Search basics' is also used by paths/search-basics.yaml")],
}


def test_every_fixture_has_a_case() -> None:
    assert {p.name for p in BAD.glob("*.yaml")} == set(CASES)


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project (one good path naming a planned concept) with every bad path file beside it."""
    project = tmp_path_factory.mktemp("paths") / "proj"
    shutil.copytree(FIXTURES / "project", project)
    add_path(project)
    for name in CASES:
        shutil.copyfile(BAD / name, project / "paths" / name)
    return project


def test_the_fixture_path_is_valid_and_may_name_planned_concepts(project: Path) -> None:
    corpus = pipeline.check(load_settings(add_path(project)))
    assert corpus.problems == []
    path = corpus.paths["search-basics"]
    assert path.slugs() == ["flat-index", "hnsw-index", "batching"]
    assert "hnsw-index" in corpus.planned, "a planned slug is allowed (shown as wanted)"
    assert path.hours == 3.5
    assert paths_including(corpus.paths) == {
        "flat-index": ["search-basics"],
        "hnsw-index": ["search-basics"],
        "batching": ["search-basics"],
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_path_is_reported_with_its_line(bad_project: Path, name: str) -> None:
    corpus = pipeline.check(load_settings(bad_project))
    found = [(p.line, p.message) for p in corpus.problems if p.path == f"paths/{name}"]
    assert len(found) == len(CASES[name]), found
    for (line, text), (got_line, got) in zip(CASES[name], sorted(found), strict=True):
        assert got_line == line and text in got, (got_line, got)


def test_kb_check_prints_path_line_message_and_fails(bad_project: Path) -> None:
    result = run_kb("check", cwd=bad_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == sum(len(v) for v in CASES.values())
    assert all(re.match(r"^paths/\S+\.yaml:\d+: \S", line) for line in lines), lines
    assert "paths/unknown-slug.yaml:9: unknown slug 'hnsw-indx'" in result.stdout
    one = run_kb("check", "paths/empty-stage.yaml", cwd=bad_project)
    assert one.stdout.splitlines() == [
        "paths/empty-stage.yaml:11: stage 2 ('Day 2') has no concepts: list the concept and case-study slugs to study"
    ]


def test_a_bad_path_stops_the_build(bad_project: Path) -> None:
    from generator.errors import KbError

    with pytest.raises(KbError, match="problem\\(s\\) in the concepts or paths"):
        pipeline.load_valid(load_settings(bad_project))


def test_the_seven_paths_of_the_knowledge_base_are_valid() -> None:
    corpus = pipeline.check(load_settings(ROOT))
    assert [p for p in corpus.problems if p.path.startswith("paths/")] == []
    assert len(corpus.paths) >= 7
    for path in corpus.paths.values():
        assert len(path.meta.stages) >= 3 and path.hours >= 10, path.slug
        assert all(stage.concepts and stage.checklist for stage in path.meta.stages), path.slug
