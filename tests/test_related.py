"""Related concepts: lexical and hybrid similarity, blocked kNN, curated-first merge, verified weights, the cache that
avoids torch, the evaluation command, suggestions and near-duplicate warnings on a small fixture corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from generator.core import lexical
from generator.core.layout import tsne_2d
from generator.core.related import Similarity, concept_text, knn, knn_rows, merge, unlinked
from generator.embeddings.encoder import verify_weights
from generator.embeddings.evaluate import split_halves
from generator.errors import KbError

from .conftest import GOOD, ROOT, run_kb
from .related_fixture import write_concept, write_near_copy

EMBEDDINGS = pytest.mark.skipif(
    not any(Path(p, "sentence_transformers").exists() for p in sys.path), reason="embedding extra not installed"
)


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
print(json.dumps({"torch": "torch" in sys.modules, "fresh": r.newly_embedded, "lists": r.lists,
                  "similar": r.similar, "questions": r.questions, "points": r.points}))
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


@EMBEDDINGS
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
    assert warm == {**cold, "torch": False, "fresh": 0}, "a second run reads the cache and finds exactly the same"
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


def _naive_tfidf_cosine(texts: list[str]) -> np.ndarray:
    vocab = sorted({t for text in texts for t in lexical.tokens(text)})
    counts = np.array([[lexical.tokens(text).count(t) for t in vocab] for text in texts], dtype=float)
    idf = np.log((1 + len(texts)) / (1 + (counts > 0).sum(axis=0))) + 1
    weights = np.where(counts > 0, 1 + np.log(np.maximum(counts, 1)), 0) * idf
    unit = weights / np.linalg.norm(weights, axis=1, keepdims=True)
    return unit @ unit.T


def test_tfidf_drops_single_text_terms_without_changing_any_similarity() -> None:
    texts = [
        "flat index scans every vector",
        "an IVF index probes lists of vectors",
        "queueing delays requests",
        "index vectors quickly",
    ]
    got = lexical.tfidf_similarity(texts)
    want = _naive_tfidf_cosine(texts)
    off = ~np.eye(len(texts), dtype=bool)
    assert np.allclose(got[off], want[off], atol=1e-6)
    assert got[0, 2] == 0 and got[0, 1] > 0


def test_tokens_fold_plurals_and_drop_stop_words() -> None:
    assert lexical.tokens("The embeddings of queries, and a loss") == ["embedding", "query", "loss"]


def test_bm25_ranks_the_document_sharing_more_query_terms_first() -> None:
    texts = ["kv cache paging for decode", "paging kv blocks in the kv cache", "ad auctions and budget pacing"]
    scores = lexical.bm25_similarity(texts, ["paging decode"])[0]
    assert scores[0] > scores[1] > scores[2] == 0
    assert scores.max() <= 1.0


def test_hybrid_is_embedding_at_weight_one_and_lexical_at_zero() -> None:
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(6, 8)).astype(np.float32)
    texts = ["alpha beta", "beta gamma", "gamma delta", "delta alpha", "alpha gamma", "beta delta"]

    def ranks(sim: Similarity) -> list[list[int]]:
        return [[j for j, _ in row] for row in knn_rows(sim.rows, 6, 5, -np.inf)]

    assert ranks(Similarity("hybrid", vectors, texts, 1.0)) == ranks(Similarity("embedding", vectors, texts))
    assert ranks(Similarity("hybrid", vectors, texts, 0.0)) == ranks(Similarity("tfidf", vectors, texts))
    emb = Similarity("embedding", vectors, texts).rows(0, 6)
    fused = Similarity("hybrid", vectors, texts, 0.5).rows(0, 6)
    off = ~np.eye(6, dtype=bool)
    assert abs(fused[off].mean() - emb[off].mean()) < 1e-5, "the fused score reads on the embedding's scale"


def test_knn_rows_rectangular_scores_keep_every_column() -> None:
    scores = np.array([[0.1, 0.9, 0.5], [0.7, 0.2, 0.7]], dtype=np.float32)
    assert [[j for j, _ in row] for row in knn_rows(lambda a, b: scores[a:b], 2, 2, 0.3, square=False)] == [[1, 2], [0, 2]]


def test_leave_links_out_text_has_no_link_information(project: Path) -> None:
    from generator.core.load import load_corpus

    corpus = load_corpus(project, project / "concepts")
    text = concept_text(corpus.concepts["flat-index"], "plain", corpus.titles())
    assert "hnsw" not in text.lower() and "Related:" not in text
    assert "hnsw" in concept_text(corpus.concepts["flat-index"], "head_links_body", corpus.titles()).lower()
    assert unlinked("see [[hnsw-index|HNSW]] and [[ivf]].") == "see   and  ."


def test_tsne_layout_is_deterministic_and_keeps_groups_apart() -> None:
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(0, 0.05, size=(20, 5)), rng.normal(3, 0.05, size=(20, 5))])
    distances = np.linalg.norm(points[:, None] - points[None], axis=2)
    first = tsne_2d(distances, init=points[:, :2])
    assert np.array_equal(first, tsne_2d(distances, init=points[:, :2]))
    a, b = first[:20].mean(axis=0), first[20:].mean(axis=0)
    spread = max(first[:20].std(axis=0).max(), first[20:].std(axis=0).max())
    assert np.linalg.norm(a - b) > 3 * spread


def test_the_split_is_fixed_and_halves_the_judged_pages() -> None:
    judged = {f"page-{i}": ["x"] for i in range(11)}
    tuned, held = split_halves(judged)
    assert (len(tuned), len(held)) == (6, 5) and not set(tuned) & set(held)
    assert split_halves(dict(reversed(list(judged.items())))) == (tuned, held)


JUDGED = """flat-index: [ivf-index, product-quantization]
ivf-index: [product-quantization, flat-index]
autoscaling: [request-queueing]
request-queueing: [autoscaling]
product-quantization: [ivf-index, nowhere]
"""


@EMBEDDINGS
def test_eval_command_prints_each_method_on_both_halves(project: Path) -> None:
    for slug in ("ivf-index", "product-quantization", "autoscaling", "request-queueing"):
        write_concept(project, slug)
    (project / "judged.yaml").write_text(JUDGED, encoding="utf-8")
    out = run_kb("related", "--eval", "judged.yaml", cwd=project, env={"HF_HUB_OFFLINE": "1"})
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith("recall@5 and @10 on 5 judged pages: 3 tune the hybrid's weight, 2 are held out")
    rows = {line.split()[1]: line.split()[-4:] for line in lines[2:6]}
    assert set(rows) == {"embedding", "tfidf", "bm25", "hybrid"}
    for values in rows.values():
        assert all(0.0 <= float(v) <= 1.0 for v in values)
    assert float(rows["tfidf"][0]) == 1.0, "two topics with distinct words: TF-IDF finds every judged link of the tuning half"
    assert any(line.startswith("best on the held-out half (plain): ") for line in lines)
    assert lines[-1].startswith("judged links: 7, curated under related: 0; of the other 7: 0 linked in the body")


@EMBEDDINGS
def test_suggestions_and_near_duplicate_warnings(project: Path) -> None:
    copy = write_near_copy(project)
    write_concept(project, "autoscaling")
    write_concept(project, "ivf-index", related=["flat-index"])
    cold = run_kb("check", cwd=project)
    assert cold.returncode == 0 and "near-duplicate check skipped: no cached vectors" in cold.stderr
    suggest = run_kb("related", "--suggest", cwd=project, env={"HF_HUB_OFFLINE": "1"})
    assert suggest.returncode == 0, suggest.stderr[-2000:]
    lines = suggest.stdout.splitlines()
    start = lines.index("flat-index (concepts/search/flat-index.md): not linked yet")
    first = lines[start + 1].split()
    assert first[1] == "exhaustive-index" and float(first[0]) > 0.8, lines
    assert not any(line.startswith("ivf-index ") and "flat-index" in line for line in lines), "linked already: not suggested"
    as_json = json.loads(run_kb("related", "--suggest", "--json", cwd=project).stdout)
    assert as_json["flat-index"][0][0] == "exhaustive-index"
    warm = run_kb("check", cwd=project)
    assert warm.returncode == 0, "warnings never fail the check"
    warnings = [line for line in warm.stderr.splitlines() if ": warning: " in line]
    concept_pairs = [w for w in warnings if "near-duplicate concept" in w]
    assert len(concept_pairs) == 1 and "concepts/search/exhaustive-index.md:2: " in concept_pairs[0]
    assert "concepts/search/flat-index.md:2 ('Flat index')" in concept_pairs[0]
    question_pairs = [w for w in warnings if "near-duplicate interview question" in w]
    assert len(question_pairs) == 3 and all("exhaustive-index.md:" in w and "flat-index.md:" in w for w in question_pairs)
    assert not any("autoscaling" in w or "ivf-index" in w for w in warnings), "unrelated pages are never flagged"
    report = json.loads(run_kb("check", "--json", cwd=project).stdout)
    assert len(report["warnings"]) == 4 and report["errors"] == []
    named = run_kb("check", "concepts/serving/autoscaling.md", cwd=project)
    assert ": warning: " not in named.stderr, "checking one file reports only pairs that involve it"
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("An exhaustive index stores", "An exhaustive index keeps"), encoding="utf-8"
    )
    changed = run_kb("check", cwd=project)
    assert "skipped 1 concept(s)" in changed.stderr and "Traceback" not in changed.stderr


def test_check_loads_no_model(project: Path) -> None:
    probe = "import sys; from generator import cli; cli.main(['check']); print(sorted(m for m in ('torch', 'mkdocs', 'genanki') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]


def test_card_backs_list_curated_links_first_then_computed(project: Path) -> None:
    from generator import pipeline
    from generator.anki.notes import build_notes
    from generator.core.load import load_corpus
    from generator.core.related import Related

    write_concept(project, "ivf-index")
    write_concept(project, "product-quantization")
    corpus = load_corpus(project, project / "concepts")
    found = Related(unlinked={"flat-index": [("product-quantization", 0.7), ("ivf-index", 0.6)]})
    assert pipeline.card_related(corpus, found)["flat-index"] == ["hnsw-index", "product-quantization", "ivf-index"]
    assert pipeline.card_related(corpus, found, room=2)["flat-index"] == ["hnsw-index", "product-quantization"]
    note = next(
        n for n in build_notes(corpus, pipeline.card_related(corpus, found), "") if n.kind == "concept" and n.slug == "flat-index"
    )
    assert note.fields[4] == "HNSW index, Product quantization, IVF index"


def test_map_escapes_every_string_from_content(project: Path) -> None:
    from generator.core.load import load_corpus
    from generator.site.concept_map import concept_map_svg

    page = project / "concepts" / "search" / "flat-index.md"
    hostile = '<img src=x onerror=alert(1)> "quoted" & more'
    text = page.read_text(encoding="utf-8").replace("title: Flat index", f"title: '{hostile}'")
    page.write_text(text.replace("aliases: [brute-force search]", 'aliases: ["a|b\\" onmouseover=x"]'), encoding="utf-8")
    corpus = load_corpus(project, project / "concepts")
    svg, legend = concept_map_svg(corpus, {"flat-index": (0.5, 0.5)})
    assert "<img" not in svg + legend and "&lt;img src=x onerror=alert(1)&gt;" in svg
    assert '" onmouseover' not in svg and "&quot; onmouseover=x" in svg
