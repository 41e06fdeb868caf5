#!/usr/bin/env bash
# Installs what CostReplay needs to build and test, only when missing (Debian 12).
set -euo pipefail
need=()
# libpq-dev: the PostgreSQL client; postgresql-15: a real server for the LiteLLM database tests;
# zlib1g-dev: gzip bodies sent to `costreplay collect`;
# jq and curl: the CI comment script (scripts/ci/sticky-comment.sh) and its tests.
for pkg in pkg-config zlib1g-dev libgsl-dev libsimdjson-dev libre2-dev libpq-dev postgresql-15 jq curl chromium-headless-shell; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Python packages used by the tests: SciPy/NumPy references, and Jupyter's own tools for the exported notebook.
if [ "${COSTREPLAY_SKIP_PIP:-0}" != "1" ]; then
  python3 - <<'PY' 2>/dev/null || pip install -q numpy scipy nbformat nbclient ipykernel pandas matplotlib
import numpy, scipy, nbformat, nbclient, ipykernel, pandas, matplotlib
PY
  # The price parity test computes genai-prices' own prices (pinned: scripts/parity/genai_prices_expected.py).
  python3 -c 'import genai_prices, sys; sys.exit(genai_prices.__version__ != "0.2.3")' 2>/dev/null \
    || pip install -q genai-prices==0.2.3
  # The Spark job's test (docs/spark.md): PySpark in local mode and pyarrow for its Parquet input; about 36 s to install.
  python3 -c 'import pyspark, pyarrow, sys; sys.exit(pyspark.__version__ != "4.3.0" or pyarrow.__version__ != "26.0.1")' 2>/dev/null \
    || pip install -q pyspark==4.3.0 pyarrow==26.0.1
  # The OTLP receiver's tests send spans through the OpenTelemetry SDK's own exporters (protobuf and JSON) and build
  # load with opentelemetry-proto's classes (scripts/live/otel_send.py, bench-collect.py).
  python3 -c 'import opentelemetry.exporter.otlp.json.http, opentelemetry.exporter.otlp.proto.http' 2>/dev/null \
    || pip install -q opentelemetry-sdk==1.45.1 opentelemetry-exporter-otlp-proto-http==1.45.1 \
      opentelemetry-exporter-otlp-json-http==0.66b1
fi
