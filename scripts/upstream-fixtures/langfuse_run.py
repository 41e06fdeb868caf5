"""Langfuse fixtures: the Langfuse SDK's own spans, and the observations as Langfuse's API and UI
export them.

Calls go through the real integrations against the fake provider: `langfuse.openai` (the OpenAI
drop-in) and langfuse's LangChain `CallbackHandler` over `langchain-openai` and
`langchain-anthropic`, whose usage langfuse converts with its own `_parse_usage_model`. The SDK
spans are written with the OTLP JSON file exporter from the tracer provider given to `Langfuse`.

The Langfuse server (TypeScript) is not on PyPI, so the API page and the UI exports are built here
from the observations the SDK sent, following the server's source: the public API returns pages
`{"data": [...], "meta": {...}}` (written compact, as the server sends it, and pretty-printed);
the UI's batch export writes JSON with `JSON.stringify` per row and CSV through
`transformStreamToCsv` / `stringifyForCsv` (strings as they are, every other value through
`JSON.stringify` — so dates become `"…Z"` with their quotes — then every cell quoted with inner
quotes doubled). Only generations whose usage the SDK sent already flat are exported this way;
OpenAI-shaped usage from `langfuse.openai` is flattened by the server, which is not run here.

Usage: langfuse_run.py PORT OUTDIR VARIANT
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

from opentelemetry.exporter.otlp.json.file.trace_exporter import FileSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from otel_run import Collect, SeededIds
from scenarios import catalog

A = "langfuse.observation."


def run_calls(port: int, provider: TracerProvider, scenarios) -> None:
    from langchain_anthropic import ChatAnthropic
    from langchain_openai import ChatOpenAI
    from langfuse import Langfuse
    from langfuse.langchain import CallbackHandler
    from langfuse.openai import OpenAI

    langfuse = Langfuse(public_key="pk-lf-fake", secret_key="sk-lf-fake", host=f"http://127.0.0.1:{port}",
                        tracer_provider=provider)
    client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-fake", max_retries=0)
    for name in ["oa-chat", "oa-reasoning"]:
        s = scenarios[name]
        client.chat.completions.create(model=s.request_model, messages=[{"role": "user", "content": f"Q {s.marker}"}])
    handler = CallbackHandler()
    s = scenarios["oa-reasoning"]
    ChatOpenAI(model=s.request_model, base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-fake",
               max_retries=0).invoke(f"Q {s.marker}", config={"callbacks": [handler]})
    for name in ["an-cache", "an-opus-1h"]:
        s = scenarios[name]
        ChatAnthropic(model=s.request_model, base_url=f"http://127.0.0.1:{port}", api_key="sk-ant-fake",
                      max_retries=0, max_tokens=1024).invoke(f"Q {s.marker}", config={"callbacks": [handler]})
    langfuse.flush()


def iso(nanos: int | None) -> str | None:
    if nanos is None:
        return None
    return datetime.fromtimestamp(nanos / 1e9, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def observation(span) -> dict | None:
    a = dict(span.attributes or {})
    usage = json.loads(a.get(A + "usage_details", "null") or "null")
    if a.get(A + "type") != "generation" or not isinstance(usage, dict) or "prompt_tokens" in usage:
        return None
    parent = span.parent.span_id if span.parent else None
    return {
        "id": format(span.context.span_id, "016x"), "traceId": format(span.context.trace_id, "032x"),
        "type": "GENERATION", "name": span.name, "startTime": span.start_time, "endTime": span.end_time,
        "completionStartTime": None, "model": a.get(A + "model.name"),
        "modelParameters": json.loads(a.get(A + "model.parameters", "{}") or "{}"),
        "input": json.loads(a.get(A + "input", "null") or "null"), "output": json.loads(a.get(A + "output", "null") or "null"),
        "metadata": {}, "level": "DEFAULT", "statusMessage": None,
        "parentObservationId": format(parent, "016x") if parent else None,
        "usageDetails": usage, "costDetails": json.loads(a.get(A + "cost_details", "{}") or "{}"),
    }


def js(value) -> str:
    """JSON.stringify: dates become ISO text."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False,
                      default=lambda nanos: iso(nanos))


def as_api(row: dict) -> dict:
    return {k: (iso(v) if k in ("startTime", "endTime") else v) for k, v in row.items()}


def csv_cell(key: str, value) -> str:
    if value is None:
        value = ""
    if isinstance(value, str):
        text = value  # stringifyForCsv keeps strings as they are
    elif key in ("startTime", "endTime"):
        text = json.dumps(iso(value))  # a Date through JSON.stringify keeps its quotes
    else:
        text = js(value)
    return '"' + text.replace('"', '""') + '"'


def main() -> None:
    port, out, variant = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    out.mkdir(parents=True, exist_ok=True)
    random.seed(5)
    provider = TracerProvider(id_generator=SeededIds(5 if variant == "fixtures" else 6))
    path = out / "langfuse-sdk.otlp.jsonl"
    path.unlink(missing_ok=True)
    provider.add_span_processor(SimpleSpanProcessor(FileSpanExporter(path=path)))
    collect = Collect()
    provider.add_span_processor(SimpleSpanProcessor(collect))
    run_calls(port, provider, catalog(variant))
    provider.force_flush()
    rows = [row for row in map(observation, collect.spans) if row]
    page = {"data": [as_api(row) for row in rows],
            "meta": {"page": 1, "limit": 50, "totalItems": len(rows), "totalPages": 1}}
    (out / "langfuse-api-page-compact.json").write_text(json.dumps(page, separators=(",", ":")) + "\n")
    (out / "langfuse-api-page-pretty.json").write_text(json.dumps(page, indent=2) + "\n")
    (out / "langfuse-ui-export.json").write_text("[" + ",".join(js(as_api(row)) for row in rows) + "]")
    headers = list(rows[0].keys())
    lines = [",".join('"' + h.replace('"', '""') + '"' for h in headers)]
    lines += [",".join(csv_cell(h, row[h]) for h in headers) for row in rows]
    (out / "langfuse-ui-export.csv").write_text("\n".join(lines) + "\n")
    provider.shutdown()


if __name__ == "__main__":
    main()
