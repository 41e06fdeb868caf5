#!/usr/bin/env python3
"""Replays one synthetic trace on one machine and through the Spark job (local mode, Parquet input) and compares.

    python3 scripts/spark/check_spark.py --requests 200000 [--partitions 4] [--binary .build/debug/costreplay]

Steps: `costreplay synth` → `ingest` → `export` (canonical JSONL in start order) → Parquet through pyarrow (times as
microsecond UTC timestamps, as a lake table holds them) → `simulate --db` on one machine, and
`costreplay_spark.py simulate --key session` on `local[2]`. Money is compared as the exact decimals the documents
carry (femtodollars), counts exactly, and the bootstrap intervals against the single-machine ones. The cost report
and the CI baseline are compared the same way. Prints one line per check and timings; exit 1 on any difference.
"""
import argparse
import decimal
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load(path):
    """A document with every number as an exact Decimal, so money compares to the femtodollar."""
    with open(path) as handle:
        return json.load(handle, parse_float=decimal.Decimal, parse_int=decimal.Decimal)


def run(args, **kwargs):
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, args[:4]))} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return proc.stdout


def write_parquet(jsonl, path):
    import pyarrow as pa
    import pyarrow.json as pj
    import pyarrow.parquet as pq
    table = pj.read_json(jsonl)
    columns = []
    for field in table.schema:
        column = table[field.name]
        if field.name in ("start", "end", "first_token"):
            column = column.cast(pa.timestamp("us", tz="UTC"))
        columns.append(column)
    pq.write_table(pa.table(columns, names=table.schema.names), path)


def same(a, b):
    """Equal, except fractional numbers (float sums added in another order), which agree to a relative 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, decimal.Decimal) and isinstance(b, decimal.Decimal) and (a != int(a) or b != int(b)):
        return abs(a - b) <= abs(a) * decimal.Decimal("1e-9")
    return a == b


def strip(metrics):
    return {s: {k: v for k, v in c.items() if k != "expirations"} for s, c in metrics.items()}


def compare_scenarios(single, merged, failures):
    """Everything but `expirations` (clean-up counts depend on interleaving) must match exactly."""
    for key in ("baseline", "store", "diagnostics"):
        if single.get(key) != merged.get(key):
            failures.append(f"{key} differs")
    points = 0
    for a, b in zip(single["scenarios"], merged["scenarios"]):
        points += 1
        if not b["exactWhenSharded"]:
            failures.append(f"{a['label']}: not exact when sharded")
        for key in a:
            left, right = a[key], b.get(key)
            if key == "metrics":
                # Clean-up counts depend on interleaving; fractional sums (latency, a summariser's dollars kept as a
                # float counter) are added in another order, so they agree to rounding, not bit for bit.
                left, right = strip(left), strip(right)
            # Money is written as exact decimals and compared exactly: only latencySavedMs and float counters
            # (a summariser's dollars) are fractional sums of floats.
            if key == "totals":
                latency = same(left["latencySavedMs"], right["latencySavedMs"])
                left, right = dict(left, latencySavedMs=None), dict(right, latencySavedMs=None if latency else "differs")
            if (left != right) if key != "metrics" else not same(left, right):
                failures.append(f"{a['label']}: {key} differs")
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/costreplay"))
    parser.add_argument("--scenario", default=os.path.join(HERE, "exact-by-session.yaml"))
    parser.add_argument("--bootstrap-by", choices=["day", "session"], default="day")
    parser.add_argument("--work", default=None, help="keep intermediate files here")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="costreplay-spark-")
    os.makedirs(work, exist_ok=True)
    binary, job = args.binary, os.path.join(HERE, "costreplay_spark.py")
    db, trace, sorted_trace, parquet = (os.path.join(work, name) for name in ("t.db", "synth.jsonl", "t.jsonl", "t.parquet"))
    env = dict(os.environ, COSTREPLAY_DB=db)
    for path in (db, sorted_trace):
        if os.path.exists(path):
            os.remove(path)
    run([binary, "synth", "--requests", str(args.requests), "--seed", str(args.seed), "--no-text", "--out", trace])
    run([binary, "ingest", trace], env=env)
    run([binary, "export", "--out", sorted_trace], env=env)
    write_parquet(sorted_trace, parquet)
    failures = []
    timings = {}

    begin = time.perf_counter()
    single_dir = os.path.join(work, "single")
    run([binary, "simulate", "--scenario", args.scenario, "--bootstrap-by", args.bootstrap_by, "--out", single_dir,
         "--format", "json"], env=env)
    timings["single_machine_seconds"] = time.perf_counter() - begin
    spark_dir = os.path.join(work, "spark")
    spark_timings = os.path.join(work, "timings.json")
    begin = time.perf_counter()
    run([sys.executable, job, "simulate", "--master", "local[2]", "--input", parquet, "--scenario", args.scenario,
         "--key", "session", "--partitions", str(args.partitions), "--bootstrap-by", args.bootstrap_by,
         "--binary", binary, "--out", spark_dir, "--timings", spark_timings])
    timings["spark_job_seconds"] = time.perf_counter() - begin
    timings.update({f"spark_{k}": v for k, v in json.load(open(spark_timings)).items()})
    single, merged = load(os.path.join(single_dir, "result.json")), load(os.path.join(spark_dir, "result.json"))
    points = compare_scenarios(single, merged, failures)
    intervals = sum(1 for s in merged["scenarios"] if s.get("intervals"))
    print(f"simulate: {points} points, {merged['baseline']['requests']} requests; baseline ${merged['baseline']['cost']}; "
          f"{intervals} points with intervals; {'identical' if not failures else 'DIFFERENT'} "
          "(money to the femtodollar, counts, daily and per-model sums, intervals, store health)")

    single_cost = load_text(run([binary, "cost", "--by", "day", "--format", "json"], env=env))
    cost_out = os.path.join(work, "cost.json")
    run([sys.executable, job, "cost", "--master", "local[2]", "--input", parquet, "--by", "day",
         "--partitions", str(args.partitions), "--binary", binary, "--out", cost_out])
    same_cost = single_cost == load(cost_out)
    print(f"cost --by day: {'identical' if same_cost else 'DIFFERENT'}")
    if not same_cost:
        failures.append("cost report differs")

    gate_single, gate_spark = os.path.join(work, "baseline-single.json"), os.path.join(work, "baseline-spark.json")
    for path in (gate_single, gate_spark):
        if os.path.exists(path):
            os.remove(path)
    run([binary, "baseline", "create", "--out", gate_single], env=env)
    run([sys.executable, job, "baseline", "--master", "local[2]", "--input", parquet, "--partitions", str(args.partitions),
         "--binary", binary, "--out", gate_spark])
    a, b = load(gate_single), load(gate_spark)
    same_gate = a["result"]["scenarios"] == b["result"]["scenarios"] and a["pricesDigest"] == b["pricesDigest"]
    print(f"baseline: {'identical' if same_gate else 'DIFFERENT'} scenario figures and prices digest")
    if not same_gate:
        failures.append("baseline differs")
    print("timings: " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()))
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


def load_text(data):
    return json.loads(data, parse_float=decimal.Decimal, parse_int=decimal.Decimal)


if __name__ == "__main__":
    sys.exit(main())
