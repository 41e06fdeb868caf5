#!/usr/bin/env bash
# Replay benchmarks (prints figures, asserts nothing):
#  (a) a 1,000,000-request trace through the 50-point exact-cache sweep (scenarios/exact-cache-sweep.yaml);
#  (b) a semantic-cache sweep over 100,000 384-dimensional unit vectors at 6 thresholds, against FAISS IndexFlatIP
#      answering the same nearest-neighbour queries over the same vectors (one query at a time, and in blocks of 1,000).
# Usage: scripts/bench-replay.sh [REQUESTS] [VECTORS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
v=${2:-100000}
out=${BENCH_DIR:-/tmp/costreplay-bench}
mkdir -p "$out"
bash scripts/setup.sh
python3 -c "import faiss" 2>/dev/null || pip install -q faiss-cpu
swift build -c release --product costreplay >/dev/null
swift build -c release --product costreplay-bench >/dev/null
bin=.build/release/costreplay

trace="$out/synth-$n.jsonl"
[ -f "$trace" ] || "$bin" synth --requests "$n" --compact --seed 7 --out "$trace"
if [ ! -f "$out/replay-$n.db" ]; then "$bin" ingest "$trace" --db "$out/replay-$n.db" >/dev/null; fi
/usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" simulate --scenario scenarios/exact-cache-sweep.yaml --db "$out/replay-$n.db" >/dev/null
read -r secs kb < "$out/time.txt"
python3 -c "print(f'(a) exact-cache sweep, 50 points × $n requests: {$secs:.1f} s, {50*$n/$secs:,.0f} request-points/s, peak RSS {$kb/1024:,.0f} MiB')"

vectors="$out/vectors-$v.f32le"
[ -f "$vectors" ] || python3 scripts/bench-vectors.py "$v" "$vectors"
echo "(b) semantic cache over $v vectors (scripts/bench-vectors.py: clustered unit vectors, seed 7)"
.build/release/costreplay-bench semantic "$vectors" 384 0.70,0.75,0.80,0.85,0.90,0.95
for t in 0.70 0.90; do python3 scripts/bench-faiss.py "$vectors" "$t" sequential; done
python3 scripts/bench-faiss.py "$vectors" 0.90 1000

full="$out/synth-full-$n.jsonl"
[ -f "$full" ] || "$bin" synth --requests "$n" --no-text --seed 7 --out "$full"
[ -f "$out/full-$n.db" ] || "$bin" ingest "$full" --db "$out/full-$n.db" >/dev/null
cat > "$out/all-levers.yaml" <<'YAML'
scenarios:
  - name: all-levers
    strategies:
      - exact_cache: {ttl: 1h}
      - model_router:
          tiers: {small: gpt-4o-mini}
          rules:
            - {tag: "feature:classify", tier: small}
            - {tag: "feature:chat", max_prompt_tokens: "1500", tier: small}
          default_tier: keep
      - truncate: {mode: window_turns, keep_turns: 8}
      - prefix_cache: {ttl: 5m, min_tokens: 1024}
      - batch_offload: {tags: [async]}
      - local_gpu: {tags: ["feature:extract"], servers: 4}
YAML
/usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" simulate --scenario "$out/all-levers.yaml" --db "$out/full-$n.db" >/dev/null
read -r secs kb < "$out/time.txt"
python3 -c "print(f'(c) all levers, $n requests with message structure: {$secs:.1f} s, peak RSS {$kb/1024:,.0f} MiB')"
