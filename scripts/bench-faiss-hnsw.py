"""FAISS HNSW (IndexHNSWFlat, inner product) over the growing semantic cache, in blocks of queries.

Same protocol as bench-faiss.py's blocked mode: each block is searched against the index as it was at the block's
start, then checked within the block exactly; the misses are added. Recall against exact search is measured on the
same cache states: every --recall-every-th block is also searched with an exact IndexFlatIP mirror, and recall is the
share of the exact hits (nearest ≥ threshold) that HNSW also reports as hits.
Usage: bench-faiss-hnsw.py VECTORS.f32le THRESHOLD BLOCK [M] [EF_SEARCH] [RECALL_EVERY]
"""
import sys
import time

import faiss
import numpy as np
from faiss_blocks import check_block

v = np.fromfile(sys.argv[1], dtype="<f4").reshape(-1, 384)
t = float(sys.argv[2])
B = int(sys.argv[3])
M = int(sys.argv[4]) if len(sys.argv) > 4 else 32
ef = int(sys.argv[5]) if len(sys.argv) > 5 else 64
every = int(sys.argv[6]) if len(sys.argv) > 6 else 10
faiss.omp_set_num_threads(2)
index = faiss.IndexHNSWFlat(384, M, faiss.METRIC_INNER_PRODUCT)
index.hnsw.efConstruction = 80
index.hnsw.efSearch = ef
mirror = faiss.IndexFlatIP(384)
hits = 0
exact_hits = found = 0
measure = 0.0
start = time.perf_counter()
for b, s in enumerate(range(0, len(v), B)):
    block = v[s:s + B]
    if index.ntotal:
        D, _ = index.search(block, 1)
        if b % every == 0:
            m0 = time.perf_counter()
            E, _ = mirror.search(block, 1)
            exact = E[:, 0] >= t
            exact_hits += int(exact.sum())
            found += int((exact & (D[:, 0] >= t)).sum())
            measure += time.perf_counter() - m0
    else:
        D = np.full((len(block), 1), -2.0, dtype=np.float32)
    block_hits, added = check_block(D, block, t)
    hits += block_hits
    if added:
        index.add(np.stack(added))
        mirror.add(np.stack(added))
dt = time.perf_counter() - start - measure
recall = found / exact_hits if exact_hits else float("nan")
print(f"faiss {faiss.__version__} IndexHNSWFlat M={M} efSearch={ef}, {len(v)} queries, threshold {t}, blocks of {B}: "
      f"{dt:.1f} s (recall measurement excluded), hits {hits}, recall {recall:.4f} ({found}/{exact_hits} exact hits on sampled blocks)")
