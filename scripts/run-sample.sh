#!/usr/bin/env bash
# The main job on the bundled sample: generate it from its seed, ingest and re-price it, search for the cheapest plan
# within the default bounds, and write the plan and the report that leads with it to reports/ .
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A release build: the package no longer forces optimisation on debug builds (no unsafe flags), and the plan search
# replays the sample many times.
swift build -c release --product costreplay
bin=.build/release/costreplay
mkdir -p reports
# The sample is its generator and seed (traces/README.md): 100,000 calls over eight weeks, the same bytes everywhere.
"$bin" synth --requests 100000 --seed 42 --days 56 --start 2026-09-01 --mispriced-share 0.002 --out traces/sample.jsonl
rm -f reports/sample.db reports/sample.db-wal reports/sample.db-shm
"$bin" ingest traces/sample.jsonl --db reports/sample.db --rejects reports/sample-rejects.jsonl
"$bin" cost --db reports/sample.db --by model | tee reports/sample-cost-by-model.txt
"$bin" cost --db reports/sample.db --by tag | tee reports/sample-cost-by-tag.txt
"$bin" cost --db reports/sample.db --by day --format csv > reports/sample-cost-by-day.csv
"$bin" cost --db reports/sample.db --by model --format json > reports/sample-cost.json
"$bin" plan --db reports/sample.db --out reports/sample-plan --html reports/sample-plan.html | tee reports/sample-plan.txt
echo "wrote reports/sample-cost-by-{model,tag}.txt, reports/sample-cost-by-day.csv, reports/sample-cost.json," \
     "reports/sample-plan/ (plan.yaml, plan.json, result.json, CSV), reports/sample-plan.txt, reports/sample-plan.html" >&2
