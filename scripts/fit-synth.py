#!/usr/bin/env python3
"""Fit the synthetic trace generator to the public traces in ../shared/data.

Writes Sources/CostReplayCore/Resources/synth-calibration.json, which `costreplay synth` reads.
Every parameter names its source. Distributions are kept as empirical quantile tables (101 points,
inverse-CDF sampling with linear interpolation) beside log-normal fits quoted in docs/synth.md.

usage: python3 scripts/fit-synth.py [--data ../shared/data] [--out FILE]
"""
import argparse, csv, glob, json, math, os
from datetime import datetime
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def quantiles(values):
    v = np.asarray(values, dtype=float)
    return [round(float(x), 3) for x in np.quantile(v, np.linspace(0, 1, 101))]


def lognormal(values):
    logs = np.log(np.maximum(np.asarray(values, dtype=float), 1))
    return {"mu": round(float(logs.mean()), 4), "sigma": round(float(logs.std()), 4)}


def azure(data):
    path = f"{data}/azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv"
    times, context, generated = [], [], []
    for row in csv.DictReader(open(path)):
        times.append(datetime.strptime(row["TIMESTAMP"][:26], "%Y-%m-%d %H:%M:%S.%f").timestamp())
        context.append(int(row["ContextTokens"]))
        generated.append(int(row["GeneratedTokens"]))
    gaps = np.diff(np.sort(times))
    normalised = gaps / gaps.mean()
    cv = float(gaps.std() / gaps.mean())
    return {
        "source": "Azure LLM inference trace 2023, conversation service (AzureLLMInferenceTrace_conv.csv, CC-BY-4.0)",
        "requests": len(context),
        "context_tokens": {"quantiles": quantiles(context), "lognormal": lognormal(context)},
        "generated_tokens": {"quantiles": quantiles(generated), "lognormal": lognormal(generated)},
        "interarrival": {"mean_seconds": round(float(gaps.mean()), 5), "cv": round(cv, 4),
                         "gamma_shape": round(1 / cv ** 2, 4), "normalised_quantiles": quantiles(normalised)},
    }


def sharegpt(data):
    turns, user, assistant = [], [], []
    for path in sorted(glob.glob(f"{data}/sharegpt92k-sample/sampled_enriched_data/*.json")):
        doc = json.load(open(path))
        if "conversations" not in doc:
            continue
        messages = doc["conversations"]
        human = [m for m in messages if m["from"] == "human"]
        if not human:
            continue
        turns.append(len(human))
        # Tokens estimated at 4 characters each, as CostReplay estimates text it cannot tokenise.
        user += [max(1, len(m["value"]) // 4) for m in human]
        assistant += [max(1, len(m["value"]) // 4) for m in messages if m["from"] == "gpt"]
    counts = np.bincount(turns)
    return {
        "source": "ShareGPT 92k sample, 1,000 conversations (sharegpt92k-sample)",
        "conversations": len(turns),
        "turns": {"probabilities": [round(float(c) / len(turns), 5) for c in counts],
                  "mean": round(float(np.mean(turns)), 4)},
        "user_tokens": {"quantiles": quantiles(user), "lognormal": lognormal(user)},
        "assistant_tokens": {"quantiles": quantiles(assistant), "lognormal": lognormal(assistant)},
    }


def mooncake(data):
    rows = [json.loads(line) for line in open(f"{data}/mooncake-fast25/conversation_trace.jsonl")]
    seen, leading, hits = set(), [], 0
    for row in rows:
        ids = row["hash_ids"]
        k = 0
        while k < len(ids) and ids[k] in seen:
            k += 1
        # A provider cache needs ≥1,024 leading tokens: two 512-token blocks.
        if k >= 2:
            hits += 1
            leading.append(k / len(ids))
        seen.update(ids)
    return {
        "source": "Mooncake FAST'25 conversation trace, 12,031 requests, 512-token block hashes (Apache-2.0)",
        "requests": len(rows),
        "reuse_share": round(hits / len(rows), 5),
        "reused_prefix_fraction": {"quantiles": quantiles(leading)},
        "input_tokens": {"quantiles": quantiles([r["input_length"] for r in rows])},
    }


def qqp(data):
    pairs = json.load(open(f"{data}/gptcache-qqp/similiar_qqp_full.first2000.json"))
    return {"source": "GPTCache QQP pairs, first 2,000 (labelled duplicate or not)",
            "pairs": len(pairs), "duplicate_share": round(sum(p["label"] for p in pairs) / len(pairs), 5)}


def routellm(data):
    weak, strong = "mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-4-1106-preview"
    out = {"source": "RouteLLM evaluations: per-prompt correctness of GPT-4 (gpt-4-1106-preview) and Mixtral-8x7B (Apache-2.0)"}
    for name, files in [("mmlu", sorted(glob.glob(f"{data}/routellm-evals/evals/mmlu/responses/*.csv"))),
                        ("gsm8k", [f"{data}/routellm-evals/evals/gsm8k/gsm8k_responses.csv"])]:
        table = np.zeros((2, 2))
        for path in files:
            for row in csv.DictReader(open(path)):
                table[int(row[weak] == "True"), int(row[strong] == "True")] += 1
        n = table.sum()
        # joint[weak][strong]: P(weak correct = i, strong correct = j)
        out[name] = {"prompts": int(n), "joint": [[round(float(table[i, j] / n), 5) for j in range(2)] for i in range(2)]}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    parser.add_argument("--out", default=os.path.join(ROOT, "Sources/CostReplayCore/Resources/synth-calibration.json"))
    args = parser.parse_args()
    fitted = {"version": "costreplay.synth-calibration/1", "azure": azure(args.data), "sharegpt": sharegpt(args.data),
              "mooncake": mooncake(args.data), "qqp": qqp(args.data), "routellm": routellm(args.data)}
    with open(args.out, "w") as f:
        json.dump(fitted, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
