"""A stand-in for Langfuse's public API on 127.0.0.1: `GET /api/public/observations`, for testing
`costreplay ingest --from langfuse`.

    python3 scripts/live/fake_langfuse.py OBSERVATIONS.json LOG.jsonl [FAULTS.json] [COPIES]   # prints the port

It follows the endpoint as Langfuse's OpenAPI description (fern/apis/server/definition/observations.yml,
`getMany`) and server (`GET /api/public/observations`, v1) define it:
  - Basic auth, public key as user and secret key as password; otherwise 401 {"message": ...}.
  - Query: page (from 1, default 1), limit (default 50), type, fromStartTime (start >= it), toStartTime
    (start < it), both ISO 8601; a bad value is 400.
  - Answer `ObservationsViews`: {"data": [ObservationsView...], "meta": {"page", "limit", "totalItems",
    "totalPages"}}, newest start time first.
OBSERVATIONS.json is a page of observations ({"data": [...]}, e.g. traces/fixtures/upstream/langfuse/
langfuse-api-page-compact.json); with COPIES > 1 each is repeated with ids "<id>-<k>" and start and end times
k minutes later, so pagination has something to page through.
FAULTS.json maps the number of an observations request (1-based; "N+" for N and every later one) to
{"status": 429|500|..., "retry_after": "SECONDS"} or {"truncate": "connection"} (Content-Length says more than
is sent, then the connection closes) or {"truncate": "json"} (a complete response holding half the page).
Every request is appended to LOG.jsonl as {"n", "time", "path", "query", "auth_ok", "answer"}.
"""
import base64
import json
import sys
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PUBLIC_KEY, SECRET_KEY = "pk-lf-test", "sk-lf-test-secret"

base = json.load(open(sys.argv[1]))["data"]
log_path = sys.argv[2]
faults = json.load(open(sys.argv[3])) if len(sys.argv) > 3 and sys.argv[3] != "-" else {}
copies = int(sys.argv[4]) if len(sys.argv) > 4 else 1


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def shifted(text, minutes):
    if text is None:
        return None
    moved = parse_time(text) + timedelta(minutes=minutes)
    return moved.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moved.microsecond // 1000:03d}Z"


def served(item):
    """An observation as the v1 endpoint serves it: `environment` and the legacy `usage` (input and output summed
    over the usage types whose names hold them, as Langfuse adds them) are required by the OpenAPI description."""
    details = item.get("usageDetails") or {}
    total_input = sum(v for k, v in details.items() if "input" in k)
    total_output = sum(v for k, v in details.items() if "output" in k)
    usage = {"input": total_input, "output": total_output,
             "total": details.get("total", total_input + total_output), "unit": "TOKENS"}
    return {"environment": "default", "usage": usage, **item}


observations = []
for k in range(copies):
    for item in base:
        copy = served(item)
        if copies > 1:
            copy["id"] = f"{item['id']}-{k}"
            for key in ("startTime", "endTime", "completionStartTime"):
                copy[key] = shifted(item.get(key), k)
        observations.append(copy)
observations.sort(key=lambda o: (o["startTime"], o["id"]), reverse=True)
requests_seen = 0


def fault_for(n):
    if str(n) in faults:
        return faults[str(n)]
    for key, fault in faults.items():
        if key.endswith("+") and n >= int(key[:-1]):
            return fault
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global requests_seen
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        auth_ok = self.headers.get("Authorization") == "Basic " + base64.b64encode(
            f"{PUBLIC_KEY}:{SECRET_KEY}".encode()).decode()
        entry = {"time": time.time(), "path": url.path, "query": query, "auth_ok": auth_ok}
        if url.path != "/api/public/observations":
            return self.answer(entry, 404, {"message": "Not found"})
        requests_seen += 1
        entry["n"] = requests_seen
        if not auth_ok:
            return self.answer(entry, 401, {"message": "Invalid credentials. Confirm that you've configured the correct host."})
        fault = fault_for(requests_seen)
        if fault and "status" in fault:
            headers = {"Retry-After": fault["retry_after"]} if "retry_after" in fault else {}
            return self.answer(entry, int(fault["status"]), {"message": "fault injected"}, headers)
        try:
            page = int(query.get("page", "1"))
            limit = int(query.get("limit", "50"))
            since = parse_time(query["fromStartTime"]) if "fromStartTime" in query else None
            until = parse_time(query["toStartTime"]) if "toStartTime" in query else None
            if page < 1 or limit < 1:
                raise ValueError("page and limit start at 1")
        except (ValueError, KeyError) as error:
            return self.answer(entry, 400, {"message": f"Invalid request data: {error}"})
        chosen = [o for o in observations
                  if ("type" not in query or o["type"] == query["type"])
                  and (since is None or parse_time(o["startTime"]) >= since)
                  and (until is None or parse_time(o["startTime"]) < until)]
        body = {"data": chosen[(page - 1) * limit: page * limit],
                "meta": {"page": page, "limit": limit, "totalItems": len(chosen),
                         "totalPages": (len(chosen) + limit - 1) // limit}}
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
