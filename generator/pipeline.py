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

from .core.load import load_corpus
from .core.model import Corpus
from .core.paths import load_paths
from .errors import KbError
from .settings import Settings

if TYPE_CHECKING:  # numpy, jinja2, pygments and genanki are imported by the steps that need them: kb check needs none
    from .anki.export import DeckSummary
    from .anki.notes import Note
    from .core.related import Related
    from .site.pages import SiteInputs


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
    """Load and validate the tree and the study paths (or report only on `only`): the whole of `kb check`."""
    corpus = load_corpus(settings.root, settings.concepts_dir, only=only, cache_dir=settings.cache_dir)
    corpus.paths, problems = load_paths(settings.paths_dir, corpus, only)
    corpus.problems = sorted(set(corpus.problems + problems))
    return corpus


def load_valid(settings: Settings) -> Corpus:
    """The validated corpus, or an error listing every problem: nothing is built from a bad tree."""
    corpus = check(settings)
    if corpus.problems:
        shown = "\n".join(str(p) for p in corpus.problems)
        raise KbError(
            f"{len(corpus.problems)} problem(s) in the concepts or paths: nothing was built, the previous build is intact\n{shown}"
        )
    return corpus


def relate(settings: Settings, corpus: Corpus, enabled: bool = True) -> Related:
    """Computed neighbours and question links from cached vectors (torch only for changed text); curated links alone when disabled."""
    from .core.related import Related

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
    from .core.related import merge

    return {
        slug: merge(list(c.meta.related), [s for s, _ in related.unlinked.get(slug, [])], room)[: max(room, len(c.meta.related))]
        for slug, c in corpus.concepts.items()
    }


def site_url(settings: Settings) -> str:
    """The published site's address: [tool.kb] site_url, else SITE_URL from the environment."""
    return settings.site_url or os.environ.get("SITE_URL", "")


def repo_url(settings: Settings) -> str:
    """The repository's address for "Report a wrong fact" links: [tool.kb] repo_url, else REPO_URL."""
    return settings.repo_url or os.environ.get("REPO_URL", "")


def make_notes(settings: Settings, corpus: Corpus, related: Related) -> list[Note]:
    """Every Anki note, built once per command."""
    from .anki.notes import build_notes

    return build_notes(corpus, card_related(corpus, related), site_url(settings), repo_url(settings))


def write_decks(
    settings: Settings, corpus: Corpus, notes: list[Note], out_dir: Path | None = None, epoch: str | None = None
) -> DeckSummary:
    """Write the decks (genanki) and return what was written; `epoch` fixes their timestamp (SOURCE_DATE_EPOCH)."""
    from .anki.export import write_decks as export

    return export(
        corpus,
        notes,
        out_dir or settings.decks_dir,
        settings.deck_title,
        settings.deck_file,
        epoch if epoch is not None else os.environ.get("SOURCE_DATE_EPOCH"),
    )


def site_inputs(corpus: Corpus, related: Related, decks: DeckSummary | None, repo_url: str = "") -> SiteInputs:
    """What the pages need beyond the corpus, from this build's own results."""
    from .anki.notes import card_total
    from .site.concept_map import concept_map_svg
    from .site.pages import Download, SiteInputs

    inputs = SiteInputs(similar=related.similar, questions=related.questions, card_count=card_total(corpus), repo_url=repo_url)
    if decks is not None:
        inputs.downloads = [Download(d.title, d.file, d.cards) for d in decks.decks]
    if related.points:
        inputs.map_svg, inputs.map_legend = concept_map_svg(corpus, related.points)
    return inputs


def write_docs(
    settings: Settings,
    corpus: Corpus,
    related: Related,
    decks: DeckSummary | None,
    offline: bool = False,
    quiet: bool = False,
) -> dict[str, int]:
    """Render every page in memory, build the offline copy from them if asked, then write the docs tree (only changed files)."""
    from .files import write_if_changed
    from .site.docs_tree import write_docs_tree
    from .site.learn import learn_data
    from .site.pages import build_pages, downloads_page, navigation

    inputs = site_inputs(corpus, related, decks, repo_url(settings))
    pages = build_pages(corpus, inputs)
    nav = navigation(corpus)
    files = [decks.folder / d.file for d in decks.decks] if decks is not None else []
    if offline:
        from .site.offline import build_offline_copy

        inputs.offline = build_offline_copy(
            settings.root, settings.build_dir, settings.deck_file, settings.deck_title, corpus, inputs, pages, nav, quiet
        )
        pages["downloads.md"] = downloads_page(corpus, inputs)
        files.append(inputs.offline.path)
    counts = write_docs_tree(settings.root, settings.build_dir, settings.site_dir, pages, nav, files)
    for rel, text in learn_data(corpus).items():
        counts["written"] += write_if_changed(settings.docs_dir / rel, text)
    return counts


def build(
    settings: Settings,
    engine: str = "mkdocs",
    decks: bool = True,
    related: bool = True,
    quiet: bool = False,
    epoch: str | None = None,
    force: bool = True,
    offline: bool = False,
) -> Build:
    """`kb build`: every step once, then the site engine on the docs tree; the previous site stays on failure.

    With `offline`, the docs step also builds the zipped copy for reading from file:// (a second MkDocs build,
    skipped when its inputs did not change).
    """
    from .site.engines import build_site
    from .site.pages import navigation

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
    notes = make_notes(settings, corpus, found) if decks else []
    written = write_decks(settings, corpus, notes, epoch=epoch) if decks else None
    lap("decks")
    docs = write_docs(settings, corpus, found, written, offline, quiet)
    lap("docs + offline copy" if offline else "docs")
    ran = build_site(settings.root, settings.build_dir, settings.site_dir, navigation(corpus), engine, quiet, force)
    lap("site" if ran else "site (up to date)")
    return Build(corpus, found, notes, written, docs, times)


def write_docs_only(settings: Settings, known: Related | None = None) -> Related:
    """Regenerate the docs tree without decks or a site build (what `kb serve` does on every change).

    With `known`, related lists are reused instead of recomputed: a preview never waits for the
    embedding model, and an edited concept keeps its last computed neighbours until `kb build`.
    """
    corpus = load_valid(settings)
    found = known if known is not None else relate(settings, corpus)
    write_docs(settings, corpus, found, None)
    return found


def _snapshot(folders: list[Path]) -> dict[Path, float]:
    return {p: p.stat().st_mtime for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()}


def watch_sources(
    settings: Settings, known: Related, interval: float = 0.5, stop: threading.Event | None = None
) -> threading.Thread:
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
                    write_docs_only(settings, known)
                except KbError as exc:  # a half-edited file: say so, keep serving the last good tree
                    print(f"kb: {exc}", flush=True)

    thread = threading.Thread(target=loop, name="kb-watch", daemon=True)
    thread.start()
    return thread
