#!/usr/bin/env python3
"""The Spark job on 1, 2 and 4 partitions of one synthetic trace (local mode, one executor thread per core), beside
the single-machine replay: wall seconds of the whole job, of the replay stage, and of the driver's merge.

    flock /work/.build.lock python3 scripts/spark/scaling.py --requests 2000000 [--binary .build/release/costreplay]

Run it under the build lock: the machine is shared, so the figures carry whatever else ran; the CPU model is printed.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check_spark import ROOT, run, write_parquet  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2_000_000)
    parser.add_argument("--partitions", default="1,2,4")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/costreplay"))
    parser.add_argument("--scenario", default=os.path.join(HERE, "exact-by-session.yaml"))
    parser.add_argument("--work", default="/tmp/costreplay-spark-scaling")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    db, trace, ordered, parquet = (os.path.join(args.work, n) for n in ("t.db", "synth.jsonl", "t.jsonl", "t.parquet"))
    env = dict(os.environ, COSTREPLAY_DB=db)
    if not os.path.exists(parquet):
        run([args.binary, "synth", "--requests", str(args.requests), "--seed", "3", "--no-text", "--out", trace])
        run([args.binary, "ingest", trace], env=env)
        run([args.binary, "export", "--out", ordered], env=env)
        write_parquet(ordered, parquet)
    cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
                if l.startswith("Model name")), "?")
    print(f"CPU: {cpu}; {os.cpu_count()} cores, shared with other work; binary {args.binary}; {args.requests} requests")
    begin = time.perf_counter()
    cpu0 = os.times()
    run([args.binary, "simulate", "--scenario", args.scenario, "--format", "json"], env=env)
    cpu1 = os.times()
    print(f"single machine (store): wall {time.perf_counter() - begin:.1f} s, "
          f"CPU {cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system:.1f} s")
    for partitions in map(int, args.partitions.split(",")):
        timings = os.path.join(args.work, f"timings-{partitions}.json")
        begin = time.perf_counter()
        cpu0 = os.times()
        run([sys.executable, os.path.join(HERE, "costreplay_spark.py"), "simulate", "--master", "local[2]", "--input", parquet,
             "--scenario", args.scenario, "--key", "session", "--partitions", str(partitions), "--binary", args.binary,
             "--out", os.path.join(args.work, f"out-{partitions}"), "--timings", timings])
        cpu1 = os.times()
        wall = time.perf_counter() - begin
        stage = json.load(open(timings))
        print(f"{partitions} partitions: job wall {wall:.1f} s (child CPU {cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system:.1f} s), "
              f"read+split+replay {stage['replay_seconds']:.1f} s, driver merge {stage['merge_seconds']:.2f} s; "
              f"{args.requests / stage['replay_seconds']:.0f} requests/s")


if __name__ == "__main__":
    main()
