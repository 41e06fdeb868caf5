#!/usr/bin/env python3
"""Run CostReplay on Apache Spark: split a trace table by the scenario's shard key, replay each partition with
`costreplay simulate --stdin --part I/N` on the executors, and merge the partial documents on the driver.

    spark-submit scripts/spark/costreplay_spark.py simulate --input s3://lake/traces/2026-10/ \\
        --scenario scenarios/caching.yaml --key session --partitions 200 --out out/caching
    spark-submit scripts/spark/costreplay_spark.py cost --input PATH --by day --out out/cost.json
    spark-submit scripts/spark/costreplay_spark.py baseline --input PATH [--scenario current.yaml] --out baseline.json

The input is a Parquet table whose columns are the canonical fields (docs/trace-format.md), or canonical JSONL
(`--input-format json`, read as text, so every line reaches the binary byte for byte). The `costreplay` binary and its
resource bundle must be on the executors (docs/spark.md): `--binary` names it there, e.g. `./costreplay/costreplay`
from `--archives costreplay-linux.tar.gz#costreplay`. Scenario and price files are shipped with the job.

Exit codes follow the CLI: 0 success, 1 a check failed, 2 a usage or input error (including a scenario that is not
exact under the chosen key, unless --accept-approximation).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

TIMESTAMP_FIELDS = ("start", "end", "first_token")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="costreplay_spark.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub):
        sub.add_argument("--input", required=True, help="trace table: a Parquet path or canonical JSONL path Spark can read")
        sub.add_argument("--input-format", choices=["parquet", "json"], default=None,
                         help="default: json for paths ending .jsonl/.json(.gz), else parquet")
        sub.add_argument("--partitions", type=int, default=None, help="partitions (default: Spark's default parallelism)")
        sub.add_argument("--binary", default="costreplay", help="the costreplay binary as the executors see it")
        sub.add_argument("--driver-binary", default=None, help="the binary on the driver, for merge (default: --binary)")
        sub.add_argument("--prices", action="append", default=[], help="extra price file, shipped to executors; repeatable")
        sub.add_argument("--master", default=None, help="Spark master when not run by spark-submit, e.g. local[2]")
        sub.add_argument("--timings", default=None, help="write stage timings (seconds) as JSON here")

    simulate = commands.add_parser("simulate", help="replay a scenario file over the whole table")
    common(simulate)
    simulate.add_argument("--scenario", required=True)
    simulate.add_argument("--key", choices=["session", "user", "tenant"], required=True,
                          help="shard key: every request of one key value is replayed in one partition")
    simulate.add_argument("--out", required=True, help="directory for the merged result.json, CSVs and parts/")
    simulate.add_argument("--seed", type=int, default=42)
    simulate.add_argument("--bootstrap", type=int, default=1000)
    simulate.add_argument("--bootstrap-by", choices=["day", "session"], default="day")
    simulate.add_argument("--accept-approximation", action="store_true",
                          help="run a scenario that is not exact under --key; the merged document says which points")

    cost = commands.add_parser("cost", help="re-price every request (any split is exact)")
    common(cost)
    cost.add_argument("--by", default="model")
    cost.add_argument("--out", required=True, help="the merged cost report (JSON)")

    baseline = commands.add_parser("baseline", help="the CI gate's baseline document (costreplay baseline create)")
    common(baseline)
    baseline.add_argument("--scenario", default=None, help="the current configuration (default: the traffic as recorded)")
    baseline.add_argument("--key", choices=["session", "user", "tenant"], default="tenant")
    baseline.add_argument("--out", required=True)
    baseline.add_argument("--accept-approximation", action="store_true")
    return parser.parse_args(argv)


class JobError(Exception):
    """A usage or input problem: printed as `error: ...`, exit code 2."""


def run_binary(args, stdin_bytes=b"", check=True):
    """Runs the binary on the driver; returns stdout, raising JobError with its stderr on failure."""
    proc = subprocess.run(args, input=stdin_bytes, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and proc.returncode != 0:
        raise JobError(f"{' '.join(args[:3])} … exited {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


# ---------------------------------------------------------------------------------------------------------------
# Exactness: asked of the binary itself, so the Python side never restates which strategy is exact under which key.

def exactness(binary, scenario, key, prices):
    """Per scenario point, whether it is exact when split by `key`: the binary replays an empty part."""
    doc = json.loads(run_binary([binary, "simulate", "--stdin", "--part", "0/1", "--shard-by", key, "--scenario", scenario,
                                 "--bootstrap", "0", "--format", "json"] + price_args(prices)))
    return [(point["label"], point["exactWhenSharded"], point["steps"]) for point in doc["scenarios"]]


APPROXIMATION = {
    # strategy -> what splitting does to it when it is not exact under the key (docs/scenarios.md, Sharding).
    "exact_cache": "hits can only be lost across partitions (unbounded) or gained (each partition gets the whole capacity)",
    "semantic_cache": "hits can only be lost across partitions (unbounded) or gained (each partition gets the whole capacity)",
    "component_cache": "hits can only be lost across partitions (unbounded) or gained (each partition gets the whole capacity)",
    "prefix_cache": "hits can only be lost across partitions (unbounded) or gained (each partition gets the whole capacity)",
    "truncate": "summaries follow the session; split by another key they restart per partition",
    "cascade": "random escalation draws follow request order, so each request may draw differently",
    "local_gpu": "each partition queues on the whole fleet; contention is under-counted",
}


def approximation_message(points, key):
    lines = [f"not exact when split by {key}:"]
    for label, exact, steps in points:
        if exact:
            continue
        lines.append(f"  {label}")
        for step in steps:
            reason = APPROXIMATION.get(step["strategy"])
            if reason:
                lines.append(f"    {step['strategy']}: {reason}")
    lines.append("  bound: for an unbounded cache (no capacity, no ttl) the hits lost are at most "
                 "(sum of the partitions' misses) - (largest partition's misses); the job prints it after an approximate run")
    return "\n".join(lines)


def lost_hit_bounds(parts, points):
    """For approximate points whose caches are unbounded: [merged hits, merged hits + sum(misses) - max(misses)]."""
    bounds = []
    for index, (label, exact, steps) in enumerate(points):
        if exact:
            continue
        for position, step in enumerate(steps):
            params = step.get("parameters", {})
            if step["strategy"] not in ("exact_cache", "semantic_cache", "component_cache", "prefix_cache"):
                continue
            if number(params.get("capacity")) or number(params.get("capacity_blocks")) or number(params.get("ttl")):
                continue
            name = f"{position + 1}:{step['strategy']}"
            misses = [p["scenarios"][index]["metrics"].get(name, {}).get("misses", 0) for p in parts]
            hits = sum(p["scenarios"][index]["metrics"].get(name, {}).get("hits", 0) for p in parts)
            if misses:
                bounds.append((label, name, int(hits), int(hits + sum(misses) - max(misses))))
    return bounds


def number(value):
    """A parameter value as the document writes it ({"number": {"_0": 3}}); 0 when absent or not a number."""
    while isinstance(value, dict):
        value = next(iter(value.values()), 0)
    return value if isinstance(value, (int, float)) else 0


def price_args(prices):
    return [arg for path in prices for arg in ("--prices", path)]


# ---------------------------------------------------------------------------------------------------------------
# Spark side.

def spark_session(master):
    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName("costreplay")
    if master:
        builder = builder.master(master)
    spark = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def canonical_lines(spark, path, input_format):
    """A DataFrame of (id, start_us, session_id, user_id, tenant_id, line): one canonical JSON line per request."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampType, TimestampNTZType
    if input_format is None:
        input_format = "json" if path.rstrip("/").endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz")) else "parquet"
    if input_format == "json":
        df = spark.read.text(path).where(F.trim("value") != "")
        field = lambda name: F.get_json_object("value", f"$.{name}")
        start = field("start")
        return df.select(field("id").alias("_id"), start.alias("_start"), field("session_id").alias("session_id"),
                         field("user_id").alias("user_id"), field("tenant_id").alias("tenant_id"), F.col("value").alias("_line"))
    df = spark.read.parquet(path)
    columns = []
    for item in df.schema.fields:
        if isinstance(item.dataType, (TimestampType, TimestampNTZType)):
            # Canonical times are ISO 8601 UTC with microseconds.
            columns.append(F.date_format(F.col(item.name), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").alias(item.name))
        else:
            columns.append(F.col(item.name))
    df = df.select(*columns)
    present = set(df.columns)
    key = lambda name: F.col(name) if name in present else F.lit(None).cast("string")
    return df.select(F.col("id").alias("_id"), (F.col("start") if "start" in present else F.lit(None)).cast("string").alias("_start"),
                     key("session_id").alias("session_id"), key("user_id").alias("user_id"), key("tenant_id").alias("tenant_id"),
                     F.to_json(F.struct(*[F.col(c) for c in df.columns])).alias("_line"))


def start_micros():
    """Start as microseconds for the sort: ISO 8601 text through Spark's timestamp cast, epoch numbers by magnitude."""
    from pyspark.sql import functions as F
    text = F.col("_start")
    numeric = text.rlike(r"^-?[0-9]+(\.[0-9]+)?$")
    value = text.cast("double")
    # The canonical reader's `auto` rule: seconds, milliseconds, microseconds or nanoseconds by magnitude.
    epoch = (F.when(F.abs(value) < 1e11, value * 1e6).when(F.abs(value) < 1e14, value * 1e3)
             .when(F.abs(value) < 1e17, value).otherwise(value / 1e3)).cast("long")
    return F.when(numeric, epoch).otherwise(F.unix_micros(F.to_timestamp(text)))


def split_by_key(frame, key, partitions):
    """Partitions by the key (requests without it all in one partition, as `--shard` places them), each sorted by start
    then id, as the binary reads them."""
    from pyspark.sql import functions as F
    keyed = frame.withColumn("_key", F.coalesce(F.col(f"{key}_id"), F.lit(""))).withColumn("_start_us", start_micros())
    return keyed.repartition(partitions, "_key").sortWithinPartitions(F.col("_start_us").asc_nulls_first(), F.col("_id"))


def pipe_partitions(frame, make_command):
    """Runs the binary once per partition with its lines on standard input; returns [(index, document text)]."""
    def run(index, rows):
        command = make_command(index)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err)
            try:
                for row in rows:
                    proc.stdin.write(row._line.encode("utf-8") + b"\n")
            except BrokenPipeError:
                pass
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
            code = proc.wait()
            out.seek(0)
            err.seek(0)
            message = err.read().decode(errors="replace")
            if code != 0:
                raise RuntimeError(f"partition {index}: {' '.join(command[:2])} exited {code}: {message.strip()}")
            yield (index, out.read().decode("utf-8"), message)
    return frame.select("_line").rdd.mapPartitionsWithIndex(run).collect()


def ship(spark, paths):
    """Adds files to the job; returns the names executors open them by (SparkFiles)."""
    for path in paths:
        spark.sparkContext.addFile(os.path.abspath(path))
    return [os.path.basename(path) for path in paths]


def executor_path(name):
    from pyspark import SparkFiles
    return SparkFiles.get(name)


# ---------------------------------------------------------------------------------------------------------------
# Commands.

def preflight(args):
    """Checks exactness under the key before Spark starts; returns the points (label, exact, steps)."""
    points = exactness(args.driver_binary or args.binary, args.scenario, args.key, args.prices)
    if not all(exact for _, exact, _ in points):
        message = approximation_message(points, args.key)
        if not args.accept_approximation:
            raise JobError(message + "\nrerun with --accept-approximation to replay anyway, or split by another --key")
        print("warning: " + message, file=sys.stderr)
    return points


def simulate(args, spark, timings):
    driver = args.driver_binary or args.binary
    points = getattr(args, "points", None) or preflight(args)
    partitions = args.partitions or spark.sparkContext.defaultParallelism
    scenario_name, *price_names = ship(spark, [args.scenario] + args.prices)
    binary, key, seed, bootstrap, by = args.binary, args.key, args.seed, args.bootstrap, args.bootstrap_by

    def command(index):
        prices = [arg for name in price_names for arg in ("--prices", executor_path(name))]
        return [binary, "simulate", "--stdin", "--part", f"{index}/{partitions}", "--shard-by", key,
                "--scenario", executor_path(scenario_name), "--seed", str(seed), "--bootstrap", str(bootstrap),
                "--bootstrap-by", by, "--format", "json"] + prices

    begin = time.perf_counter()
    frame = split_by_key(canonical_lines(spark, args.input, args.input_format), args.key, partitions)
    results = pipe_partitions(frame, command)
    timings["replay_seconds"] = time.perf_counter() - begin
    parts = write_parts(args.out, results)
    begin = time.perf_counter()
    merge = [driver, "merge"] + parts + ["--out", args.out, "--format", "json"]
    run_binary(merge)
    timings["merge_seconds"] = time.perf_counter() - begin
    documents = [json.load(open(path)) for path in parts]
    for label, name, low, high in lost_hit_bounds(documents, points):
        print(f"approximate: {label} {name}: {low} hits merged; unsplit at most {high}", file=sys.stderr)
    report_rejections(results)
    return os.path.join(args.out, "result.json")


def write_parts(out, results):
    os.makedirs(os.path.join(out, "parts"), exist_ok=True)
    paths = []
    for index, text, _ in sorted(results):
        path = os.path.join(out, "parts", f"part-{index:05d}.json")
        with open(path, "w") as handle:
            handle.write(text)
        paths.append(path)
    return paths


def report_rejections(results):
    for index, _, message in sorted(results):
        if message.strip():
            print(f"partition {index}: {message.strip()}", file=sys.stderr)


def cost(args, spark, timings):
    driver = args.driver_binary or args.binary
    partitions = args.partitions or spark.sparkContext.defaultParallelism
    price_names = ship(spark, args.prices)
    binary, by = args.binary, args.by

    def command(index):
        return [binary, "cost", "--stdin", "--by", by, "--format", "json"] + [
            arg for name in price_names for arg in ("--prices", executor_path(name))]

    begin = time.perf_counter()
    # Re-pricing is per request: no key, any split; each partition is still sent in start order.
    from pyspark.sql import functions as F
    frame = canonical_lines(spark, args.input, args.input_format).repartition(partitions).withColumn("_start_us", start_micros())
    results = pipe_partitions(frame.sortWithinPartitions(F.col("_start_us").asc_nulls_first(), F.col("_id")), command)
    timings["replay_seconds"] = time.perf_counter() - begin
    out_dir = os.path.dirname(os.path.abspath(args.out))
    parts = write_parts(os.path.join(out_dir, os.path.basename(args.out) + ".d"), results)
    begin = time.perf_counter()
    merged = run_binary([driver, "merge"] + parts + ["--format", "json"])
    timings["merge_seconds"] = time.perf_counter() - begin
    with open(args.out, "wb") as handle:
        handle.write(merged)
    report_rejections(results)
    return args.out


def baseline(args, spark, timings):
    """The gate's baseline: the configuration replayed without intervals, merged, then wrapped by the binary."""
    driver = args.driver_binary or args.binary
    with tempfile.TemporaryDirectory() as scratch:
        scenario = args.scenario
        if scenario is None:
            scenario = os.path.join(scratch, "as-recorded.yaml")
            with open(scenario, "w") as handle:
                handle.write("scenarios: [{name: current, strategies: []}]\n")
        sim = argparse.Namespace(**vars(args))
        sim.scenario, sim.out, sim.seed, sim.bootstrap, sim.bootstrap_by = scenario, os.path.join(scratch, "sim"), 42, 0, "day"
        result = simulate(sim, spark, timings)
        command = [driver, "baseline", "create", "--result", result, "--out", args.out] + price_args(args.prices)
        if args.scenario:
            command += ["--scenario", args.scenario]
        sys.stdout.write(run_binary(command).decode())
    return args.out


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    timings = {}
    try:
        if args.command == "simulate":
            args.points = preflight(args)
        spark = spark_session(args.master)
        try:
            output = {"simulate": simulate, "cost": cost, "baseline": baseline}[args.command](args, spark, timings)
        finally:
            spark.stop()
    except JobError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.timings:
        with open(args.timings, "w") as handle:
            json.dump(timings, handle, indent=2)
    print(f"{args.command}: written {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
