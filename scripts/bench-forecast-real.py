#!/usr/bin/env python3
"""Rolling-origin comparison on REAL traffic: CostReplay's forecaster, statsforecast's AutoETS and SeasonalNaive on
per-minute cost of the two timestamped public traces in /work/shared/data (docs/forecast.md, "Real series").

Both traces span about one hour, so there is no real daily series to be had: each is cut into minutes (about 60
values) and each minute is passed to the forecasters as one step of a series (CostReplay's `--series` reads it as
consecutive days). The weekly candidates (period 7) then stand for a 7-minute cycle, which both AICc choosers may
reject; SeasonalNaive (lag 7) is the baseline as in the synthetic benchmark. Cost is priced at one illustrative
rate ($2.50 per million input tokens, $10 per million output tokens, OpenAI's gpt-4o list price), since the traces
carry token counts, not models.

Origins: training on the first 28, 30, ..., 48 minutes, forecasting the next 10 (overlapping windows). Scores as bench-forecast.py.

  swift build -c release --product costreplay && /tmp/fc-venv/bin/python scripts/bench-forecast-real.py
"""
import argparse, csv, datetime, importlib.util, json, os, sys, tempfile

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_forecast", os.path.join(HERE, "bench-forecast.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

INPUT_USD, OUTPUT_USD = 2.50e-6, 10.0e-6
HORIZON = 10
ORIGINS = range(28, 49, 2)


def azure(path):
    """(seconds since the first request, input tokens, output tokens) from the Azure 2023 conversation trace."""
    rows = []
    with open(path, newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            try:
                stamp = datetime.datetime.fromisoformat(row["TIMESTAMP"][:26])
                rows.append((stamp.timestamp(), int(row["ContextTokens"]), int(row["GeneratedTokens"])))
            except (KeyError, ValueError) as error:
                sys.exit(f"{path}:{line}: unreadable row ({error})")
    first = min(r[0] for r in rows)
    return [(t - first, i, o) for t, i, o in rows]


def mooncake(path):
    """The same from the Mooncake FAST'25 conversation trace (timestamps in milliseconds)."""
    rows = []
    with open(path) as f:
        for line, text in enumerate(f, start=1):
            try:
                record = json.loads(text)
                rows.append((record["timestamp"] / 1000, int(record["input_length"]), int(record["output_length"])))
            except (KeyError, ValueError) as error:
                sys.exit(f"{path}:{line}: unreadable record ({error})")
    return rows


def per_minute(rows):
    """Cost of each whole minute (a last, partial minute is dropped)."""
    minutes = int(max(t for t, _, _ in rows) // 60)
    cost = np.zeros(minutes)
    for t, i, o in rows:
        if int(t // 60) < minutes:
            cost[int(t // 60)] += i * INPUT_USD + o * OUTPUT_USD
    return cost


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--costreplay", default=".build/release/costreplay")
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--paths", type=int, default=2000)
    args = parser.parse_args()
    traces = {"azure-llm-inference-2023": per_minute(azure(os.path.join(args.data, "azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv"))),
              "mooncake-fast25": per_minute(mooncake(os.path.join(args.data, "mooncake-fast25/conversation_trace.jsonl")))}
    start = datetime.date(2025, 1, 6)
    series = [{"id": f"{name}@{origin}", "trace": name, "start": start, "y": cost[:origin + HORIZON]}
              for name, cost in traces.items() for origin in ORIGINS if origin + HORIZON <= len(cost)]
    with tempfile.TemporaryDirectory() as workdir:
        methods = {"CostReplay": bench.run_costreplay(args.costreplay, series, workdir, args.paths, horizon=HORIZON)}
    methods.update(bench.run_statsforecast(series, horizon=HORIZON))
    scores = []
    for s in series:
        train, actual = s["y"][:-HORIZON], s["y"][-HORIZON:]
        for name, results in methods.items():
            median, low, high, model = results[s["id"]]
            mase, coverage = bench.mase_and_coverage(train, actual, median, low, high)
            scores.append({"trace": s["trace"], "id": s["id"], "method": name, "mase": mase, "coverage": coverage, "model": model})
    frame = pd.DataFrame(scores)
    for name, cost in traces.items():
        print(f"{name}: {len(cost)} whole minutes, ${cost.sum():.2f} at the illustrative rate, "
              f"${cost.min():.2f}–${cost.max():.2f} a minute")
    used = sorted({int(s["id"].split("@")[1]) for s in series})
    print(f"\nOrigins after {', '.join(map(str, used))} minutes, horizon {HORIZON} minutes, CostReplay paths {args.paths}\n")
    print("| trace | method | origins | mean MASE | median MASE | 80% interval coverage |\n|---|---|---|---|---|---|")
    for (trace, name), part in frame.groupby(["trace", "method"], sort=False):
        print(f"| {trace} | {name} | {len(part)} | {part.mase.mean():.3f} | {part.mase.median():.3f} | {part.coverage.mean():.1%} |")
    chosen = frame[frame.method == "CostReplay"]
    print("\nCostReplay's models: " + "; ".join(f"{r.id}: {r.model}" for r in chosen.itertuples()))


if __name__ == "__main__":
    main()
