"""FAISS beside `costreplay-bench semantic-prefilled`: an index pre-filled with the first FILL vectors, then the next
LOOKUPS vectors searched in blocks of 1,000 (each block against the index as it was at its start, then checked within
the block exactly; misses are added, as the semantic cache adds them). Methods: flat (IndexFlatIP, exact), ivf
(IndexIVFFlat, inner product, √FILL lists trained on an evenly strided sample of 40 per list, NPROBE probes, default 12,
as CostReplay's approximate mode) and hnsw (IndexHNSWFlat, M 32, efConstruction 80, efSearch 64). Approximate methods
also report recall of hits against an exact flat mirror on the same states (not timed). Times exclude reading the file.
Usage: bench-faiss-prefilled.py VECTORS.f32le THRESHOLD FILL LOOKUPS {flat|ivf|hnsw} [NPROBE]
"""
import resource
import sys
import time

import faiss
import numpy as np
from faiss_blocks import check_block

v = np.fromfile(sys.argv[1], dtype="<f4").reshape(-1, 384)
t, fill, lookups, method = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
nprobe = int(sys.argv[6]) if len(sys.argv) > 6 else 12
faiss.omp_set_num_threads(2)
base, queries = v[:fill], v[fill:fill + lookups]


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


w0, c0 = time.perf_counter(), cpu()
if method == "flat":
    index = faiss.IndexFlatIP(384)
elif method == "ivf":
    lists = int(round(fill ** 0.5))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(384), 384, lists, faiss.METRIC_INNER_PRODUCT)
    index.train(base[:: max(1, fill // (40 * lists))])
    index.nprobe = nprobe
elif method == "hnsw":
    index = faiss.IndexHNSWFlat(384, 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    index.hnsw.efSearch = 64
else:
    sys.exit(f"unknown method {method}")
index.add(base)
fill_wall, fill_cpu = time.perf_counter() - w0, cpu() - c0
mirror = None
if method != "flat":
    mirror = faiss.IndexFlatIP(384)
    mirror.add(base)
hits = exact_hits = found = 0
measure = measure_cpu = 0.0
w0, c0 = time.perf_counter(), cpu()
for s in range(0, len(queries), 1000):
    block = queries[s:s + 1000]
    D, _ = index.search(block, 1)
    if mirror is not None:
        m0, mc = time.perf_counter(), cpu()
        E, _ = mirror.search(block, 1)
        exact = E[:, 0] >= t
        exact_hits += int(exact.sum())
        found += int((exact & (D[:, 0] >= t)).sum())
        measure += time.perf_counter() - m0
        measure_cpu += cpu() - mc
    block_hits, added = check_block(D, block, t)
    hits += block_hits
    if added:
        index.add(np.stack(added))
        if mirror is not None:
            mirror.add(np.stack(added))
look_wall, look_cpu = time.perf_counter() - w0 - measure, cpu() - c0 - measure_cpu
recall = f", recall of hits {found}/{exact_hits}" if mirror is not None else ""
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"faiss {faiss.__version__} {method} pre-filled with {fill}: fill {fill_wall:.1f} s (CPU {fill_cpu:.1f} s); "
      f"{len(queries)} lookups at {t}: {look_wall:.2f} s (CPU {look_cpu:.2f} s; the exact mirror's search excluded), hits {hits}{recall}; "
      f"peak RSS {rss:.0f} MB")
