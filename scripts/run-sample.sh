#!/usr/bin/env bash
# The main job on the bundled sample trace: ingest it and re-price it, writing reports/ .
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product costreplay
bin=.build/release/costreplay
mkdir -p reports
rm -f reports/sample.db reports/sample.db-wal reports/sample.db-shm
"$bin" ingest traces/sample.jsonl --db reports/sample.db --rejects reports/sample-rejects.jsonl
"$bin" cost --db reports/sample.db --by model | tee reports/sample-cost-by-model.txt
"$bin" cost --db reports/sample.db --by day --format csv > reports/sample-cost-by-day.csv
"$bin" cost --db reports/sample.db --by model --format json > reports/sample-cost.json
"$bin" simulate --db reports/sample.db --scenario scenarios/caching.yaml --out reports/sample-caching | tee reports/sample-caching.txt
"$bin" simulate --db reports/sample.db --scenario scenarios/levers.yaml --out reports/sample-levers --html reports/sample-levers.html | tee reports/sample-levers.txt
echo "wrote reports/sample-cost-by-model.txt, reports/sample-cost-by-day.csv, reports/sample-cost.json, reports/sample-caching/, reports/sample-levers/, reports/sample-levers.html" >&2
