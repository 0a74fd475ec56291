"""The real concept tree: it passes every rule, and every checked figure is really checked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.core.load import load_corpus

from ..conftest import ROOT


def test_real_concepts_pass_kb_check() -> None:
    corpus = load_corpus(ROOT, ROOT / "concepts")
    assert [str(p) for p in corpus.problems] == []
    assert corpus.numbers.failed == 0


def _checked_values(root: Path) -> list[tuple[Path, int, str]]:
    """(file, line of value, value text) of every checked figure in the real tree."""
    corpus = load_corpus(root, root / "concepts", run_checks=False)
    found = []
    for concept in corpus.concepts.values():
        for i, claim in enumerate(concept.meta.numbers):
            if claim.check is not None:
                found.append((root / concept.path, concept.line_of("numbers", i, "value"), str(claim.value)))
    return found


def test_doubling_any_checked_value_fails_at_its_line(tmp_path: Path) -> None:
    """Every checked value of the real tree doubled at once: each must fail at its own line (one corpus load)."""
    shutil.copytree(ROOT / "concepts", tmp_path / "concepts")
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    targets = _checked_values(tmp_path)
    assert targets, "the real tree has no checked figures"
    by_file: dict[Path, list[int]] = {}
    for path, line, _ in targets:
        by_file.setdefault(path, []).append(line)
    for path, lines_to_double in by_file.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for line in lines_to_double:
            match = re.match(r"^(\s*value:\s*)(['\"]?)(-?[0-9.eE+-]+)(.*)$", lines[line - 1])
            assert match, lines[line - 1]
            lines[line - 1] = f"{match.group(1)}{match.group(2)}{float(match.group(3)) * 2!r}{match.group(4)}"
        path.write_text("\n".join(lines), encoding="utf-8")
    corpus = load_corpus(tmp_path, tmp_path / "concepts")
    failed = {(p.path, p.line) for p in corpus.problems if "check gives" in p.message}
    expected = {(path.relative_to(tmp_path).as_posix(), line) for path, line, _ in targets}
    assert failed == expected, sorted(expected - failed)[:10]
