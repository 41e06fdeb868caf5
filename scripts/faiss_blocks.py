"""The within-block step shared by the FAISS benchmarks: each query of a block, already searched against the index as
it was at the block's start (best scores in D[:, 0]), is also compared exactly with the block's earlier misses."""
import numpy as np


def check_block(D, block, t):
    """Returns (hits, misses): misses are the block's vectors to add to the index, in order."""
    hits, added = 0, []
    for j in range(len(block)):
        best = D[j, 0]
        if added:
            best = max(best, float(np.max(np.stack(added) @ block[j])))
        if best >= t:
            hits += 1
        else:
            added.append(block[j])
    return hits, added
