#!/usr/bin/env bash
# Replay benchmark against plain peers (prints figures, asserts only that hit counts agree), issue 13:
#  (a) the 50-point exact-cache sweep (scenarios/exact-cache-sweep.yaml) on REQUESTS requests of
#      `costreplay synth --compact --seed 7`, alternated RUNS times with scripts/lru_ttl_peer.py (plain Python
#      OrderedDict LRU+TTL, same keys and TTL rules) on the same file; every counter of every point is compared;
#  (b) ingest of the same file, alternated with DuckDB `read_json` into a persistent table (pip duckdb in a venv);
#  (c) scenarios/levers.yaml on traces of the sizes in LEVERS (with text and message structure), time and peak RSS.
# Wall and CPU seconds (user+sys) per run, then medians. Set BASELINE=path/to/costreplay to time another build
# of costreplay in (a) and (b) as well (A/B). Usage: scripts/bench-replay-peer.sh [REQUESTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
runs=${2:-3}
out=${BENCH_DIR:-/tmp/costreplay-bench}
levers=${LEVERS:-"50000 100000 200000"}
sections=${SECTIONS:-abc}   # which of (a), (b), (c) to run
mkdir -p "$out"
swift build -c release --product costreplay >/dev/null
bin=$PWD/.build/release/costreplay
lscpu | grep -m1 'Model name' || true
echo "cores: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

trace="$out/synth-$n.jsonl"
[ -f "$trace" ] || "$bin" synth --requests "$n" --compact --seed 7 --out "$trace"
# (b) times its own ingests; only (a) reads this store
if [[ $sections == *a* ]] && [ ! -f "$out/replay-$n.db" ]; then "$bin" ingest "$trace" --db "$out/replay-$n.db" >/dev/null; fi

# time LABEL COMMAND...: appends "LABEL wall cpu peakKB" to $out/times.txt and prints it (on fd 3: the command's
# own output may be redirected)
exec 3>&1
timed() {
    local label=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$out/t.txt" "$@"
    read -r wall user sys kb < "$out/t.txt"
    python3 -c "print(f'$label {$wall} {$user + $sys:.2f} $kb')" | tee -a "$out/times.txt" >&3
}
: > "$out/times.txt"

if [[ $sections == *a* ]]; then
echo "(a) 50-point exact sweep, $n requests; label wall-s cpu-s peak-KB"
for i in $(seq "$runs"); do
    timed costreplay "$bin" simulate --scenario scenarios/exact-cache-sweep.yaml --db "$out/replay-$n.db" \
        --out "$out/sweep" >/dev/null
    if [ -n "${BASELINE:-}" ]; then
        timed baseline "$BASELINE" simulate --scenario scenarios/exact-cache-sweep.yaml --db "$out/replay-$n.db" \
            --out "$out/sweep-baseline" >/dev/null
    fi
    timed python-peer python3 scripts/lru_ttl_peer.py "$trace" > "$out/peer.jsonl"
done
python3 - "$out/sweep/result.json" "$out/peer.jsonl" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
peer = {(d["capacity"], d["ttl"]): d for d in map(json.loads, open(sys.argv[2]))}
differences = 0
for s in result["scenarios"]:
    p = s["steps"][0]["parameters"]
    key = (p["capacity"]["number"]["_0"], float(p["ttl"]["number"]["_0"]))
    m = s["metrics"]["1:exact_cache"]
    for c in ("lookups", "hits", "misses", "evictions", "expirations"):
        if m.get(c, 0) != peer[key][c]:
            differences += 1
            print("differs:", key, c, m.get(c, 0), peer[key][c])
print(f"counters compared at {len(result['scenarios'])} points: {differences} differences")
sys.exit(1 if differences else 0)
PY
fi

if [[ $sections == *b* ]]; then
echo "(b) ingest against DuckDB read_json"
venv="$out/venv"
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q duckdb; }
for i in $(seq "$runs"); do
    rm -f "$out/ingest.db" "$out/ingest.db-wal" "$out/ingest.db-shm" "$out/duck.db"
    timed ingest "$bin" ingest "$trace" --db "$out/ingest.db" >/dev/null
    if [ -n "${BASELINE:-}" ]; then
        rm -f "$out/ingest-baseline.db" "$out/ingest-baseline.db-wal" "$out/ingest-baseline.db-shm"
        timed ingest-baseline "$BASELINE" ingest "$trace" --db "$out/ingest-baseline.db" >/dev/null
    fi
    timed duckdb "$venv/bin/python" -c "import duckdb; c = duckdb.connect('$out/duck.db'); c.execute(\"create table t as select * from read_json('$trace', format='newline_delimited')\"); print(c.execute('select count(*) from t').fetchone()[0])" >/dev/null
done
fi

if [[ $sections == *c* ]]; then
echo "(c) scenarios/levers.yaml (all levers, 4 scenarios with attribution)"
for m in $levers; do
    full="$out/synth-full-$m.jsonl"
    [ -f "$full" ] || "$bin" synth --requests "$m" --seed 7 --out "$full"
    [ -f "$out/full-$m.db" ] || "$bin" ingest "$full" --db "$out/full-$m.db" >/dev/null
    timed "levers-$m" "$bin" simulate --scenario scenarios/levers.yaml --db "$out/full-$m.db" >/dev/null
done
fi

echo "medians (wall s, cpu s, peak MiB):"
python3 - "$out/times.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, cpu, kb = line.split()
    rows.setdefault(label, []).append((float(wall), float(cpu), int(kb)))
for label, values in rows.items():
    wall, cpu, kb = (statistics.median(v[i] for v in values) for i in range(3))
    print(f"  {label:12} n={len(values)}  wall {wall:7.2f}  cpu {cpu:7.2f}  peak {kb / 1024:7.0f} MiB")
PY
