"""The generated reference pages, checked on the structure of the built HTML: the cheat sheet, the figure
index, the wanted page, and no Markdown syntax left as text on any page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, build_project, site_project
from .html_outline import outline

SECOND = """---
title: Queue depth
aliases: [queue length]
domain: serving
tags: [latency]
level: core
definition: >-
  Queue depth is the number of requests waiting for a model server at a given moment; with arrival
  rate and service time it sets the waiting part of latency.
tradeoffs:
  - {choice: Deep queues, gain: Fewer rejected requests, cost: Longer waits}
  - {choice: Shallow queues, gain: Bounded waits, cost: More rejected requests}
  - {choice: Adaptive limits, gain: Both in steady state, cost: Tuning}
failure_modes:
  - {name: Unbounded queue, symptom: Latency grows without limit under overload, fix: Cap the queue and shed load}
  - {name: Hidden queueing, symptom: p99 far above the service time, fix: Measure waiting time apart}
  - {name: Retry storms, symptom: Retries fill the queue, fix: Retry budgets}
numbers:
  - claim: Requests in flight at 100 request/s and 50 ms mean latency (Little's law)
    value: 5 request
    check: rate * latency
    given: {rate: 100 request/s, latency: 50 ms}
    key: true
  - claim: Default queue size of an example server
    value: 1000
    source: Example server documentation, 2024, Sec. 2
questions:
  - {q: What sets the queue depth?, a: Arrival rate times waiting time (Little's law).}
  - {q: Why cap a queue?, a: An unbounded queue turns overload into unbounded latency.}
  - {q: What does a deep queue hide?, a: Waiting time that the service-time metric does not show.}
sources:
  - {authors: J. D. C. Little, title: A proof for the queuing formula L = lambda W, venue: Operations Research, year: 1961}
---
## How it works

"""


def _second_concept(project: Path) -> None:
    """A concept in the fixture's second domain, with one key figure among two."""
    words = "Queue depth is what Little's law relates to arrival rate and time in the system. " * 12
    (project / "concepts" / "serving").mkdir(exist_ok=True)
    (project / "concepts" / "serving" / "queue-depth.md").write_text(SECOND + words + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def two_domains(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with a concept in each of its two domains, built; two concepts are planned."""
    project = tmp_path_factory.mktemp("pages") / "proj"
    shutil.copytree(FIXTURES / "project", project)
    _second_concept(project)
    build_project(site_project(project), decks=False)
    return project / "site"


@pytest.fixture(scope="module")
def nothing_planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project with no planned concept (and so no link to one), built."""
    project = tmp_path_factory.mktemp("unplanned") / "proj"
    shutil.copytree(FIXTURES / "project", project)
    (project / "concepts" / "planned.yaml").write_text("planned: []\n", encoding="utf-8")
    page = project / "concepts" / "search" / "flat-index.md"
    text = page.read_text(encoding="utf-8").replace("related: [hnsw-index]", "related: []").replace("[[hnsw-index]]", "HNSW")
    page.write_text(text, encoding="utf-8")
    build_project(site_project(project), decks=False)
    return project / "site"


def test_cheat_sheet_has_a_heading_and_a_table_per_domain(two_domains: Path) -> None:
    page = outline(two_domains / "cheatsheet")
    assert page.h2() == ["Search & retrieval", "Serving"], "one heading per domain with key figures"
    assert page.toc == ["Search & retrieval", "Serving"], "the table of contents lists every domain"
    assert len(page.tables) == 2, "one table per domain, no heading swallowed into the table above it"
    rows = [row for table in page.tables for row in table[1:]]
    assert [row[0] for row in rows] == [
        "Memory of a flat float32 index of 100M 128-d vectors",
        "Requests in flight at 100 request/s and 50 ms mean latency (Little's law)",
    ], "only the figures marked key: true"
    assert all(table[0] == ["Figure", "Value", "Concept"] for table in page.tables)
    assert page.leftovers() == []


def test_figure_index_lists_every_figure_with_a_text_marker(two_domains: Path) -> None:
    page = outline(two_domains / "figures")
    assert page.h2() == ["Search & retrieval", "Serving"]
    rows = [row for table in page.tables for row in table[1:]]
    assert len(rows) == 4
    assert [row[3] for row in rows] == ["checked", "cited", "checked", "cited"]
    assert page.leftovers() == []


def test_wanted_page_lists_planned_concepts(two_domains: Path) -> None:
    page = outline(two_domains / "wanted")
    assert len(page.tables) == 1
    assert [row[0] for row in page.tables[0][1:]] == ["HNSW index hnsw-index", "Request batching batching"]
    assert not [p for p in page.paragraphs if "kb-empty" in p[0]]


def test_wanted_page_says_so_when_nothing_is_planned(nothing_planned: Path) -> None:
    page = outline(nothing_planned / "wanted")
    assert page.tables == [], "no empty table"
    message = [text for classes, text in page.paragraphs if "kb-empty" in classes]
    assert message and message[0].startswith("No concept is planned right now")


def test_concept_page_marks_figures_in_text(two_domains: Path) -> None:
    page = outline(two_domains / "search" / "flat-index")
    numbers = next(t for t in page.tables if t[0] == ["Figure", "Value", "How it is known"])
    assert numbers[1][2].startswith("checked: items * dim")
    assert numbers[2][2].startswith("cited: Jégou")


@pytest.mark.parametrize("site", ["two_domains", "nothing_planned"])
def test_no_page_shows_markdown_syntax_as_text(site: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(site)
    found = {str(p.relative_to(root)): outline(p).leftovers() for p in sorted(root.rglob("index.html"))}
    assert {k: v for k, v in found.items() if v} == {}
    assert len(found) > 5
