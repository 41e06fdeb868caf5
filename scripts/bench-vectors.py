import numpy as np, sys
n, d, seed = int(sys.argv[1]), 384, 7
rng = np.random.default_rng(seed)
centers = rng.standard_normal((n // 5, d)).astype(np.float32)
centers /= np.linalg.norm(centers, axis=1, keepdims=True)
pick = rng.integers(0, len(centers), n)
v = centers[pick] + rng.standard_normal((n, d)).astype(np.float32) * 0.02
v /= np.linalg.norm(v, axis=1, keepdims=True)
v.astype('<f4').tofile(sys.argv[2])
