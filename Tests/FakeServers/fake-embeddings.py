#!/usr/bin/env python3
"""A scripted fake of an OpenAI-compatible POST /v1/embeddings endpoint, for the `costreplay embed` tests.

Vectors are deterministic: a unit vector from SHA-256 of (model, text), so identical texts get identical vectors and
different models different ones. usage.prompt_tokens counts words. A request's "dimensions" is ignored (vectors are always --dimension long). Every request is logged as one JSON line to --log
(arrival time, input count, texts, status, Authorization header) before it is answered.

Faults, by 1-based request number: --fail N:STATUS[:RETRY_AFTER] (repeatable), --malformed N (a 200 whose body is not
an embeddings response), --wrong-dimension N (one vector one component longer), --hang-after N (requests after the
Nth never get an answer), --require-key KEY (401 unless the bearer token is KEY).
"""
import argparse
import hashlib
import json
import math
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def vector(model, text, dimension):
    values, counter = [], 0
    while len(values) < dimension:
        digest = hashlib.sha256(f"{model}\0{text}\0{counter}".encode()).digest()
        values += [x / 2**31 - 1 for x in struct.unpack("<8I", digest)]
        counter += 1
    values = values[:dimension]
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--dimension", type=int, default=8)
    parser.add_argument("--log", required=True)
    parser.add_argument("--fail", action="append", default=[])
    parser.add_argument("--malformed", type=int, default=0)
    parser.add_argument("--wrong-dimension", type=int, default=0)
    parser.add_argument("--hang-after", type=int, default=0)
    parser.add_argument("--require-key")
    args = parser.parse_args()
    failures = {}
    for spec in args.fail:
        parts = spec.split(":")
        failures[int(parts[0])] = (int(parts[1]), parts[2] if len(parts) > 2 else None)
    lock = threading.Lock()
    count = [0]
    log = open(args.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, status, body, headers=()):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers:
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            with lock:
                count[0] += 1
                n = count[0]
            texts = request["input"] if isinstance(request["input"], list) else [request["input"]]
            status, retry_after = failures.get(n, (200, None))
            if args.require_key and self.headers.get("Authorization") != f"Bearer {args.require_key}":
                status = 401
            log.write(json.dumps({"n": n, "t": time.time(), "inputs": len(texts), "texts": texts, "status": status,
                                  "model": request.get("model"), "dimensions": request.get("dimensions"),
                                  "authorization": self.headers.get("Authorization")}) + "\n")
            if args.hang_after and n > args.hang_after:
                time.sleep(3600)
                return
            if status == 401:
                return self.send(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
            if status != 200:
                headers = [("Retry-After", retry_after)] if retry_after else []
                return self.send(status, {"error": {"message": f"scripted failure {status}"}}, headers)
            if n == args.malformed:
                return self.send(200, b"<html>gateway says hello</html>")
            dimension = args.dimension
            data = [{"object": "embedding", "index": i, "embedding": vector(request.get("model"), t, dimension)} for i, t in enumerate(texts)]
            if n == args.wrong_dimension:
                data[-1]["embedding"].append(0.0)
            tokens = sum(len(t.split()) for t in texts)
            self.send(200, {"object": "list", "data": data, "model": request.get("model"),
                            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
