#!/usr/bin/env bash
# Ingest benchmark: CostReplay vs DuckDB read_json on the same synthetic JSONL trace.
# Usage: scripts/bench-ingest.sh [REQUESTS]   (default 1,000,000; prints figures, asserts nothing)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
out=${BENCH_DIR:-/tmp/costreplay-bench}
mkdir -p "$out"
bash scripts/setup.sh
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb
swift build -c release --product costreplay >/dev/null
bin=.build/release/costreplay
trace="$out/synth-$n.jsonl"
[ -f "$trace" ] || "$bin" synth --requests "$n" --compact --seed 7 --out "$trace"
bytes=$(stat -c %s "$trace")
echo "trace: $trace, $n requests, $bytes bytes, $((bytes / n)) bytes/line"

rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
/usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" ingest "$trace" --db "$out/bench.db" >/dev/null
read -r secs kb < "$out/time.txt"
python3 -c "print(f'costreplay ingest: {$secs:.2f} s, {$n/$secs:,.0f} requests/s, peak RSS {$kb/1024:,.0f} MiB')"

/usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" ingest "$trace" --db "$out/bench.db" >/dev/null
read -r secs kb < "$out/time.txt"
python3 -c "print(f'costreplay re-ingest (all duplicates): {$secs:.2f} s, {$n/$secs:,.0f} requests/s, peak RSS {$kb/1024:,.0f} MiB')"

/usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" cost --db "$out/bench.db" --by model >/dev/null
read -r secs kb < "$out/time.txt"
python3 -c "print(f'costreplay cost --by model: {$secs:.2f} s, {$n/$secs:,.0f} requests/s, peak RSS {$kb/1024:,.0f} MiB')"

rm -f "$out/duck.db" "$out/duck.db.wal"
python3 - "$trace" "$out/duck.db" <<'PY'
import duckdb, resource, sys, time
path, db = sys.argv[1], sys.argv[2]
con = duckdb.connect(db)
t = time.perf_counter()
con.execute(f"CREATE TABLE t AS SELECT * FROM read_json('{path}', format='newline_delimited')")
dt = time.perf_counter() - t
n = con.execute("SELECT count(*) FROM t").fetchone()[0]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"duckdb {duckdb.__version__} read_json into a table: {dt:.2f} s, {n/dt:,.0f} rows/s, peak RSS {rss:,.0f} MiB")
PY
