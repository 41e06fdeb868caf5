"""Ingests every file of a generated folder with the built CLI, one store per file, and checks that
each stored LLM request has exactly the tokens the fake provider returned for some request of the
same model (input, cache read, 5-minute and 1-hour writes, output, reasoning), and that each request
is counted as many times as the provider answered it (expected.json "calls"; a LiteLLM cache hit is
not a provider call). Prints one line per file; exits 1 when a file does not match.

Two known limits of the producers are checked as such, not skipped:
- opentelemetry-instrumentation-openai-v2 writes no cached or reasoning token counts, so its requests are matched
  with those two fields taken as 0, and no span at all for the Responses API, so those calls are not expected (the
  line says both);
- Langfuse's API page and UI exports are built by langfuse_run.py from the generations whose usage the SDK sent flat
  (see its docstring), so they are checked for holding every row of the file once, not every provider call.

Usage: check_heldout.py DIR [PATH-TO-costreplay]
"""

from __future__ import annotations

import csv
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


# Fields a producer never writes, by producer: matched as 0.
NOT_WRITTEN = {"openai-v2": {"cache_read", "reasoning"}}
# APIs a producer writes no span for, by producer: their calls are not expected in its files.
NOT_TRACED = {"openai-v2": {"responses"}}


def rows_in_export(path: Path) -> int | None:
    """The generations a Langfuse API page or UI export holds, or None for any other file."""
    if path.parent.name != "langfuse" or ".otlp" in path.name:
        return None
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return sum(1 for _ in csv.reader(handle)) - 1
    document = json.loads(path.read_text())
    return len(document["data"] if isinstance(document, dict) else document)


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
        producer = paths[0].name.split(".otlp")[0] if paths[0].parent.name == "otlp" else paths[0].parent.name
        absent = NOT_WRITTEN.get(producer, set())
        problems, seen = [], []
        for record in records:
            tokens = {name: record.get(key, 0) for name, key in FIELDS}
            model = (record.get("model") or "").split("/")[-1]
            matches = [name for name, e in expected.items()
                       if e["model"].startswith(model.split("-2024")[0].split("-2025")[0])
                       and all((0 if f in absent else e[f]) == tokens[f] for f, _ in FIELDS)]
            if not matches:
                problems.append(f"{record['id']} {model} {tokens}")
            elif not record.get("cache_hit"):
                seen.append(matches[0])
        untraced = NOT_TRACED.get(producer, set())
        answered = {name: n for name, n in calls[producer].items() if name in expected and expected[name]["api"] not in untraced}
        counted = {name: seen.count(name) for name in set(seen)}
        rows = rows_in_export(paths[0])
        if rows is None:
            wrong = {name: (counted.get(name, 0), n) for name, n in answered.items() if counted.get(name, 0) != n}
            against = f"{sum(answered.values())} answered"
        else:
            wrong = {} if len(records) == rows == len(seen) else {"rows": (len(seen), rows)}
            against = f"{rows} rows in the export"
        status = "ok" if not problems and not wrong else "MISMATCH"
        failures += status != "ok"
        print(f"{status:8} {', '.join(p.name for p in paths)}: {len(records)} LLM requests, {len(seen)} matched of {against}"
              + (f" (the producer writes no {', '.join(sorted(absent))} tokens)" if absent else "")
              + (f" (nor spans for the {', '.join(sorted(untraced))} API)" if untraced else "")
              + (f"; (counted, expected): {wrong}" if wrong else ""))
        for problem in problems:
            print(f"         no request returned {problem}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
