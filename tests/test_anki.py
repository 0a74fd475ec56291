"""Decks round-trip through a real Anki collection: counts, updates in place, review history kept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

pytest.importorskip("anki")
from anki.collection import Collection  # noqa: E402

from generator.anki.note_types import NAMES  # noqa: E402

from .anki_helpers import import_package, notes_by_type  # noqa: E402
from .conftest import GOOD, write_project_decks  # noqa: E402
from .learn_project import add_path  # noqa: E402

NEW_CONCEPT = (
    GOOD.read_text(encoding="utf-8")
    .replace("title: Flat index", "title: IVF index")
    .replace("aliases: [brute-force search]", "aliases: [inverted file index]")
)


def _build(project: Path, epoch: int, out: Path) -> Path:
    return write_project_decks(add_path(project), out, epoch)


def test_rebuild_is_byte_identical(project: Path, tmp_path: Path) -> None:
    first = _build(project, 1_700_000_000, tmp_path / "a").read_bytes()
    second = _build(project, 1_700_000_000, tmp_path / "b").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / "ml-system-design.apkg") as z:
        assert "collection.anki2" in z.namelist()


def test_update_keeps_review_history(project: Path, tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, _build(project, 1_700_000_000, tmp_path / "v1"))
        # one concept: 1 concept + 1 reverse + 3 questions + 2 numbers + 3 failure modes
        assert notes_by_type(col) == {
            NAMES["concept"]: 1,
            NAMES["reverse"]: 1,
            NAMES["question"]: 3,
            NAMES["number"]: 2,
            NAMES["failure"]: 3,
        }
        assert col.card_count() == 10
        assert {"ML System Design", "ML System Design::Search & retrieval"} <= {d.name for d in col.decks.all_names_and_ids()}
        # every note of a concept carries a tag per study path that includes it: a filtered deck per path
        assert len(col.find_notes("tag:mlsd::path::search-basics")) == 10
        assert all("mlsd::path::search-basics" in col.get_note(n).tags for n in col.find_notes(""))

        concept_nid = col.find_notes(f'"note:{NAMES["concept"]}"')[0]
        card = col.get_card(col.card_ids_of_note(concept_nid)[0])
        card.start_timer()  # as the reviewer does when it shows the card
        col.sched.answerCard(card, 4)  # Easy: graduates with a review interval
        card.load()
        reviewed = (card.id, card.ivl, card.due, card.queue, card.type)
        revlog = col.db.all("select id, ease, ivl from revlog where cid = ?", card.id)
        assert card.ivl > 0 and len(revlog) == 1

        page = project / "concepts" / "search" / "flat-index.md"
        page.write_text(page.read_text(encoding="utf-8").replace("returning the exact k nearest", "returning the true k nearest"))
        (project / "concepts" / "search" / "ivf-index.md").write_text(NEW_CONCEPT, encoding="utf-8")
        import_package(col, _build(project, 1_700_000_100, tmp_path / "v2"))

        assert col.card_count() == 20, "the edit must update notes in place and the new concept add ten"
        assert len(col.find_notes("tag:mlsd::path::search-basics")) == 10, "the new concept is in no path: no path tag"
        assert len(col.find_notes(f'"note:{NAMES["concept"]}"')) == 2
        note = col.get_note(concept_nid)
        assert "returning the true k nearest" in note["Definition"]
        card.load()
        assert (card.id, card.ivl, card.due, card.queue, card.type) == reviewed
        assert col.db.all("select id, ease, ivl from revlog where cid = ?", card.id) == revlog
    finally:
        col.close()


def test_cards_render_in_anki(project: Path, tmp_path: Path) -> None:
    page = project / "concepts" / "search" / "flat-index.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("## When to use it", "<script>alert(1)</script>\n\n## When to use it")
    text = text.replace("a: When the corpus is small", "a: Cost is $O(n \\cdot d)$ per query. When the corpus is small")
    page.write_text(text, encoding="utf-8")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, _build(project, 1_700_000_000, tmp_path / "v1"))
        seen = {}
        for kind, name in NAMES.items():
            nid = col.find_notes(f'"note:{name}"')[0]
            card = col.get_card(col.card_ids_of_note(nid)[0])
            seen[kind] = (card.question(), card.answer())
        assert "Flat index" in seen["concept"][0] and "exact k nearest" in seen["concept"][1]
        assert "Flat index" not in seen["reverse"][0] and "[…]" in seen["reverse"][0]
        assert "Flat index" in seen["reverse"][1]
        assert "51.2 GB" in seen["number"][1] and "items * dim * bytes_per_float" in seen["number"][1]
        assert "Symptom:" in seen["failure"][0] and "Fix:" in seen["failure"][1]
        math_nid = col.find_notes('"Answer:*Cost is*"')[0]
        math_answer = col.get_card(col.card_ids_of_note(math_nid)[0]).answer()
        assert "\\(O(n \\cdot d)\\)" in math_answer
        for question, answer in seen.values():
            assert "<script" not in question + answer
    finally:
        col.close()


def test_cards_link_the_page_and_the_report_form(project: Path) -> None:
    from generator.anki.notes import build_notes
    from generator.core.load import load_corpus

    notes = build_notes(load_corpus(project, project / "concepts"), {}, "https://kb.example/", "https://github.com/example/kb")
    link = notes[0].fields[-1]
    assert 'href="https://kb.example/search/flat-index/"' in link
    assert "https://github.com/example/kb/issues/new?template=report-a-wrong-fact.yml" in link
    assert "page=concepts%2Fsearch%2Fflat-index.md" in link


def test_card_counts_have_one_meaning(project: Path) -> None:
    from generator.anki.notes import build_notes, cards_by_kind, count_by_kind
    from generator.core.load import load_corpus

    corpus = load_corpus(project, project / "concepts")
    assert cards_by_kind(corpus) == count_by_kind(build_notes(corpus, {}, ""))
