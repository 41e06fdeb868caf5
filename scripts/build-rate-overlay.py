#!/usr/bin/env python3
"""Derives CostReplay's batch and service-tier rate overlay from LiteLLM's model price map.

genai-prices (the base catalog) has no batch or service-tier rates; LiteLLM's map has them as
`*_batches`, `*_priority` and `*_flex` per-token costs. This keeps only those, per model, as
dollars per million tokens. Source: LiteLLM model_prices_and_context_window.json (MIT),
see ../shared/data/prices/SOURCE.txt. Run: python3 scripts/build-rate-overlay.py
"""
import json, pathlib, sys

root = pathlib.Path(__file__).resolve().parent.parent
src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/data/prices/litellm_model_prices_and_context_window.json"
data = json.load(open(src))
out = []
for name, entry in sorted(data.items()):
    if not isinstance(entry, dict) or entry.get("mode") not in ("chat", "completion", "responses", None):
        continue
    base_in, base_out = entry.get("input_cost_per_token"), entry.get("output_cost_per_token")
    if not base_in or not base_out:
        continue
    item = {"model": name, "provider": entry.get("litellm_provider", ""),
            "input_mtok": round(base_in * 1e6, 9), "output_mtok": round(base_out * 1e6, 9)}
    for tier, suffix in (("batch", "_batches"), ("priority", "_priority"), ("flex", "_flex")):
        i, o = entry.get("input_cost_per_token" + suffix), entry.get("output_cost_per_token" + suffix)
        if i is not None and o is not None:
            item[tier] = {"input_mtok": round(i * 1e6, 9), "output_mtok": round(o * 1e6, 9)}
    if len(item) > 4:
        out.append(item)
doc = {"format": "costreplay-rate-overlay/1",
       "source": "LiteLLM model_prices_and_context_window.json (MIT), litellm 1.110.2 wheel; see LICENSE.litellm",
       "models": out}
dest = root / "Sources/CostReplayCore/Resources/rate-overlay.json"
dest.write_text(json.dumps(doc, indent=0, sort_keys=True) + "\n")
print(f"{len(out)} models -> {dest}")
