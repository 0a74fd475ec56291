"""The genanki adapter: turns the core's notes into reproducible .apkg files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import genanki

from .anki_notes import CSS, FIELDS, MODEL_IDS, NAMES, ROOT_DECK_ID, TEMPLATES, domain_deck_id
from .cards import Note, build_notes, count_by_kind
from .pages import DeckInfo
from .project import Settings
from .site_build import swap_in
from .site_inputs import DECK_MANIFEST, deck_dir
from .validate import Corpus, concept_files


@dataclass
class DeckSummary:
    """What `write_decks` wrote."""

    decks: list[DeckInfo] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    total_cards: int = 0
    timestamp: int = 0


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
    return genanki.guid_for("mlsd", *note.identity)


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=20, check=True).stdout.strip()


def source_timestamp(corpus: Corpus) -> int:
    """SOURCE_DATE_EPOCH when set, else the latest change of the concept sources."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return int(env)
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
    settings: Settings, corpus: Corpus, out_dir: str | Path | None = None, related: dict[str, list[str]] | None = None
) -> DeckSummary:
    """Write the full deck and one deck per domain, then a manifest; all or nothing."""
    if related is None:
        from .related import compute_related

        related = compute_related(settings, corpus).lists
    target = Path(out_dir) if out_dir else deck_dir(settings)
    notes = build_notes(corpus, related, settings.site_url or os.environ.get("SITE_URL", ""))
    models = note_models()
    timestamp = source_timestamp(corpus)
    summary = DeckSummary(by_kind=count_by_kind(notes), total_cards=sum(n.card_count for n in notes), timestamp=timestamp)
    titles = {d.slug: d.title for d in corpus.domains}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    tmp.chmod(0o755)
    try:
        by_domain: dict[str, list[Note]] = {}
        for note in notes:
            by_domain.setdefault(note.domain, []).append(note)

        def deck_for(domain: str) -> genanki.Deck:
            deck = genanki.Deck(domain_deck_id(domain), f"{settings.deck_title}::{titles.get(domain, domain)}")
            for note in by_domain[domain]:
                deck.add_note(
                    genanki.Note(model=models[note.kind], fields=list(note.fields), guid=note_guid(note), tags=list(note.tags))
                )
            return deck

        ordered = [d.slug for d in corpus.domains if d.slug in by_domain] + sorted(set(by_domain) - set(titles))
        root = genanki.Deck(ROOT_DECK_ID, settings.deck_title)
        full_name = f"{settings.deck_file}.apkg"
        _write_package([root] + [deck_for(d) for d in ordered], tmp / full_name, timestamp)
        summary.decks.append(DeckInfo(f"{settings.deck_title} (all domains)", full_name, summary.total_cards))
        for domain in ordered:
            name = f"{settings.deck_file}-{domain}.apkg"
            _write_package([deck_for(domain)], tmp / name, timestamp)
            cards = sum(n.card_count for n in by_domain[domain])
            summary.decks.append(DeckInfo(f"{settings.deck_title}::{titles.get(domain, domain)}", name, cards))
        manifest = {
            "timestamp": timestamp,
            "total_cards": summary.total_cards,
            "by_kind": summary.by_kind,
            "decks": [{"title": d.title, "file": d.file, "cards": d.cards} for d in summary.decks],
        }
        (tmp / DECK_MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary
