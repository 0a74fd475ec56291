"""kNN over 10,000 synthetic 384-d vectors with blocked matrix products: time and peak memory."""

from __future__ import annotations

import tracemalloc

import numpy as np

from bench.timing import median_seconds
from generator.core.related import knn


def main() -> dict[str, float]:
    """Report the median kNN time and the peak memory it allocates."""
    vectors = np.random.default_rng(0).normal(size=(10_000, 384)).astype(np.float32)
    median, _ = median_seconds(lambda: knn(vectors, 5, -1.0), runs=3)
    tracemalloc.start()
    knn(vectors, 5, -1.0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    full = 10_000 * 10_000 * 4
    print(
        f"kNN 10,000 x 384: median {median:.2f} s, peak {peak / 2**20:.0f} MiB (a full similarity matrix would be {full / 2**20:.0f} MiB)"
    )
    return {"knn_10k_s": median, "knn_10k_peak_mib": peak / 2**20}


if __name__ == "__main__":
    main()
