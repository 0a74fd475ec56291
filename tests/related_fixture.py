"""A small corpus for related-concept tests: concepts on two topics, written from the fixture concept's frame."""

from __future__ import annotations

from pathlib import Path

import yaml

from .conftest import GOOD

# slug: (domain, title, aliases, tags, definition, body paragraph, three questions)
TOPICS: dict[str, tuple[str, str, list[str], list[str], str, str, list[str]]] = {
    "ivf-index": (
        "search",
        "IVF index",
        ["inverted file index"],
        ["ann", "clustering"],
        "An IVF index clusters the vectors with k-means into inverted lists and scans only the lists whose centroids are nearest to the query.",
        "An IVF index partitions the vector collection with k-means into inverted lists, one per centroid. A query is compared "
        "with every centroid first, the nearest lists are probed, and only their vectors are scanned, so the search touches a "
        "small share of the collection. Probing more lists raises recall towards that of an exact scan and costs latency.",
        ["How many lists should an IVF index have?", "What does nprobe trade off?", "Why train the IVF centroids on a sample?"],
    ),
    "product-quantization": (
        "search",
        "Product quantization",
        ["PQ"],
        ["ann", "compression"],
        "Product quantization compresses each vector into a short code by splitting it into sub-vectors and quantizing each with its own small codebook.",
        "Product quantization splits every vector into sub-vectors and replaces each sub-vector by the index of its nearest "
        "codeword in a small codebook learned with k-means. A vector of 128 floats becomes a code of a few bytes, so billions of "
        "vectors fit in memory, and distances to a query are computed from lookup tables. Compression costs recall, which a "
        "re-ranking pass over exact vectors recovers.",
        [
            "How many bytes does a PQ code take?",
            "What is asymmetric distance computation?",
            "Why re-rank PQ results with exact vectors?",
        ],
    ),
    "autoscaling": (
        "serving",
        "Autoscaling",
        ["horizontal scaling"],
        ["capacity", "cost"],
        "Autoscaling adds model server replicas when traffic rises and removes them when it falls, to hold a latency target at the lowest cost.",
        "Autoscaling watches a signal such as requests per second, GPU utilization or queue depth and changes the number of "
        "model server replicas to keep latency under its target. Scaling up takes time, because a new replica must start and load "
        "its weights, so a policy keeps headroom and reacts to trends. Scaling down too fast causes oscillation and cold starts.",
        [
            "Which signal should drive autoscaling of GPU servers?",
            "Why does a new replica take minutes to serve?",
            "How do you avoid oscillation?",
        ],
    ),
    "request-queueing": (
        "serving",
        "Request queueing",
        ["admission control"],
        ["capacity", "latency"],
        "Request queueing holds incoming requests in a bounded queue in front of model servers and sheds load when the queue would break the latency target.",
        "Requests arrive in bursts, so model servers sit behind a queue. Queueing theory says waiting time explodes as "
        "utilization approaches one, so the queue is bounded and excess requests are rejected early with a clear error. Priority "
        "classes let interactive traffic overtake batch traffic, and the queue depth is a good signal for adding replicas.",
        [
            "Why does waiting time explode near full utilization?",
            "When should a server shed load?",
            "How do priority classes help?",
        ],
    ),
}
REPEAT = 3  # each paragraph three times: every body passes the 150-word minimum


def write_concept(project: Path, slug: str, related: list[str] | None = None) -> Path:
    """Write one concept of TOPICS into the project, in the fixture concept's frame (trade-offs, figures, sources)."""
    domain, title, aliases, tags, definition, paragraph, questions = TOPICS[slug]
    front = yaml.safe_load(GOOD.read_text(encoding="utf-8").split("---\n")[1])
    front.update(title=title, aliases=aliases, domain=domain, tags=tags, definition=definition, related=related or [])
    front["questions"] = [{"q": q, "a": f"{definition} {q.rstrip('?')} is answered by measuring it."} for q in questions]
    body = "## How it works\n\n" + "\n\n".join([paragraph] * REPEAT) + "\n"
    path = project / "concepts" / domain / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    return path


def write_near_copy(project: Path) -> Path:
    """A second page on the fixture concept's topic under another name: a near-duplicate of flat-index."""
    text = GOOD.read_text(encoding="utf-8").replace("title: Flat index", "title: Exhaustive index")
    text = text.replace("aliases: [brute-force search]", "aliases: [linear scan index]").replace(
        "related: [hnsw-index]", "related: []"
    )
    path = project / "concepts" / "search" / "exhaustive-index.md"
    path.write_text(text.replace("A flat index", "An exhaustive index"), encoding="utf-8")
    return path
