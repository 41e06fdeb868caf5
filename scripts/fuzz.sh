#!/usr/bin/env bash
# Fuzzes every reader, the scenario loader and the price-file loader with libFuzzer (docs/reliability.md).
#   bash scripts/fuzz.sh [RUNS_PER_TARGET]     (default 3000 inputs, fixed seed: what CI runs, repeatable)
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh      (time-bounded, random seed: for longer hunts)
# Seeds come from the committed fixtures; each target's growing corpus lives in .build-fuzz/corpus/.
# A crash, a hang (-timeout) or a memory blow-up (-rss_limit_mb) is kept under .build-fuzz/findings/
# and fails the script; turn each into a case of Tests/Hostile/make-corpus.py once fixed.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3000}
if [ -n "${FUZZ_SECONDS:-}" ]; then budget=(-max_total_time="$FUZZ_SECONDS"); else budget=(-runs="$runs" -seed=1); fi
swift build -c release --sanitize=fuzzer --sanitize=address --product costreplay-fuzz --scratch-path .build-fuzz >/tmp/costreplay-fuzz-build.log 2>&1 \
  || { tail -30 /tmp/costreplay-fuzz-build.log; echo "fuzz: build failed"; exit 2; }
binary=.build-fuzz/release/costreplay-fuzz
export ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no
declare -A seeds=(
  [canonical]="traces/fixtures/canonical.jsonl traces/fixtures/openai-chat.jsonl"
  [otlp]="traces/fixtures/otlp-genai.jsonl"
  [litellm]="traces/fixtures/litellm-spendlogs.json traces/fixtures/litellm-spendlogs.csv"
  [langfuse]="traces/fixtures/langfuse-observations.json traces/fixtures/langfuse-observations.csv"
  [openai-batch]="traces/fixtures/openai-batch-output.jsonl traces/fixtures/openai-batch-input.jsonl"
  [openai-chat]="traces/fixtures/openai-chat.jsonl"
  [mooncake]="traces/fixtures/mooncake-head.jsonl"
  [azure]="traces/fixtures/azure-conv-head.csv"
  [burstgpt]="traces/fixtures/burstgpt.csv"
  [csv-mapped]="traces/fixtures/custom.csv"
  [scenario]="scenarios/levers.yaml scenarios/caching.yaml scenarios/exact-cache-sweep.yaml"
  [prices]="Tests/Hostile/fuzz-seeds/prices-costreplay.json Tests/Hostile/fuzz-seeds/prices-litellm.json"
)
export FUZZ_MAPPING=$PWD/traces/fixtures/custom-mapping.json
failed=0
printf '%-13s %10s %8s %s\n' target executions seconds result
start_all=$SECONDS
for target in canonical otlp litellm langfuse openai-batch openai-chat mooncake azure burstgpt csv-mapped scenario prices; do
  corpus=.build-fuzz/corpus/$target findings=.build-fuzz/findings/$target
  mkdir -p "$corpus" "$findings"
  for seed in ${seeds[$target]}; do head -c 8192 "$seed" > "$corpus/seed-$(basename "$seed")"; done
  log=.build-fuzz/$target.log
  started=$SECONDS
  FUZZ_TARGET=$target "$binary" "$corpus" -dict=Tests/Hostile/fuzz-seeds/json.dict "${budget[@]}" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$findings/" >"$log" 2>&1
  status=$?
  seconds=$((SECONDS - started))
  done_runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -1)
  if [ $status -ne 0 ] || ls "$findings"/* >/dev/null 2>&1; then
    failed=1
    printf '%-13s %10s %8s %s\n' "$target" "${done_runs:-?}" "$seconds" "FOUND: $(ls "$findings" | head -3 | tr '\n' ' ')"
    grep -m3 -E 'ERROR|Fatal error|SUMMARY' "$log"
  else
    printf '%-13s %10s %8s %s\n' "$target" "$done_runs" "$seconds" ok
  fi
done
echo "fuzz: $((SECONDS - start_all)) s for all targets"
exit $failed
