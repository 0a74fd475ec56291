"""The genanki adapter: turns the core's notes into reproducible .apkg files."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from ..core.load import concept_files
from ..core.model import Corpus
from ..files import staged_folder
from .note_types import CSS, FIELDS, MODEL_IDS, NAMES, ROOT_DECK_ID, TEMPLATES, domain_deck_id
from .notes import Note, count_by_kind


@dataclass(frozen=True)
class DeckInfo:
    """One written deck file."""

    title: str
    file: str
    cards: int


@dataclass
class DeckSummary:
    """What `write_decks` wrote."""

    folder: Path
    decks: list[DeckInfo] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    total_cards: int = 0


def note_models() -> dict[str, genanki.Model]:
    """The frozen note types, one per card kind."""
    models = {}
    for kind, model_id in MODEL_IDS.items():
        front, back = TEMPLATES[kind]
        models[kind] = genanki.Model(
            model_id,
            NAMES[kind],
            fields=[{"name": name} for name in FIELDS[kind]],
            templates=[{"name": NAMES[kind], "qfmt": front, "afmt": back}],
            css=CSS,
        )
    return models


def note_guid(note: Note) -> str:
    """The note's GUID: from slug, kind and item key only, never from its text."""
    return str(genanki.guid_for("mlsd", *note.identity))


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=20, check=True).stdout.strip()


def source_timestamp(corpus: Corpus, source_date_epoch: str | None = None) -> int:
    """SOURCE_DATE_EPOCH when given, else the latest change of the concept sources."""
    if source_date_epoch and source_date_epoch.strip().isdigit():
        return int(source_date_epoch)
    paths = concept_files(corpus.concepts_dir) + [corpus.concepts_dir / "domains.yaml"]
    try:  # a clean checkout: the last commit that touched the concepts
        if not _git(corpus.root, "status", "--porcelain", "--", str(corpus.concepts_dir)):
            out = _git(corpus.root, "log", "-1", "--format=%ct", "--", str(corpus.concepts_dir))
            if out.isdigit():
                return int(out)
    except (OSError, subprocess.SubprocessError):
        pass
    return max(int(p.stat().st_mtime) for p in paths if p.exists())


def _normalise_zip(src: Path, dest: Path, timestamp: int) -> None:
    """Rewrite a zip with fixed entry dates and order, so equal inputs give equal bytes."""
    import time

    stamp = time.gmtime(max(timestamp, 315532800))[:6]  # zip dates start in 1980
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(zin.namelist()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name))


def _write_package(decks: list[genanki.Deck], path: Path, timestamp: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.apkg"
        genanki.Package(decks).write_to_file(str(raw), timestamp=float(timestamp))
        _normalise_zip(raw, path, timestamp)


def write_decks(
    corpus: Corpus, notes: list[Note], out_dir: Path, deck_title: str, deck_file: str, source_date_epoch: str | None = None
) -> DeckSummary:
    """Write the full deck and one deck per domain into `out_dir`: all or nothing."""
    models = note_models()
    timestamp = source_timestamp(corpus, source_date_epoch)
    summary = DeckSummary(out_dir, by_kind=count_by_kind(notes), total_cards=sum(n.card_count for n in notes))
    titles = {d.slug: d.title for d in corpus.domains}
    by_domain: dict[str, list[Note]] = {}
    for note in notes:
        by_domain.setdefault(note.domain, []).append(note)

    def deck_for(domain: str) -> genanki.Deck:
        deck = genanki.Deck(domain_deck_id(domain), f"{deck_title}::{titles.get(domain, domain)}")
        for note in by_domain[domain]:
            deck.add_note(
                genanki.Note(model=models[note.kind], fields=list(note.fields), guid=note_guid(note), tags=list(note.tags))
            )
        return deck

    ordered = [d.slug for d in corpus.domains if d.slug in by_domain] + sorted(set(by_domain) - set(titles))
    with staged_folder(out_dir) as tmp:
        full_name = f"{deck_file}.apkg"
        _write_package([genanki.Deck(ROOT_DECK_ID, deck_title)] + [deck_for(d) for d in ordered], tmp / full_name, timestamp)
        summary.decks.append(DeckInfo(f"{deck_title} (all domains)", full_name, summary.total_cards))
        for domain in ordered:
            name = f"{deck_file}-{domain}.apkg"
            _write_package([deck_for(domain)], tmp / name, timestamp)
            cards = sum(n.card_count for n in by_domain[domain])
            summary.decks.append(DeckInfo(f"{deck_title}::{titles.get(domain, domain)}", name, cards))
    return summary
