"""Benchmark query vectors: N unit vectors × 384 (seed 7), written as little-endian float32.

Usage: bench-vectors.py N OUT [DUP_SHARE]
Every vector is a cluster centre (N/5 random centres) plus Gaussian noise (σ 0.02 per component, so two vectors of one
cluster have cosine ≈ 0.87, below the usual thresholds: this set gives almost no hits at 0.90). With DUP_SHARE > 0, that
share of the queries (chosen at random, after the first 100) is instead a near-duplicate of a random earlier query: its
vector plus noise with σ uniform in [0.004, 0.016] per component (cosine to the original ≈ 0.95–0.997), as a rephrased
or repeated prompt would be; DUP_SHARE 0 gives exactly the original set.
"""
import numpy as np, sys
n, d, seed = int(sys.argv[1]), 384, 7
share = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
rng = np.random.default_rng(seed)
centers = rng.standard_normal((n // 5, d)).astype(np.float32)
centers /= np.linalg.norm(centers, axis=1, keepdims=True)
pick = rng.integers(0, len(centers), n)
v = centers[pick] + rng.standard_normal((n, d)).astype(np.float32) * 0.02
v /= np.linalg.norm(v, axis=1, keepdims=True)
if share > 0:
    dup = rng.random(n) < share
    dup[:100] = False
    for i in np.flatnonzero(dup):
        sigma = rng.uniform(0.004, 0.016)
        x = v[rng.integers(0, i)] + rng.standard_normal(d).astype(np.float32) * sigma
        v[i] = x / np.linalg.norm(x)
v.astype('<f4').tofile(sys.argv[2])
