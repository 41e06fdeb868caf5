import faiss, numpy as np, sys, time
from faiss_blocks import check_block
v = np.fromfile(sys.argv[1], dtype='<f4').reshape(-1, 384)
t = float(sys.argv[2]) if len(sys.argv) > 2 else 0.9
mode = sys.argv[3] if len(sys.argv) > 3 else "sequential"
faiss.omp_set_num_threads(2)
index = faiss.IndexFlatIP(384)
hits = 0
start = time.perf_counter()
if mode == "sequential":
    for i in range(len(v)):
        q = v[i:i+1]
        if index.ntotal:
            D, I = index.search(q, 1)
            if D[0, 0] >= t:
                hits += 1
                continue
        index.add(q)
else:
    B = int(mode)
    for s in range(0, len(v), B):
        block = v[s:s+B]
        if index.ntotal:
            D, I = index.search(block, 1)
        else:
            D = np.full((len(block), 1), -2.0, dtype=np.float32)
        # within-block: sequential against entries added in this block
        block_hits, added = check_block(D, block, t)
        hits += block_hits
        if added:
            index.add(np.stack(added))
dt = time.perf_counter() - start
print(f"faiss {faiss.__version__} IndexFlatIP, {len(v)} queries, threshold {t}, {mode}: {dt:.1f} s, hits {hits}")
