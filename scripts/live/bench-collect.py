"""Load on `costreplay collect` over loopback, bounded in spans and time; prints spans/s, the receiver's memory
and acknowledgement latency, and checks that every acknowledged span is in the store. With --kill-after N the
receiver is killed with SIGKILL once N requests were acknowledged, and the check runs on what it left.

    python3 scripts/live/bench-collect.py --binary .build/release/costreplay [--spans 20000] [--batch 100]
        [--clients 4] [--time-limit 30] [--queue 64] [--kill-after N] [--hold-lock SECONDS] [--json]

Requests are ExportTraceServiceRequest protobufs built with opentelemetry-proto's own generated classes (pinned
with the SDK in scripts/setup.sh), each span a `chat` call with gen_ai.* usage; ids from a seeded generator.
Clients follow OTLP/HTTP: a 503 or 429 waits for Retry-After and sends again. Exit 1 if an acknowledged span is
missing from the store. --hold-lock stalls the store (another connection holds SQLite's write lock), so the queue
fills and back-pressure is certain.
"""
import argparse
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

parser = argparse.ArgumentParser()
parser.add_argument("--binary", required=True)
parser.add_argument("--spans", type=int, default=20000)
parser.add_argument("--batch", type=int, default=100)
parser.add_argument("--clients", type=int, default=4)
parser.add_argument("--time-limit", type=float, default=30)
parser.add_argument("--queue", type=int, default=64)
parser.add_argument("--kill-after", type=int)
parser.add_argument("--hold-lock", type=float, help="hold the store's write lock this many seconds as load starts")
parser.add_argument("--seed", type=int, default=42)
parser.add_argument("--db")
parser.add_argument("--json", action="store_true")
args = parser.parse_args()


def attribute(key, value):
    any_value = AnyValue(int_value=value) if isinstance(value, int) else AnyValue(string_value=value)
    return KeyValue(key=key, value=any_value)


def build_requests():
    rng = random.Random(args.seed)
    requests = []
    base = 1_795_000_000_000_000_000
    for first in range(0, args.spans, args.batch):
        message = ExportTraceServiceRequest()
        resource_spans = message.resource_spans.add()
        resource_spans.resource.attributes.append(attribute("service.name", "bench-collect"))
        spans = resource_spans.scope_spans.add().spans
        ids = []
        for i in range(first, min(first + args.batch, args.spans)):
            trace_id, span_id = rng.getrandbits(128).to_bytes(16, "big"), rng.getrandbits(64).to_bytes(8, "big")
            span = spans.add(trace_id=trace_id, span_id=span_id, name="chat gpt-4o-mini", kind=3,
                             start_time_unix_nano=base + i * 1_000_000, end_time_unix_nano=base + i * 1_000_000 + 900_000)
            span.attributes.extend([attribute("gen_ai.operation.name", "chat"), attribute("gen_ai.provider.name", "openai"),
                                    attribute("gen_ai.request.model", "gpt-4o-mini"),
                                    attribute("gen_ai.usage.input_tokens", rng.randint(100, 5000)),
                                    attribute("gen_ai.usage.output_tokens", rng.randint(10, 500))])
            ids.append(f"otlp:{trace_id.hex()}:{span_id.hex()}")
        requests.append((message.SerializeToString(), ids))
    return requests


folder = tempfile.mkdtemp()
db = args.db or os.path.join(folder, "collect.db")
errors = open(os.path.join(folder, "stderr"), "w+")
receiver = subprocess.Popen([args.binary, "collect", "--listen", "127.0.0.1:0", "--db", db, "--queue", str(args.queue)],
                            stdout=subprocess.DEVNULL, stderr=errors)
port = None
for _ in range(200):
    errors.seek(0)
    text = errors.read()
    if "listening on http://127.0.0.1:" in text:
        port = int(text.split("listening on http://127.0.0.1:")[1].split("/")[0])
        break
    time.sleep(0.05)
if port is None:
    receiver.kill()
    sys.exit(f"the receiver did not start: {text}")

work = build_requests()
lock = threading.Lock()
next_request = [0]
acked, latencies, refusals, peak_rss = [], [], [0], [0]
stop = threading.Event()
deadline = time.monotonic() + args.time_limit


def client():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set() and time.monotonic() < deadline:
        with lock:
            if next_request[0] >= len(work):
                return
            body, ids = work[next_request[0]]
            next_request[0] += 1
        while not stop.is_set() and time.monotonic() < deadline:
            started = time.monotonic()
            try:
                connection.request("POST", "/v1/traces", body, {"Content-Type": "application/x-protobuf"})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                if stop.is_set():
                    return
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                time.sleep(0.05)
                continue
            if response.status == 200:
                with lock:
                    acked.extend(ids)
                    latencies.append(time.monotonic() - started)
                    if args.kill_after and len(latencies) >= args.kill_after and not stop.is_set():
                        stop.set()
                        receiver.send_signal(signal.SIGKILL)
                break
            if response.status in (429, 503):
                with lock:
                    refusals[0] += 1
                time.sleep(float(response.getheader("Retry-After") or 1))
                continue
            sys.exit(f"unexpected HTTP {response.status}")


def sample_rss():
    while receiver.poll() is None:
        try:
            for line in open(f"/proc/{receiver.pid}/status"):
                if line.startswith("VmRSS:"):
                    peak_rss[0] = max(peak_rss[0], int(line.split()[1]))
        except OSError:
            return
        time.sleep(0.02)


if args.hold_lock:
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(args.hold_lock, lambda: holder.execute("COMMIT")).start()
sampler = threading.Thread(target=sample_rss, daemon=True)
sampler.start()
began = time.monotonic()
threads = [threading.Thread(target=client) for _ in range(args.clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
wall = time.monotonic() - began
if args.kill_after:
    receiver.wait()
else:
    receiver.send_signal(signal.SIGTERM)
    receiver.wait(timeout=30)
cpu = sum(os.times()[2:4])  # children's user + system seconds (the receiver)

stored = set(row[0] for row in sqlite3.connect(db).execute("SELECT id FROM requests"))
missing = [span for span in acked if span not in stored]
latencies.sort()


def quantile(q):
    return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0


figures = {
    "spans_acknowledged": len(acked), "spans_stored": len(stored), "acknowledged_missing": len(missing),
    "requests_acknowledged": len(latencies), "refusals_503_429": refusals[0], "wall_seconds": round(wall, 2),
    "spans_per_second": round(len(acked) / wall) if wall else 0, "receiver_cpu_seconds": round(cpu, 2),
    "ack_latency_ms_p50": round(quantile(0.5), 1), "ack_latency_ms_p99": round(quantile(0.99), 1),
    "receiver_peak_rss_mib": round(peak_rss[0] / 1024, 1), "killed": bool(args.kill_after),
    "receiver_exit": receiver.returncode,
}
if receiver.returncode not in (0, -9):
    errors.seek(0)
    print(errors.read()[:4000], file=sys.stderr)
if args.json:
    print(json.dumps(figures))
else:
    for key, value in figures.items():
        print(f"{key:24} {value}")
sys.exit(1 if missing else 0)
