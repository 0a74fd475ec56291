"""Study paths, practice and mock interviews on the wiki: their pages, and the data the browser code reads.

Pure text out. The browser code (assets/learn.js) reads `assets/data/learn-*.js`: each file is one JSON
payload wrapped in a call, `kbLearnData("name", {...})`, so the same file loads over http and from
file:// (where browsers refuse fetch). Every string from a content file is JSON-encoded with '<'
escaped and is put into pages by the browser code as text only.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

import jinja2

from ..core.markdown import WIKILINK_RE
from ..core.model import Concept, Corpus, item_key
from ..core.paths import LearningPath, ordered, paths_including
from .escape import attr, inline

CASE_STUDIES = "case-studies"  # the domain whose pages the mock interview draws from
DATA_DIR = "assets/data"
DATA_FILES = ("paths", "questions", "mock")

# The framework's phases of a 45-minute design interview, with what to cover in each.
MOCK_PHASES: list[dict[str, Any]] = [
    {
        "key": "clarify",
        "title": "Clarify the requirements",
        "minutes": 5,
        "prompts": [
            "Who are the users and what is the product goal? Say the business metric out loud.",
            "Scale: users, requests per second, items or documents, data volume.",
            "Constraints: latency budget, freshness, cost, privacy, regions.",
            "What is in scope and what is not? Write down your assumptions.",
        ],
    },
    {
        "key": "design",
        "title": "High-level design",
        "minutes": 15,
        "prompts": [
            "Frame it as an ML task: input, output, label and where the label comes from.",
            "Draw the system end to end: data, features, training, serving, feedback.",
            "Estimate the load on the back of an envelope before choosing components.",
            "Name an offline metric and an online metric that match the product goal.",
        ],
    },
    {
        "key": "deep",
        "title": "Deep dives",
        "minutes": 15,
        "prompts": [
            "Pick the two riskiest components and go deep: model, features, serving path.",
            "For each decision, say what it gains, what it costs, and what you would try instead.",
        ],
    },
    {
        "key": "production",
        "title": "Production",
        "minutes": 10,
        "prompts": [
            "How do you launch it: shadow, A/B test, guardrail metrics, rollback?",
            "What do you monitor, and how do you notice drift or a broken feature?",
            "How and how often is the model retrained?",
        ],
    },
]


def stage_anchor(index: int) -> str:
    """The anchor of a stage's heading on its path page (stage-1, stage-2, ...)."""
    return f"stage-{index + 1}"


def hours_text(hours: float) -> str:
    """'5', '4.5': hours as written, without a trailing .0."""
    return f"{hours:g}"


def plain(text: str, titles: dict[str, str]) -> str:
    """Text for the browser code: [[slug|label]] becomes its label (or the concept's title), spaces collapsed."""
    text = WIKILINK_RE.sub(lambda m: (m.group(2) or titles.get(m.group(1).strip(), m.group(1))).strip(), str(text))
    return " ".join(text.split())


def data_script(name: str, payload: object) -> str:
    """One data file: a JSON payload wrapped in a call; '<' escaped so no content can close a script."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")
    return f'kbLearnData("{name}",{body});\n'


def paths_line(concept: Concept, corpus: Corpus, page: str) -> str:
    """The concept page's study line: the 'I can explain this' control and the paths that include it, with their stage."""
    button = f'<button type="button" class="kb-mark" data-kb-mark="{concept.slug}" hidden>I can explain this</button>'
    links = []
    for slug in paths_including(corpus.paths).get(concept.slug, []):
        lp = corpus.paths[slug]
        stage = next(i for i, s in enumerate(lp.meta.stages) if concept.slug in s.concepts)
        target = posixpath.relpath(lp.doc_path, posixpath.dirname(page))
        links.append(f"[{inline(lp.title)}]({target}#{stage_anchor(stage)}) (stage {stage + 1})")
    where = f' <span class="kb-in-paths">In study paths: {" · ".join(links)}</span>' if links else ""
    return f'<span class="kb-study">{button}{where}</span>'


def _item(slug: str, corpus: Corpus, page: str) -> dict[str, str]:
    concept = corpus.concepts.get(slug)
    if concept is None:
        planned = corpus.planned[slug]
        return {"slug": slug, "link": f'<span class="kb-wanted" title="Planned concept: {attr(planned.title)}">{inline(planned.title)}</span>', "meta": "planned"}
    domain = corpus.domain(concept.domain)
    kind = domain.noun if domain else "concept"
    target = posixpath.relpath(concept.doc_path, posixpath.dirname(page))
    return {"slug": slug, "link": f"[{inline(concept.title)}]({target})", "meta": f"{kind} · {concept.meta.level}"}


def _summary(lp: LearningPath, corpus: Corpus) -> dict[str, object]:
    written = [s for s in lp.slugs() if s in corpus.concepts]
    return {
        "p": lp,
        "hours": hours_text(lp.hours),
        "stages": len(lp.meta.stages),
        "pages": len(written),
        "wanted": len(lp.slugs()) - len(written),
    }


def path_cards(corpus: Corpus) -> list[dict[str, object]]:
    """What a card of each path shows (home page, paths overview), in listing order."""
    return [_summary(lp, corpus) for lp in ordered(corpus.paths)]


def learn_pages(corpus: Corpus, env: jinja2.Environment) -> dict[str, str]:
    """The Paths overview, one page per path, the practice page and the mock-interview page."""
    pages = {"paths/index.md": env.get_template("paths.md.j2").render(cards=path_cards(corpus))}
    for lp in ordered(corpus.paths):
        page = lp.doc_path
        stages = [
            {
                "n": i + 1,
                "anchor": stage_anchor(i),
                "title": stage.title,
                "hours": hours_text(float(stage.hours)),
                "entries": [_item(s, corpus, page) for s in stage.concepts],
                "written": sum(1 for s in stage.concepts if s in corpus.concepts),
                "checklist": stage.checklist,
            }
            for i, stage in enumerate(lp.meta.stages)
        ]
        pages[page] = env.get_template("path.md.j2").render(s=_summary(lp, corpus), stages=stages)
    domains = [d for d in corpus.domains if any(c.domain == d.slug for c in corpus.concepts.values())]
    questions = sum(len(c.meta.questions) for c in corpus.concepts.values())
    pages["practice.md"] = env.get_template("practice.md.j2").render(
        paths=ordered(corpus.paths), domains=domains, questions=questions
    )
    cases = sorted((c for c in corpus.concepts.values() if c.domain == CASE_STUDIES), key=lambda c: c.title.lower())
    pages["mock.md"] = env.get_template("mock.md.j2").render(cases=cases, phases=MOCK_PHASES)
    return pages


def learn_nav(corpus: Corpus) -> list[object]:
    """The Paths section of the navigation: overview, each path, practice, mock interview."""
    entries: list[object] = [{"Study paths": "paths/index.md"}]
    entries += [{lp.title: lp.doc_path} for lp in ordered(corpus.paths)]
    entries += [{"Practice": "practice.md"}, {"Mock interview": "mock.md"}]
    return [{"Paths": entries}]


def _paths_payload(corpus: Corpus, dir_urls: bool) -> dict[str, object]:
    titles = corpus.titles()
    return {
        "dirUrls": dir_urls,
        "domains": [{"slug": d.slug, "title": d.title} for d in corpus.domains],
        "concepts": {
            slug: {"t": plain(c.title, titles), "d": c.doc_path, "dom": c.domain, "lvl": c.meta.level}
            for slug, c in sorted(corpus.concepts.items())
        },
        "planned": {slug: plain(p.title, titles) for slug, p in sorted(corpus.planned.items())},
        "paths": [
            {
                "slug": lp.slug,
                "title": plain(lp.title, titles),
                "d": lp.doc_path,
                "hours": lp.hours,
                "stages": [
                    {"title": plain(s.title, titles), "hours": float(s.hours), "items": list(s.concepts), "anchor": stage_anchor(i)}
                    for i, s in enumerate(lp.meta.stages)
                ],
            }
            for lp in ordered(corpus.paths)
        ],
    }


def _questions_payload(corpus: Corpus) -> list[dict[str, str]]:
    titles = corpus.titles()
    return [
        {"id": f"{slug}/{item_key(q, i)}", "c": slug, "q": plain(q.q, titles), "a": plain(q.a, titles)}
        for slug, c in sorted(corpus.concepts.items())
        for i, q in enumerate(c.meta.questions)
    ]


def _mock_payload(corpus: Corpus) -> dict[str, object]:
    titles = corpus.titles()
    cases = []
    for slug, c in sorted(corpus.concepts.items()):
        if c.domain != CASE_STUDIES:
            continue
        prompts = {
            "clarify": [],
            "design": [f"Estimate: {plain(n.claim, titles)}" for n in c.meta.numbers[:4]],
            "deep": [f"Decide and defend: {plain(t.choice, titles)}. What does it gain, what does it cost?" for t in c.meta.tradeoffs[:5]],
            "production": [
                f"What breaks: {plain(f.name, titles)}. How would you notice it, and what is the fix?" for f in c.meta.failure_modes[:5]
            ],
        }
        cases.append({"slug": slug, "problem": plain(c.meta.definition, titles), "prompts": prompts})
    return {"phases": MOCK_PHASES, "cases": cases}


def learn_data(corpus: Corpus, dir_urls: bool = True) -> dict[str, str]:
    """The data files of the browser code, docs-relative path → text (`dir_urls` false for the offline copy)."""
    payloads: dict[str, object] = {
        "paths": _paths_payload(corpus, dir_urls),
        "questions": _questions_payload(corpus),
        "mock": _mock_payload(corpus),
    }
    return {f"{DATA_DIR}/learn-{name}.js": data_script(name, payloads[name]) for name in DATA_FILES}
