"""The flow of a build, written once: load → validate → relate → notes → {decks, docs tree} → site.

Each step runs once per command and hands its result to the next as data. The CLI calls these
functions; nothing here imports MkDocs, genanki or torch at module level.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .anki.notes import Note, build_notes
from .core.load import load_corpus
from .core.model import Corpus
from .core.related import Related, merge
from .errors import KbError
from .settings import Settings
from .site.pages import Download, SiteInputs, build_pages, navigation

if TYPE_CHECKING:
    from .anki.export import DeckSummary


@dataclass
class Build:
    """What one build produced, step by step."""

    corpus: Corpus
    related: Related
    notes: list[Note]
    decks: DeckSummary | None = None
    docs: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def check(settings: Settings, only: list[Path] | None = None) -> Corpus:
    """Load and validate the tree (or report only on `only`): the whole of `kb check`."""
    return load_corpus(settings.root, settings.concepts_dir, only=only, cache_dir=settings.cache_dir)


def load_valid(settings: Settings) -> Corpus:
    """The validated corpus, or an error listing every problem: nothing is built from a bad tree."""
    corpus = check(settings)
    if corpus.problems:
        shown = "\n".join(str(p) for p in corpus.problems)
        raise KbError(f"{len(corpus.problems)} problem(s) in the concepts: nothing was built, the previous build is intact\n{shown}")
    return corpus


def relate(settings: Settings, corpus: Corpus, enabled: bool = True) -> Related:
    """Computed neighbours and question links from cached vectors (torch only for changed text); curated links alone when disabled."""
    if not enabled or not corpus.concepts:
        return Related(lists={s: list(c.meta.related) for s, c in corpus.concepts.items()})
    from .core.related import relate as neighbours
    from .embeddings.vectors import corpus_vectors

    vectors = corpus_vectors(settings, corpus)
    result = neighbours(
        corpus.concepts,
        vectors.concepts,
        settings.related_k,
        settings.related_min_similarity,
        settings.similar_k,
        settings.similar_min_similarity,
        answer_vectors=vectors.answers,
    )
    result.newly_embedded = vectors.fresh
    return result


def card_related(corpus: Corpus, related: Related, room: int = 8) -> dict[str, list[str]]:
    """What a card's Related field lists: curated links first, then computed neighbours, within its room."""
    return {
        slug: merge(list(c.meta.related), [s for s, _ in related.unlinked.get(slug, [])], room)[: max(room, len(c.meta.related))]
        for slug, c in corpus.concepts.items()
    }


def site_url(settings: Settings) -> str:
    """The published site's address: [tool.kb] site_url, else SITE_URL from the environment."""
    return settings.site_url or os.environ.get("SITE_URL", "")


def make_notes(settings: Settings, corpus: Corpus, related: Related) -> list[Note]:
    """Every Anki note, built once per command."""
    return build_notes(corpus, card_related(corpus, related), site_url(settings))


def write_decks(settings: Settings, corpus: Corpus, notes: list[Note], out_dir: Path | None = None) -> DeckSummary:
    """Write the decks (genanki) and return what was written."""
    from .anki.export import write_decks as export

    return export(
        corpus,
        notes,
        out_dir or settings.decks_dir,
        settings.deck_title,
        settings.deck_file,
        os.environ.get("SOURCE_DATE_EPOCH"),
    )


def site_inputs(corpus: Corpus, related: Related, notes: list[Note], decks: DeckSummary | None) -> SiteInputs:
    """What the pages need beyond the corpus, from this build's own results."""
    from .site.concept_map import concept_map_svg

    inputs = SiteInputs(similar=related.similar, questions=related.questions, card_count=sum(n.card_count for n in notes))
    if decks is not None:
        inputs.downloads = [Download(d.title, d.file, d.cards) for d in decks.decks]
    if related.points:
        inputs.map_svg, inputs.map_legend = concept_map_svg(corpus, related.points)
    return inputs


def write_docs(settings: Settings, corpus: Corpus, related: Related, notes: list[Note], decks: DeckSummary | None) -> dict[str, int]:
    """Render every page in memory, then write the docs tree (only changed files)."""
    from .site.docs_tree import write_docs_tree

    pages = build_pages(corpus, site_inputs(corpus, related, notes, decks))
    files = [decks.folder / d.file for d in decks.decks] if decks is not None else []
    return write_docs_tree(settings.root, settings.build_dir, settings.site_dir, pages, navigation(corpus), files)


def build(settings: Settings, engine: str = "mkdocs", decks: bool = True, related: bool = True, quiet: bool = False) -> Build:
    """`kb build`: every step once, then the site engine on the docs tree; the previous site stays on failure."""
    from .site.engines import build_site

    clock = time.perf_counter()
    times: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    corpus = load_valid(settings)
    lap("load")
    found = relate(settings, corpus, related)
    lap("relate")
    notes = make_notes(settings, corpus, found)
    written = write_decks(settings, corpus, notes) if decks else None
    lap("decks")
    docs = write_docs(settings, corpus, found, notes, written)
    lap("docs")
    build_site(settings.root, settings.build_dir, settings.site_dir, navigation(corpus), engine, quiet)
    lap("site")
    return Build(corpus, found, notes, written, docs, times)


def write_docs_only(settings: Settings, related: bool = True) -> dict[str, int]:
    """Regenerate the docs tree without decks or a site build (what `kb serve` does on every change)."""
    corpus = load_valid(settings)
    found = relate(settings, corpus, related)
    return write_docs(settings, corpus, found, make_notes(settings, corpus, found), None)


def _snapshot(folders: list[Path]) -> dict[Path, float]:
    return {p: p.stat().st_mtime for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()}


def watch_sources(settings: Settings, interval: float = 0.5, stop: threading.Event | None = None) -> threading.Thread:
    """A background thread that regenerates the docs tree whenever a concept or path file changes."""
    folders = [settings.concepts_dir, settings.paths_dir]
    stop = stop or threading.Event()

    def loop() -> None:
        seen = _snapshot(folders)
        while not stop.wait(interval):
            now = _snapshot(folders)
            if now != seen:
                seen = now
                try:
                    write_docs_only(settings)
                except KbError as exc:  # a half-edited file: say so, keep serving the last good tree
                    print(f"kb: {exc}", flush=True)

    thread = threading.Thread(target=loop, name="kb-watch", daemon=True)
    thread.start()
    return thread
