"""Gathering what the site needs beyond the corpus: related lists, deck manifest, concept map."""

from __future__ import annotations

import json
from pathlib import Path

from .pages import DeckInfo, SiteInputs
from .project import Settings
from .validate import Corpus

DECK_MANIFEST = "manifest.json"


def deck_dir(settings: Settings) -> Path:
    """Where `kb deck` writes the decks before the site picks them up."""
    return settings.root / "build" / "decks"


def read_deck_manifest(settings: Settings) -> tuple[list[DeckInfo], int]:
    """The decks listed by the last `kb deck`, and the total card count (empty if none)."""
    path = deck_dir(settings) / DECK_MANIFEST
    if not path.is_file():
        return [], 0
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        decks = [DeckInfo(d["title"], d["file"], int(d["cards"])) for d in data["decks"]]
        return [d for d in decks if (deck_dir(settings) / d.file).is_file()], int(data["total_cards"])
    except (ValueError, KeyError, TypeError):
        return [], 0


def gather(settings: Settings, corpus: Corpus, with_related: bool = True) -> SiteInputs:
    """Collect related lists (cached embeddings), deck info and the map for the pages."""
    from .cards import build_notes

    inputs = SiteInputs()
    inputs.decks, _ = read_deck_manifest(settings)
    inputs.card_count = sum(note.card_count for note in build_notes(corpus, {}, ""))
    if with_related:
        from .related import compute_related

        result = compute_related(settings, corpus)
        inputs.related = result.lists
        inputs.map_svg, inputs.map_legend = result.map_svg, result.map_legend
    return inputs
