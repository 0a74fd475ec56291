"""Cold embedding of the real corpus through the generator, beside raw SentenceTransformer.encode of the same texts."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.synthetic import ROOT
from generator.core.load import load_corpus
from generator.core.related import concept_parts
from generator.embeddings.vectors import concept_vectors
from generator.settings import load_settings


def main() -> dict[str, float]:
    """Report cold wrapper time and raw encode time for the same texts (model already loaded for both)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from generator.embeddings.encoder import _load, resolve_model_dir

    settings = load_settings(ROOT)
    corpus = load_corpus(ROOT, ROOT / "concepts", run_checks=False)
    model_dir = resolve_model_dir(settings.embedding_model, settings.root)
    model = _load(str(model_dir))
    titles = corpus.titles()
    texts = [t for s in sorted(corpus.concepts) for t, _ in concept_parts(corpus.concepts[s], titles=titles)]
    start = time.perf_counter()
    model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    raw = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        cold = settings.model_copy(update={"cache_dir": Path(tmp)})
        start = time.perf_counter()
        concept_vectors(cold, corpus)
        wrapped = time.perf_counter() - start
        start = time.perf_counter()
        concept_vectors(cold, corpus)
        warm = time.perf_counter() - start
    print(
        f"embedding {len(texts)} texts of {len(corpus.concepts)} concepts: raw encode {raw:.1f} s, "
        f"generator cold {wrapped:.1f} s (ratio {wrapped / raw:.2f}), warm cache {warm:.2f} s"
    )
    return {"embed_raw_s": raw, "embed_cold_s": wrapped, "embed_warm_s": warm}


if __name__ == "__main__":
    main()
