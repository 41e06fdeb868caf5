"""A stand-in for Langfuse's public API on 127.0.0.1: `GET /api/public/observations` (v1) and
`GET /api/public/v2/observations` (v2), for testing `costreplay ingest --from langfuse`.

    python3 scripts/live/fake_langfuse.py OBSERVATIONS.json LOG.jsonl [FAULTS.json] [COPIES] [V2.json]   # prints the port

It follows the endpoint as Langfuse's OpenAPI description (fern/apis/server/definition/observations.yml,
`getMany`) and server (`GET /api/public/observations`, v1) define it:
  - Basic auth, public key as user and secret key as password; otherwise 401 {"message": ...}.
  - Query: page (from 1, default 1), limit (default 50), type, fromStartTime (start >= it), toStartTime
    (start < it), both ISO 8601; a bad value is 400.
  - Answer `ObservationsViews`: {"data": [ObservationsView...], "meta": {"page", "limit", "totalItems",
    "totalPages"}}, newest start time first.
It follows v2 as langfuse 5.0.4's client (langfuse/api/observations/raw_client.py, `get_many`, and its
`ObservationsV2Response`) defines it:
  - The same auth. Query: limit (default 50, at most 1000), cursor (from the last answer's meta.cursor), fields
    (comma-separated groups; default core,basic; core always), type, fromStartTime, toStartTime;
    parseIoAsJson=true is refused with 400, as the client documents.
  - Answer `ObservationsV2Response`: {"data": [ObservationV2 holding the requested groups], "meta": {"cursor"}},
    newest start time first; meta.cursor (opaque base64) is left out on the last page.
V2.json is the same observations as the v2 API serves them (langfuse-api-v2-page.json, written through the
client's own types by traces/fixtures/upstream/langfuse/generate_v2_page.py); "-", "404" or none: a server older
than v2, which answers 404 there; "501": a self-hosted server with the route but without the events table it
reads, which answers authenticated requests with 501 (langfuse/langfuse, web/src/pages/api/public/v2/observations,
`LANGFUSE_ENABLE_EVENTS_TABLE_V2_APIS`).
Langfuse prices each generation from its model table when it ingests it; the SDK observations carry no cost, so
both endpoints serve the cost of `input` and `output` usage at the list prices in PRICES (costDetails, and
calculatedTotalCost on v1, totalCost on v2); what matters is that both endpoints serve the same.
OBSERVATIONS.json is a page of observations ({"data": [...]}, e.g. traces/fixtures/upstream/langfuse/
langfuse-api-page-compact.json); with COPIES > 1 each is repeated with ids "<id>-<k>" and start and end times
k minutes later, so pagination has something to page through.
FAULTS.json maps the number of an observations request (1-based; "N+" for N and every later one) to
{"status": 429|500|..., "retry_after": "SECONDS"} or {"truncate": "connection"} (Content-Length says more than
is sent, then the connection closes) or {"truncate": "json"} (a complete response holding half the page) or, on
v2, {"stuck": "cursor"} (meta.cursor names the page just served again).
Requests to either endpoint are numbered together. Every request is appended to LOG.jsonl as {"n", "time",
"path", "query", "auth_ok", "answer"}.
"""
import base64
import json
import sys
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PUBLIC_KEY, SECRET_KEY = "pk-lf-test", "sk-lf-test-secret"
# Dollars per token of `input` and `output` usage (list prices, November 2026).
PRICES = {"o3-mini-2025-01-31": (1.1e-6, 4.4e-6), "claude-sonnet-4-5-20250929": (3e-6, 15e-6),
          "claude-opus-4-1-20250805": (15e-6, 75e-6)}
# The v2 field groups and their fields, as langfuse 5.0.4's client lists them (`get_many`, `fields`).
GROUPS = {
    "core": ["id", "traceId", "startTime", "endTime", "projectId", "parentObservationId", "type"],
    "basic": ["name", "level", "statusMessage", "version", "environment", "bookmarked", "public", "userId",
              "sessionId", "isRootObservation"],
    "time": ["completionStartTime", "createdAt", "updatedAt"],
    "io": ["input", "output"],
    "metadata": ["metadata"],
    "model": ["model", "internalModelId", "modelParameters", "modelId", "inputPrice", "outputPrice", "totalPrice"],
    "usage": ["usageDetails", "costDetails", "totalCost", "usagePricingTierName"],
    "prompt": ["promptId", "promptName", "promptVersion"],
    "metrics": ["latency", "timeToFirstToken"],
    "trace_context": ["tags", "release", "traceName"],
}

base = json.load(open(sys.argv[1]))["data"]
log_path = sys.argv[2]
faults = json.load(open(sys.argv[3])) if len(sys.argv) > 3 and sys.argv[3] != "-" else {}
copies = int(sys.argv[4]) if len(sys.argv) > 4 else 1
v2_source = sys.argv[5] if len(sys.argv) > 5 else "-"
base_v2 = json.load(open(v2_source))["data"] if v2_source not in ("-", "404", "501") else None


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def shifted(text, minutes, micros=False):
    """A time `minutes` later, written as the endpoint writes times: v1 with milliseconds, v2 as the client's
    `serialize_datetime` does (isoformat, microseconds, Z)."""
    if text is None:
        return None
    moved = (parse_time(text) + timedelta(minutes=minutes)).astimezone(timezone.utc)
    if micros:
        return moved.isoformat().replace("+00:00", "Z")
    return moved.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moved.microsecond // 1000:03d}Z"


def priced(item, total_key):
    """The observation with the cost Langfuse would have computed, under both endpoints' names."""
    prices = PRICES.get(item.get("model"))
    details = item.get("usageDetails") or {}
    if not prices or item.get("costDetails"):
        return item
    cost = {"input": round(details.get("input", 0) * prices[0], 12),
            "output": round(details.get("output", 0) * prices[1], 12)}
    cost["total"] = round(cost["input"] + cost["output"], 12)
    return {**item, "costDetails": cost, total_key: cost["total"]}


def served(item):
    """An observation as the v1 endpoint serves it: `environment` and the legacy `usage` (input and output summed
    over the usage types whose names hold them, as Langfuse adds them) are required by the OpenAPI description."""
    details = item.get("usageDetails") or {}
    total_input = sum(v for k, v in details.items() if "input" in k)
    total_output = sum(v for k, v in details.items() if "output" in k)
    usage = {"input": total_input, "output": total_output,
             "total": details.get("total", total_input + total_output), "unit": "TOKENS"}
    return priced({"environment": "default", "usage": usage, **item}, "calculatedTotalCost")


def copied(items, serve, micros):
    result = []
    for k in range(copies):
        for item in items:
            copy = serve(item)
            if copies > 1:
                copy["id"] = f"{item['id']}-{k}"
                for key in ("startTime", "endTime", "completionStartTime", "createdAt", "updatedAt"):
                    if key in copy:
                        copy[key] = shifted(item.get(key), k, micros)
            result.append(copy)
    result.sort(key=lambda o: (parse_time(o["startTime"]), o["id"]), reverse=True)
    return result


observations = copied(base, served, micros=False)
observations_v2 = copied(base_v2, lambda item: priced(dict(item), "totalCost"), micros=True) if base_v2 else None
requests_seen = 0


def fault_for(n):
    if str(n) in faults:
        return faults[str(n)]
    for key, fault in faults.items():
        if key.endswith("+") and n >= int(key[:-1]):
            return fault
    return None


def chosen(items, query):
    since = parse_time(query["fromStartTime"]) if "fromStartTime" in query else None
    until = parse_time(query["toStartTime"]) if "toStartTime" in query else None
    return [o for o in items
            if ("type" not in query or o["type"] == query["type"])
            and (since is None or parse_time(o["startTime"]) >= since)
            and (until is None or parse_time(o["startTime"]) < until)]


def page_v1(query):
    page = int(query.get("page", "1"))
    limit = int(query.get("limit", "50"))
    if page < 1 or limit < 1:
        raise ValueError("page and limit start at 1")
    matching = chosen(observations, query)
    return {"data": matching[(page - 1) * limit: page * limit],
            "meta": {"page": page, "limit": limit, "totalItems": len(matching),
                     "totalPages": (len(matching) + limit - 1) // limit}}


def key(observation):
    return (parse_time(observation["startTime"]), observation["id"])


def page_v2(query):
    limit = int(query.get("limit", "50"))
    if not 1 <= limit <= 1000:
        raise ValueError("limit must be between 1 and 1000")
    if query.get("parseIoAsJson", "false") != "false":
        raise ValueError("parseIoAsJson is deprecated; input and output are returned as raw strings")
    groups = {"core"} | set((query.get("fields") or "core,basic").split(","))
    if not groups <= GROUPS.keys():
        raise ValueError(f"unknown field groups {sorted(groups - GROUPS.keys())}")
    kept = {field for group in groups for field in GROUPS[group]}
    matching = chosen(observations_v2, query)
    if "cursor" in query:
        # The cursor is opaque to clients; here it is the (start time, id) of the last observation served.
        last = json.loads(base64.b64decode(query["cursor"], validate=True))
        after = (parse_time(last["startTime"]), last["id"])
        matching = [o for o in matching if key(o) < after]
    data = [{k: v for k, v in o.items() if k in kept} for o in matching[:limit]]
    meta = {}
    if len(matching) > limit:
        last = matching[limit - 1]
        meta["cursor"] = base64.b64encode(json.dumps({"startTime": last["startTime"], "id": last["id"]}).encode()).decode()
    return {"data": data, "meta": meta}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global requests_seen
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        auth_ok = self.headers.get("Authorization") == "Basic " + base64.b64encode(
            f"{PUBLIC_KEY}:{SECRET_KEY}".encode()).decode()
        entry = {"time": time.time(), "path": url.path, "query": query, "auth_ok": auth_ok}
        if url.path not in ("/api/public/observations", "/api/public/v2/observations"):
            return self.answer(entry, 404, {"message": "Not found"})
        requests_seen += 1
        entry["n"] = requests_seen
        v2 = url.path == "/api/public/v2/observations"
        if v2 and observations_v2 is None and v2_source != "501":
            return self.answer(entry, 404, {"message": "Not found"})
        if not auth_ok:
            return self.answer(entry, 401, {"message": "Invalid credentials. Confirm that you've configured the correct host."})
        if v2 and observations_v2 is None:
            return self.answer(entry, 501, {"message": "v2 APIs are currently in beta and only available on Langfuse Cloud"})
        fault = fault_for(requests_seen)
        if fault and "status" in fault:
            headers = {"Retry-After": fault["retry_after"]} if "retry_after" in fault else {}
            return self.answer(entry, int(fault["status"]), {"message": "fault injected"}, headers)
        try:
            body = page_v2(query) if v2 else page_v1(query)
            if v2 and fault and fault.get("stuck") == "cursor":
                body["meta"]["cursor"] = query.get("cursor")
        except (ValueError, KeyError, TypeError) as error:
            return self.answer(entry, 400, {"message": f"Invalid request data: {error}"})
        self.answer(entry, 200, body, truncate=fault.get("truncate") if fault else None)

    def answer(self, entry, status, body, headers=None, truncate=None):
        data = json.dumps(body).encode()
        entry["answer"] = truncate and f"{status} truncated ({truncate})" or status
        with open(log_path, "a") as log:
            log.write(json.dumps(entry) + "\n")
        if truncate == "json":
            data = data[: len(data) // 2]
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data) * (2 if truncate == "connection" else 1)))
        if truncate == "connection":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        if truncate == "connection":
            self.wfile.flush()
            self.close_connection = True

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
