"""One OpenTelemetry producer in its own process: instruments the real OpenAI and Anthropic clients,
calls the fake provider, and writes the spans with the OTel SDK's own encoders.

Two files per producer:
- `<name>.otlp.jsonl`: the OTLP JSON file exporter (opentelemetry-exporter-otlp-json-file), hex ids;
- `<name>.otlp-protojson.json`: the OTLP protobuf encoder (opentelemetry-exporter-otlp-proto-common)
  printed by protobuf's json_format, which writes span and trace ids as base64.

Usage: otel_run.py PRODUCER PORT OUTDIR VARIANT SEED
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from google.protobuf import json_format
from opentelemetry import trace
from opentelemetry.exporter.otlp.json.file.trace_exporter import FileSpanExporter
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator

from scenarios import catalog


class SeededIds(IdGenerator):
    """Deterministic span and trace ids, so regenerated fixtures keep their record ids."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def generate_span_id(self) -> int:
        return self.random.getrandbits(64)

    def generate_trace_id(self) -> int:
        return self.random.getrandbits(128)


class Collect(SpanExporter):
    def __init__(self):
        self.spans = []

    def export(self, spans):
        self.spans.extend(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self):
        pass


def instrument(producer: str) -> tuple[bool, bool]:
    """Turns the producer's instrumentation on; returns (covers OpenAI, covers Anthropic)."""
    if producer == "openai-v2":
        from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
        OpenAIInstrumentor().instrument()
        return True, False
    if producer == "openllmetry":
        from opentelemetry.instrumentation.anthropic import AnthropicInstrumentor
        from opentelemetry.instrumentation.openai import OpenAIInstrumentor
        OpenAIInstrumentor().instrument()
        AnthropicInstrumentor().instrument()
        return True, True
    if producer == "openinference":
        from openinference.instrumentation.anthropic import AnthropicInstrumentor
        from openinference.instrumentation.openai import OpenAIInstrumentor
        OpenAIInstrumentor().instrument()
        AnthropicInstrumentor().instrument()
        return True, True
    if producer == "anthropic-sdk":
        return False, True  # the Anthropic SDK's own spans need no instrumentor
    raise SystemExit(f"unknown producer {producer}")


def call_openai(port: int, scenarios) -> None:
    from openai import OpenAI
    client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-fake", max_retries=0)
    for name in ["oa-chat", "oa-chat-stream", "oa-reasoning"]:
        s = scenarios[name]
        messages = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": f"Question {s.marker}"}]
        if s.stream:
            stream = client.chat.completions.create(model=s.request_model, messages=messages, stream=True,
                                                    stream_options={"include_usage": True})
            for _ in stream:
                pass
        else:
            client.chat.completions.create(model=s.request_model, messages=messages)
    s = scenarios["oa-responses"]
    client.responses.create(model=s.request_model, input=f"Question {s.marker}")
    s = scenarios["oa-embed"]
    client.embeddings.create(model=s.request_model, input=f"A passage {s.marker}")


def call_anthropic(port: int, scenarios) -> None:
    from anthropic import Anthropic
    client = Anthropic(base_url=f"http://127.0.0.1:{port}", api_key="sk-ant-fake", max_retries=0)
    for name in ["an-cache", "an-stream", "an-opus-1h"]:
        s = scenarios[name]
        system = [{"type": "text", "text": "Long shared instructions.", "cache_control": {"type": "ephemeral"}}]
        messages = [{"role": "user", "content": f"Question {s.marker}"}]
        if s.stream:
            stream = client.messages.create(model=s.request_model, max_tokens=1024, system=system,
                                            messages=messages, stream=True)
            for _ in stream:
                pass
        else:
            client.messages.create(model=s.request_model, max_tokens=1024, system=system, messages=messages)


def main() -> None:
    producer, port, out, variant, seed = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    out.mkdir(parents=True, exist_ok=True)
    scenarios = catalog(variant)
    provider = TracerProvider(resource=Resource.create({"service.name": f"fixture-{producer}"}),
                              id_generator=SeededIds(seed))
    jsonl = out / f"{producer}.otlp.jsonl"
    jsonl.unlink(missing_ok=True)
    provider.add_span_processor(BatchSpanProcessor(FileSpanExporter(path=jsonl)))
    collect = Collect()
    provider.add_span_processor(SimpleSpanProcessor(collect))
    trace.set_tracer_provider(provider)
    covers_openai, covers_anthropic = instrument(producer)
    tracer = trace.get_tracer("fixture-app")
    if covers_openai:
        with tracer.start_as_current_span("openai-conversation"):
            call_openai(port, scenarios)
    if covers_anthropic:
        with tracer.start_as_current_span("anthropic-conversation"):
            call_anthropic(port, scenarios)
    provider.force_flush()
    message = encode_spans(collect.spans)
    text = json_format.MessageToJson(message, indent=None)
    (out / f"{producer}.otlp-protojson.json").write_text(text + "\n")
    provider.shutdown()


if __name__ == "__main__":
    main()
