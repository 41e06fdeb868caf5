"""Sends GenAI spans to an OTLP/HTTP receiver through the OpenTelemetry Python SDK's own exporters, and prints
what it sent as JSON, for testing `costreplay collect`.

    python3 scripts/live/otel_send.py http://127.0.0.1:4318/v1/traces --encoding protobuf|json [--gzip]
        [--calls N] [--seed S]

Pinned (scripts/setup.sh): opentelemetry-sdk 1.45.1 and opentelemetry-exporter-otlp-proto-http 1.45.1 (protobuf);
opentelemetry-exporter-otlp-json-http 0.66b1 (JSON, the OTLP JSON encoding with hex ids). Each call is an
`invoke_agent` span with a `chat` child carrying gen_ai.* usage (the GenAI semantic conventions) and, every third
call, an `execute_tool` child. Ids and token counts come from a seeded generator, times are fixed.
"""
import argparse
import json
import random
import sys

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, set_span_in_context

parser = argparse.ArgumentParser()
parser.add_argument("endpoint")
parser.add_argument("--encoding", choices=["protobuf", "json"], default="protobuf")
parser.add_argument("--gzip", action="store_true")
parser.add_argument("--calls", type=int, default=20)
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()

if args.encoding == "json":
    from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.exporter.otlp.common.http import Compression
else:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.exporter.otlp.proto.http import Compression


class SeededIds(IdGenerator):
    def __init__(self, seed):
        self.random = random.Random(seed)

    def generate_span_id(self):
        return self.random.getrandbits(64)

    def generate_trace_id(self):
        return self.random.getrandbits(128)


class Recording(OTLPSpanExporter):
    """The SDK's exporter, remembering whether every export was acknowledged."""
    results = []

    def export(self, spans):
        result = super().export(spans)
        self.results.append(result)
        return result


exporter = Recording(endpoint=args.endpoint, compression=Compression("gzip" if args.gzip else "none"))
provider = TracerProvider(resource=Resource.create({"service.name": "costreplay-collect-test"}), id_generator=SeededIds(args.seed))
provider.add_span_processor(BatchSpanProcessor(exporter, max_export_batch_size=16, schedule_delay_millis=100))
tracer = provider.get_tracer("costreplay.test")
rng = random.Random(args.seed)
base = 1_795_000_000_000_000_000  # 2026-11-18T... in ns
sent = []
for i in range(args.calls):
    start = base + i * 10_000_000_000
    agent = tracer.start_span("invoke_agent support", kind=SpanKind.INTERNAL, start_time=start,
                              attributes={"gen_ai.operation.name": "invoke_agent"})
    context = set_span_in_context(agent)
    model = ["gpt-4o-mini", "claude-sonnet-4-5"][i % 2]
    usage = {"input": rng.randint(500, 9000), "output": rng.randint(20, 900)}
    usage["cache_read"] = rng.randint(0, usage["input"] // 2)
    chat = tracer.start_span(f"chat {model}", kind=SpanKind.CLIENT, context=context, start_time=start + 1_000_000,
                             attributes={"gen_ai.operation.name": "chat",
                                         "gen_ai.provider.name": "openai" if i % 2 == 0 else "anthropic",
                                         "gen_ai.request.model": model, "gen_ai.response.model": model,
                                         "gen_ai.response.id": f"resp-{args.seed}-{i}",
                                         "gen_ai.usage.input_tokens": usage["input"],
                                         "gen_ai.usage.output_tokens": usage["output"],
                                         "gen_ai.usage.cache_read.input_tokens": usage["cache_read"]})
    chat.end(end_time=start + 2_000_000_000)
    ids = {"trace_id": f"{chat.context.trace_id:032x}", "span_id": f"{chat.context.span_id:016x}", "model": model, **usage}
    if i % 3 == 0:
        tool = tracer.start_span("execute_tool lookup", context=context, start_time=start + 2_100_000_000,
                                 attributes={"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "lookup"})
        tool.end(end_time=start + 2_200_000_000)
    agent.end(end_time=start + 3_000_000_000)
    sent.append(ids)
provider.force_flush()
provider.shutdown()
ok = bool(Recording.results) and all(r == SpanExportResult.SUCCESS for r in Recording.results)
json.dump({"exported": ok, "exports": len(Recording.results), "spans": args.calls * 2 + (args.calls + 2) // 3,
           "calls": sent}, sys.stdout)
