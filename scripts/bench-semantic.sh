#!/usr/bin/env bash
# Semantic-cache search benchmark (prints figures, asserts nothing; docs/performance.md, "Semantic-cache search").
# 100,000 × 384 clustered unit vectors (scripts/bench-vectors.py, seed 7; DUP share of them, default 0.3, near-duplicates
# of earlier queries so that a realistic share are hits; DUP=0 gives the older set with almost no hits) against the
# growing cache at one threshold: CostReplay exact (look-ahead blocked search with Cauchy–Schwarz pruning), CostReplay
# approximate (`search: approximate`, PROBES default 12, recall measured on RECALL_SAMPLE of lookups, default 0.05,
# included in its time), FAISS IndexFlatIP in blocks of 1,000
# (scripts/bench-faiss.py) and FAISS IndexHNSWFlat in blocks of 1,000 with its recall against exact search
# (scripts/bench-faiss-hnsw.py). Runs alternate, RUNS times each (default 3); medians of wall and CPU seconds.
# TOOLS picks and orders the tools (default: costreplay costreplay-approx faiss-flat faiss-hnsw); BASELINE=PATH adds
# "baseline", another costreplay-bench binary (e.g. main's release build) run exactly like costreplay; BENCH_BIN=PATH
# uses a prebuilt costreplay-bench instead of building this checkout.
# Usage: scripts/bench-semantic.sh [VECTORS] [THRESHOLD]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
t=${2:-0.90}
dup=${DUP:-0.3}
probes=${PROBES:-12}
sample=${RECALL_SAMPLE:-0.05}
runs=${RUNS:-3}
out=${BENCH_DIR:-/tmp/costreplay-bench}
mkdir -p "$out"
venv="$out/venv-faiss"
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q faiss-cpu==1.15.1 numpy; }
tools=(${TOOLS:-costreplay costreplay-approx faiss-flat faiss-hnsw})
[ -z "${BASELINE:-}" ] || [[ " ${tools[*]} " == *" baseline "* ]] || tools+=(baseline)
bin=${BENCH_BIN:-.build/release/costreplay-bench}
[ -n "${BENCH_BIN:-}" ] || swift build -c release --product costreplay-bench >/dev/null
vectors="$out/vectors-$n-dup$dup.f32le"
[ -f "$vectors" ] || "$venv/bin/python" scripts/bench-vectors.py "$n" "$vectors" "$dup"
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores (shared machine: other builds may run)"
echo "$n queries × 384 (near-duplicate share $dup), threshold $t, $runs alternated runs each"
times="$out/times.txt"
: > "$times"
for run in $(seq "$runs"); do
  for tool in "${tools[@]}"; do
    case $tool in
      costreplay) cmd=("$bin" semantic "$vectors" 384 "$t") ;;
      baseline) cmd=("$BASELINE" semantic "$vectors" 384 "$t") ;;
      costreplay-approx) cmd=("$bin" semantic "$vectors" 384 "$t" approximate "$probes" "$sample") ;;
      faiss-flat) cmd=("$venv/bin/python" scripts/bench-faiss.py "$vectors" "$t" 1000) ;;
      faiss-hnsw) cmd=("$venv/bin/python" scripts/bench-faiss-hnsw.py "$vectors" "$t" 1000) ;;
    esac
    line=$(/usr/bin/time -f "TIME %e %U %S" "${cmd[@]}" 2>"$out/err.txt")
    read -r _ wall user sys < <(grep TIME "$out/err.txt")
    echo "$tool $wall $(python3 -c "print($user+$sys)")" >> "$times"
    echo "  run $run $tool: wall ${wall} s, CPU $(python3 -c "print(round($user+$sys,1))") s — $line"
  done
done
python3 - "$times" "${tools[@]}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for tool in sys.argv[2:]:
    wall = [float(r[1]) for r in rows if r[0] == tool]; cpu = [float(r[2]) for r in rows if r[0] == tool]
    print(f"median {tool}: wall {statistics.median(wall):.1f} s (range {min(wall):.1f}–{max(wall):.1f}), CPU {statistics.median(cpu):.1f} s")
PY
