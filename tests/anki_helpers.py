"""Helpers for tests that use the real Anki collection code (the `anki` package)."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection
from anki.import_export_pb2 import (
    IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

IF_NEWER = IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


def import_package(col: Collection, apkg: Path) -> None:
    """Import an .apkg the way Anki's import dialog does by default (update notes if newer)."""
    options = ImportAnkiPackageOptions(
        merge_notetypes=False, update_notes=IF_NEWER, update_notetypes=IF_NEWER, with_scheduling=False, with_deck_configs=False
    )
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))


def notes_by_type(col: Collection) -> dict[str, int]:
    """Number of notes of each note type name."""
    return {nt["name"]: col.models.use_count(nt) for nt in col.models.all() if col.models.use_count(nt)}
