"""Regenerates the upstream fixtures: starts the fake provider, runs each producer in its own
process (instrumentations patch the clients globally), and writes `expected.json` with the tokens
every request must be stored with.

Usage (from the repository root, in a venv made from requirements.txt):
  python scripts/upstream-fixtures/generate.py traces/fixtures/upstream
  python scripts/upstream-fixtures/generate.py /work/heldout-upstream --variant heldout
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fake_provider import FakeProvider  # noqa: E402
from scenarios import catalog  # noqa: E402

OTEL_PRODUCERS = ["openai-v2", "openllmetry", "openinference", "anthropic-sdk"]
PACKAGES = ["openai", "anthropic", "opentelemetry-sdk", "opentelemetry-exporter-otlp-json-file",
            "opentelemetry-exporter-otlp-proto-common", "protobuf", "opentelemetry-instrumentation-openai-v2",
            "opentelemetry-instrumentation-openai", "opentelemetry-instrumentation-anthropic",
            "openinference-instrumentation-openai", "openinference-instrumentation-anthropic", "litellm", "langfuse",
            "langchain-openai", "langchain-anthropic"]


def run(args: list[str]) -> None:
    result = subprocess.run([sys.executable, *args], cwd=HERE, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{result.stderr[-4000:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--variant", default="fixtures", choices=["fixtures", "heldout"])
    options = parser.parse_args()
    out = options.out.resolve()
    scenarios = catalog(options.variant)
    seed = 1 if options.variant == "fixtures" else 2
    calls: dict[str, dict[str, int]] = {}
    with FakeProvider(scenarios) as fake:
        def answered(producer: str, args: list[str]) -> None:
            before = len(fake.requests)
            run(args)
            counts = calls.setdefault(producer, {})
            for path, body in fake.requests[before:]:
                if not path.startswith("/api/"):
                    name = fake.scenario_of(body).name
                    counts[name] = counts.get(name, 0) + 1
        for index, producer in enumerate(OTEL_PRODUCERS):
            # A seed per producer: each producer's trace and span ids are its own, and stable.
            answered(producer, ["otel_run.py", producer, str(fake.port), str(out / "otlp"), options.variant,
                                str(seed * 100 + index)])
        answered("litellm", ["litellm_run.py", str(fake.port), str(out / "litellm"), options.variant])
        answered("langfuse", ["langfuse_run.py", str(fake.port), str(out / "langfuse"), options.variant])
        answered("openai-batch", ["batch_run.py", str(fake.port), str(out / "openai-batch"), options.variant])
    expected = {
        "variant": options.variant,
        "versions": {name: version(name) for name in PACKAGES},
        # How many requests of each scenario the fake provider answered, by producer.
        "calls": calls,
        "requests": {name: {"model": s.model, "api": s.api, "stream": s.stream, "response_id": s.response_id,
                            **s.expected()} for name, s in scenarios.items() if not s.extra.get("status")},
    }
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main()
