#!/usr/bin/env python3
"""Benchmark: CostReplay's forecaster against statsforecast's AutoETS and SeasonalNaive on the same
synthetic daily cost series with known truth, in the same run (docs/forecast.md, "Benchmark").

Series: levels, trends, damped trends, weekly seasonality, launch and price-cut steps, heavy-tailed
(Student-t, 3 df) noise on the log scale; training lengths 4 to 52 weeks; the next 28 days held out.
Scores: MASE (mean absolute error of the median over the in-sample seasonal-naive MAE, lag 7) and the
share of held-out days inside the 80% interval (P10–P90), per method and length bucket.

Needs statsforecast in a throwaway venv:
  python3 -m venv /tmp/fc-venv && /tmp/fc-venv/bin/pip install statsforecast==2.1.1 pandas
  swift build -c release --product costreplay && /tmp/fc-venv/bin/python scripts/bench-forecast.py --seed 2026
"""
import argparse, datetime, json, math, os, resource, statistics, subprocess, sys, tempfile, time

import numpy as np
import pandas as pd

HORIZON = 28
BUCKETS = [(4, 7, "4–7 weeks"), (8, 12, "8–12 weeks"), (13, 25, "13–25 weeks"), (26, 52, "26–52 weeks")]


def make_series(rng, index):
    """One series and a description of its truth; values are training + HORIZON days."""
    weeks = int(rng.choice([4, 5, 6, 8, 10, 13, 17, 26, 39, 52]))
    n = weeks * 7 + HORIZON
    t = np.arange(n)
    level = math.exp(rng.uniform(math.log(20), math.log(5000)))
    kind = rng.choice(["level", "trend", "damped"])
    log_mean = np.zeros(n)
    if kind == "trend":
        log_mean += rng.uniform(-0.006, 0.012) * t
    elif kind == "damped":
        phi, b = rng.uniform(0.9, 0.98), rng.uniform(-0.02, 0.03)
        log_mean += b * (1 - phi ** (t + 1)) / (1 - phi)
    seasonal = rng.random() < 0.6
    start = datetime.date(2025, 1, 6) + datetime.timedelta(days=int(rng.integers(0, 7)))
    if seasonal:
        weekend = rng.uniform(0.3, 0.85)
        weekday = np.array([(start + datetime.timedelta(days=int(d))).weekday() for d in t])
        log_mean += np.where(weekday >= 5, math.log(weekend), 0.0)
    steps = []
    for name, low, high in [("launch", 0.3, 1.0), ("price cut", -0.5, -0.2)]:
        if rng.random() < 0.25:
            at = int(rng.integers(7, n))
            size = rng.uniform(low, high)
            log_mean += np.where(t >= at, math.log(1 + size), 0.0)
            steps.append(f"{name} {size:+.0%} on day {at}")
    noise = rng.uniform(0.04, 0.25)
    y = level * np.exp(log_mean + noise * rng.standard_t(3, size=n) / math.sqrt(3))
    truth = f"{kind}{', weekly' if seasonal else ''}{', ' + '; '.join(steps) if steps else ''}, noise {noise:.2f}"
    return {"id": f"s{index:03d}", "weeks": weeks, "start": start, "y": y, "truth": truth}


def mase_and_coverage(train, actual, median, low, high):
    scale = np.mean(np.abs(train[7:] - train[:-7]))
    mase = float(np.mean(np.abs(actual - median)) / max(scale, 1e-12))
    coverage = float(np.mean((actual >= low) & (actual <= high)))
    return mase, coverage


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return sum(u.ru_utime + u.ru_stime for u in usage)


def run_costreplay(binary, series, workdir, paths, horizon=HORIZON):
    """CostReplay's daily P50/P10/P90 for the last `horizon` values of each series, trained on the rest."""
    results = {}
    for s in series:
        train = s["y"][:-horizon]
        path = os.path.join(workdir, s["id"] + ".csv")
        with open(path, "w") as f:
            f.write("day,cost\n")
            for d, value in enumerate(train):
                f.write(f"{s['start'] + datetime.timedelta(days=d)},{value:.6f}\n")
        out = subprocess.run([binary, "forecast", "--series", path, "--daily", str(horizon), "--paths", str(paths), "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
        doc = json.loads(out)
        results[s["id"]] = (np.array(doc["p50"]), np.array(doc["p10"]), np.array(doc["p90"]), doc["model"]["chosen"])
    return results


def run_statsforecast(series, horizon=HORIZON):
    """AutoETS and SeasonalNaive (season 7) forecasts of the last `horizon` values, with 80% intervals."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, SeasonalNaive
    rows = []
    for s in series:
        train = s["y"][:-horizon]
        ds = pd.date_range(s["start"], periods=len(train), freq="D")
        rows.append(pd.DataFrame({"unique_id": s["id"], "ds": ds, "y": train}))
    frame = pd.concat(rows)
    sf = StatsForecast(models=[AutoETS(season_length=7), SeasonalNaive(season_length=7)], freq="D", n_jobs=1)
    forecast = sf.forecast(df=frame, h=horizon, level=[80])
    forecast = forecast.reset_index() if "unique_id" not in forecast.columns else forecast
    results = {"AutoETS": {}, "SeasonalNaive": {}}
    for uid, group in forecast.groupby("unique_id"):
        group = group.sort_values("ds")
        for name in results:
            results[name][uid] = (group[name].to_numpy(), group[f"{name}-lo-80"].to_numpy(), group[f"{name}-hi-80"].to_numpy(), name)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--costreplay", default=".build/release/costreplay")
    parser.add_argument("--count", type=int, default=240)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--details", help="write per-series scores as CSV here")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    series = [make_series(rng, i) for i in range(args.count)]
    timings = {}
    with tempfile.TemporaryDirectory() as workdir:
        wall, cpu = time.perf_counter(), cpu_seconds()
        methods = {"CostReplay": run_costreplay(args.costreplay, series, workdir, args.paths)}
        timings["CostReplay"] = (time.perf_counter() - wall, cpu_seconds() - cpu)
    wall, cpu = time.perf_counter(), cpu_seconds()
    methods.update(run_statsforecast(series))
    timings["statsforecast (AutoETS + SeasonalNaive)"] = (time.perf_counter() - wall, cpu_seconds() - cpu)

    scores = []
    for s in series:
        train, actual = s["y"][:-HORIZON], s["y"][-HORIZON:]
        for name, results in methods.items():
            median, low, high, model = results[s["id"]]
            mase, coverage = mase_and_coverage(train, actual, median, low, high)
            scores.append({"id": s["id"], "weeks": s["weeks"], "method": name, "mase": mase, "coverage": coverage, "model": model, "truth": s["truth"]})
    frame = pd.DataFrame(scores)
    if args.details:
        frame.to_csv(args.details, index=False)
    cpu = next((line.split(":", 1)[1].strip() for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
                if line.startswith("Model name")), "unknown CPU")
    print(f"{args.count} series, seed {args.seed}, horizon {HORIZON} days, CostReplay paths {args.paths}; {cpu}, {os.cpu_count()} cores (shared)\n")
    print("| training length | series | method | median MASE | mean MASE | 80% interval coverage |")
    print("|---|---|---|---|---|---|")
    for low, high, label in BUCKETS + [(0, 999, "all")]:
        part = frame[(frame.weeks >= low) & (frame.weeks <= high)]
        for name in methods:
            m = part[part.method == name]
            print(f"| {label} | {len(m)} | {name} | {m.mase.median():.3f} | {m.mase.mean():.3f} | {m.coverage.mean():.1%} |")
    # Where each method wins or loses: the kind of truth (level, trend, damped), seasonality and steps.
    frame["kind"] = frame.truth.str.split(",").str[0] + np.where(frame.truth.str.contains("weekly"), " weekly", "") \
        + np.where(frame.truth.str.contains("launch|price cut"), " +steps", "")
    print("\n| series kind | series | " + " | ".join(f"{name} median MASE" for name in methods) + " |")
    print("|---|---|" + "---|" * len(methods))
    for kind, part in frame.groupby("kind"):
        medians = [part[part.method == name].mase.median() for name in methods]
        print(f"| {kind} | {len(part) // len(methods)} | " + " | ".join(f"{m:.3f}" for m in medians) + " |")
    wins = frame.pivot(index="id", columns="method", values="mase")
    print(f"\nCostReplay MASE below AutoETS on {(wins['CostReplay'] < wins['AutoETS']).mean():.1%} of series.")
    print("\n| method | wall s | CPU s |\n|---|---|---|")
    for name, (w, c) in timings.items():
        print(f"| {name} | {w:.1f} | {c:.1f} |")


if __name__ == "__main__":
    main()
