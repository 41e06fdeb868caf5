#!/usr/bin/env bash
# Peak memory of the all-levers replay, two builds alternated (issue 13, "memory flat"): for each store, RUNS rounds
# of `simulate --scenario "${SCENARIO:-scenarios/levers.yaml}"` with build A then build B under /usr/bin/time; prints wall s, CPU s
# (user + sys) and peak RSS per run, medians, and the local-GPU figures of each build's last document (latency
# percentiles may differ within the stated 0.5% once bucketed; every other figure must not).
# Usage: [SCENARIO=file.yaml] scripts/bench-levers-memory.sh A_BINARY B_BINARY RUNS STORE... (default scenarios/levers.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 runs=$3
shift 3
out=${BENCH_DIR:-/tmp/costreplay-levers-memory}
mkdir -p "$out"
lscpu | grep -m1 'Model name' || true
echo "cores: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$out/times.txt"
for store in "$@"; do
    name=$(basename "$store" .db)
    for i in $(seq "$runs"); do
        for label in A B; do
            bin=$a; [ $label = B ] && bin=$b
            /usr/bin/time -f "%e %U %S %M" -o "$out/t.txt" "$bin" simulate --scenario "${SCENARIO:-scenarios/levers.yaml}" --db "$store" \
                --out "$out/$name-$label" >/dev/null
            read -r wall user sys kb < "$out/t.txt"
            python3 -c "print('$name $label $i', $wall, f'{$user + $sys:.2f}', f'{$kb / 1024:.1f}')" | tee -a "$out/times.txt"
        done
    done
    python3 - "$out/$name-A/result.json" "$out/$name-B/result.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
differences = []
for sa, sb in zip(a["scenarios"], b["scenarios"]):
    for lever in sorted(set(sa["metrics"]) | set(sb["metrics"])):
        ma, mb = sa["metrics"].get(lever, {}), sb["metrics"].get(lever, {})
        for key in sorted(set(ma) | set(mb)):
            x, y = ma.get(key), mb.get(key)
            if x == y: continue
            if key.endswith("_ms") and x and y and abs(y / x - 1) <= 0.005:
                print(f"  {sa['label']} {lever} {key}: A {x:.3f} B {y:.3f} ({(y / x - 1) * 100:+.3f}%)")
            else:
                differences.append((sa["label"], lever, key, x, y))
    if sa["totals"] != sb["totals"]: differences.append((sa["label"], "totals"))
for d in differences: print("  differs:", d)
print(f"  {len(differences)} differences beyond latency percentiles within 0.5%; diagnostics B: {b['diagnostics']}")
PY
done
echo "medians: store build wall-s cpu-s peak-MiB"
python3 - "$out/times.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, label, _, wall, cpu, mib = line.split()
    rows.setdefault((name, label), []).append((float(wall), float(cpu), float(mib)))
for (name, label), values in rows.items():
    print(f"  {name:16} {label}  " + "  ".join(f"{statistics.median(v[i] for v in values):7.2f}" for i in range(3)))
PY
