"""Ingests every file of a generated folder with the built CLI, one store per file, and checks that
each stored LLM request has exactly the tokens the fake provider returned for some request of the
same model (input, cache read, 5-minute and 1-hour writes, output, reasoning), and that each request
is counted as many times as the provider answered it (expected.json "calls"; a LiteLLM cache hit is
not a provider call). Prints one line per file; exits 1 when a file does not match.

Usage: check_heldout.py DIR [PATH-TO-costreplay]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

FIELDS = [("input", "input_tokens"), ("cache_read", "cache_read_tokens"), ("cache_write_5m", "cache_write_5m_tokens"),
          ("cache_write_1h", "cache_write_1h_tokens"), ("output", "output_tokens"), ("reasoning", "reasoning_tokens")]


def stored(cli: str, paths: list[Path]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "check.db")
        subprocess.run([cli, "ingest", *map(str, paths), "--db", db], check=True, capture_output=True)
        text = subprocess.run([cli, "export", "--db", db], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in text.splitlines() if json.loads(line).get("kind", "llm") == "llm"]


def main() -> None:
    folder = Path(sys.argv[1])
    cli = sys.argv[2] if len(sys.argv) > 2 else ".build/debug/costreplay"
    document = json.loads((folder / "expected.json").read_text())
    expected, calls = document["requests"], document["calls"]
    groups = [[p] for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "expected.json"
              and not p.name.startswith("openai-batch")]
    groups.append(sorted((folder / "openai-batch").glob("*.jsonl")))
    failures = 0
    for paths in groups:
        records = stored(cli, paths)
        problems, seen = [], []
        for record in records:
            tokens = {name: record.get(key, 0) for name, key in FIELDS}
            model = (record.get("model") or "").split("/")[-1]
            matches = [name for name, e in expected.items()
                       if e["model"].startswith(model.split("-2024")[0].split("-2025")[0])
                       and all(e[f] == tokens[f] for f, _ in FIELDS)]
            if not matches:
                problems.append(f"{record['id']} {model} {tokens}")
            elif not record.get("cache_hit"):
                seen.append(matches[0])
        producer = paths[0].name.split(".otlp")[0] if paths[0].parent.name == "otlp" else paths[0].parent.name
        answered = {name: n for name, n in calls[producer].items() if name in expected}
        counted = {name: seen.count(name) for name in set(seen)}
        wrong = {name: (counted.get(name, 0), n) for name, n in answered.items() if counted.get(name, 0) != n}
        status = "ok" if not problems and not wrong else "MISMATCH"
        failures += status != "ok"
        print(f"{status:8} {', '.join(p.name for p in paths)}: {len(records)} LLM requests, "
              f"{len(seen)} matched of {sum(answered.values())} answered"
              + (f"; (counted, answered): {wrong}" if wrong else ""))
        for problem in problems:
            print(f"         no request returned {problem}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
