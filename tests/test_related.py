"""Related concepts: blocked kNN, curated-first merge, verified weights, cache that avoids torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from generator.core.related import knn, merge
from generator.embeddings.encoder import verify_weights
from generator.errors import KbError

from .conftest import GOOD, ROOT, run_kb


def test_blocked_knn_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    blocked = knn(vectors, 5, -1.0, block=37)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    for i, row in enumerate(blocked):
        assert [j for j, _ in row] == list(np.argsort(-sims[i], kind="stable")[:5])


def test_knn_ties_are_deterministic_and_threshold_applies() -> None:
    vectors = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=np.float32)
    assert [[j for j, _ in row] for row in knn(vectors, 2, 0.5)] == [[1, 2], [0, 2], [0, 1], []]


def test_merge_puts_curated_first_without_duplicates() -> None:
    assert merge(["b", "x"], ["a", "b", "c", "d"], 4) == ["b", "x", "a", "c"]
    assert merge(["a", "b", "c", "d", "e", "f"], ["g"], 5) == ["a", "b", "c", "d", "e", "f"]


def test_wrong_weights_are_refused(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"not the official checkpoint")
    with pytest.raises(KbError, match="does not match the expected checkpoint"):
        verify_weights(tmp_path, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")


PROBE = """
import json, sys
from pathlib import Path
from generator.settings import load_settings
from generator import pipeline
s = load_settings(Path.cwd())
r = pipeline.relate(s, pipeline.load_valid(s))
print(json.dumps({"torch": "torch" in sys.modules, "fresh": r.newly_embedded, "lists": r.lists}))
"""


def _probe(project: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not any(Path(p, "sentence_transformers").exists() for p in sys.path), reason="embedding extra not installed")
def test_unchanged_build_imports_no_torch_and_one_change_embeds_one_concept(project: Path) -> None:
    second = (
        GOOD.read_text(encoding="utf-8")
        .replace("title: Flat index", "title: Inverted file index")
        .replace("aliases: [brute-force search]", "aliases: [IVF]")
    )
    (project / "concepts" / "search" / "ivf-index.md").write_text(second, encoding="utf-8")
    cold = _probe(project)
    assert cold["torch"] is True and cold["fresh"] > 0
    assert cold["lists"]["flat-index"][0] == "hnsw-index", "curated links come first"
    assert "ivf-index" in cold["lists"]["flat-index"]
    warm = _probe(project)
    assert warm == {**cold, "torch": False, "fresh": 0}
    page = project / "concepts" / "search" / "ivf-index.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("returning the exact k", "returning exactly the k"), encoding="utf-8"
    )
    changed = _probe(project)
    assert changed["torch"] is True
    assert changed["fresh"] == 1, "only the changed concept's head text is embedded again"
    cli = run_kb("related", "--json", cwd=project, env={"HF_HUB_OFFLINE": "1"})
    assert json.loads(cli.stdout) == changed["lists"]


def test_comparison_model_must_be_verified(project: Path, tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"some other model")
    unverified = run_kb("related", "--model", str(tmp_path), cwd=project)
    assert unverified.returncode == 2 and "--model needs --sha256" in unverified.stderr
    mismatch = run_kb("related", "--model", str(tmp_path), "--sha256", "0" * 64, cwd=project, env={"HF_HUB_OFFLINE": "1"})
    assert mismatch.returncode == 2 and "refusing to use unverified weights" in mismatch.stderr
    assert "Traceback" not in mismatch.stderr
    bad_mode = run_kb("related", "--eval", "x.yaml", "--modes", "title,bogus", cwd=project)
    assert bad_mode.returncode == 2 and "unknown text mode(s) bogus" in bad_mode.stderr
