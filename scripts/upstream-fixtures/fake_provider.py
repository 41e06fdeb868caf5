"""A local fake of the OpenAI and Anthropic HTTP APIs on 127.0.0.1 that answers with known usage.

It serves /v1/chat/completions (plain and streamed), /v1/responses, /v1/embeddings and
/v1/messages (plain and streamed). The request text names its scenario (`[[scenario:NAME]]`);
the answer carries exactly that scenario's usage. Every request body is kept, so the OpenAI Batch
input lines can be the bodies the real client sent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scenarios import Scenario

MARKER = re.compile(r"\[\[scenario:([a-z0-9-]+)\]\]")
CREATED = 1767225600  # 2026-01-01T00:00:00Z


class FakeProvider:
    def __init__(self, scenarios: dict[str, Scenario]):
        self.scenarios = scenarios
        self.requests: list[tuple[str, dict]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                data = self.rfile.read(length)
                body = json.loads(data or b"{}") if not self.path.startswith("/api/") else {}
                provider.requests.append((self.path, body))
                provider.answer(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()

    def scenario_of(self, body: dict) -> Scenario:
        match = MARKER.search(json.dumps(body))
        if not match:
            raise KeyError("request names no scenario")
        return self.scenarios[match.group(1)]

    def answer(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        if handler.path.startswith("/api/"):
            return send_json(handler, {})  # a Langfuse SDK exporting to "its server": accepted, ignored
        s = self.scenario_of(body)
        if s.extra.get("status"):
            error = {"error": {"message": "Invalid value for 'temperature': must be at most 2.",
                               "type": "invalid_request_error", "param": "temperature", "code": "invalid_value"}}
            return send_json(handler, error, status=s.extra["status"])
        if s.api == "chat":
            return send_sse(handler, chat_chunks(s)) if s.stream else send_json(handler, chat_body(s))
        if s.api == "responses":
            return send_json(handler, responses_body(s))
        if s.api == "embeddings":
            return send_json(handler, embeddings_body(s, body.get("encoding_format")))
        return send_sse(handler, message_events(s)) if s.stream else send_json(handler, message_body(s))


def send_json(handler, payload: dict, status: int = 200) -> None:
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(data)))
    handler.send_header("x-request-id", "req_fake_" + hashlib.sha256(data).hexdigest()[:12])
    handler.send_header("request-id", "req_fake_anthropic")
    handler.end_headers()
    handler.wfile.write(data)


def send_sse(handler, events: list[tuple[str | None, dict | str]]) -> None:
    handler.send_response(200)
    handler.send_header("content-type", "text/event-stream")
    handler.send_header("cache-control", "no-cache")
    handler.end_headers()
    for name, data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        prefix = f"event: {name}\n" if name else ""
        handler.wfile.write(f"{prefix}data: {text}\n\n".encode())
        handler.wfile.flush()
    handler.close_connection = True


def openai_usage(s: Scenario) -> dict:
    return {
        "prompt_tokens": s.prompt,
        "completion_tokens": s.completion,
        "total_tokens": s.prompt + s.completion,
        "prompt_tokens_details": {"cached_tokens": s.cached, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": s.reasoning, "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
    }


def chat_body(s: Scenario) -> dict:
    return {
        "id": s.response_id, "object": "chat.completion", "created": CREATED, "model": s.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": s.text, "refusal": None},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": openai_usage(s), "service_tier": "default", "system_fingerprint": "fp_fake",
    }


def chat_chunks(s: Scenario) -> list:
    base = {"id": s.response_id, "object": "chat.completion.chunk", "created": CREATED, "model": s.model,
            "service_tier": "default", "system_fingerprint": "fp_fake"}
    words = s.text.split(" ")
    chunks = [(None, {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                           "finish_reason": None}]})]
    for i, word in enumerate(words):
        piece = word if i == 0 else " " + word
        chunks.append((None, {**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}))
    chunks.append((None, {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
    chunks.append((None, {**base, "choices": [], "usage": openai_usage(s)}))
    chunks.append((None, "[DONE]"))
    return chunks


def responses_body(s: Scenario) -> dict:
    return {
        "id": s.response_id, "object": "response", "created_at": CREATED, "status": "completed",
        "model": s.model, "error": None, "incomplete_details": None, "instructions": None,
        "output": [{"type": "message", "id": "msg_" + s.name.replace("-", "_"), "status": "completed",
                    "role": "assistant", "content": [{"type": "output_text", "text": s.text, "annotations": []}]}],
        "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "temperature": 1.0, "top_p": 1.0,
        "service_tier": "default", "store": True, "text": {"format": {"type": "text"}}, "truncation": "disabled",
        "usage": {"input_tokens": s.prompt, "input_tokens_details": {"cached_tokens": s.cached},
                  "output_tokens": s.completion, "output_tokens_details": {"reasoning_tokens": s.reasoning},
                  "total_tokens": s.prompt + s.completion},
    }


def embeddings_body(s: Scenario, encoding: str | None) -> dict:
    vector = [0.125, -0.25, 0.5, 0.0625]
    data = base64.b64encode(struct.pack("<4f", *vector)).decode() if encoding == "base64" else vector
    return {"object": "list", "model": s.model,
            "data": [{"object": "embedding", "index": 0, "embedding": data}],
            "usage": {"prompt_tokens": s.prompt, "total_tokens": s.prompt}}


def anthropic_usage(s: Scenario, output: int) -> dict:
    return {
        "input_tokens": s.prompt, "cache_read_input_tokens": s.cache_read,
        "cache_creation_input_tokens": s.write_5m + s.write_1h,
        "cache_creation": {"ephemeral_5m_input_tokens": s.write_5m, "ephemeral_1h_input_tokens": s.write_1h},
        "output_tokens": output, "service_tier": "standard",
    }


def message_body(s: Scenario) -> dict:
    return {"id": s.response_id, "type": "message", "role": "assistant", "model": s.model,
            "content": [{"type": "text", "text": s.text}], "stop_reason": "end_turn", "stop_sequence": None,
            "usage": anthropic_usage(s, s.completion)}


def message_events(s: Scenario) -> list:
    start = {"type": "message_start", "message": {**message_body(s), "content": [], "stop_reason": None,
                                                  "usage": anthropic_usage(s, 1)}}
    # As the real API does: message_start carries a placeholder output count (1), message_delta the final one.
    events = [("message_start", start),
              ("content_block_start", {"type": "content_block_start", "index": 0,
                                       "content_block": {"type": "text", "text": ""}})]
    for i, word in enumerate(s.text.split(" ")):
        piece = word if i == 0 else " " + word
        events.append(("content_block_delta", {"type": "content_block_delta", "index": 0,
                                               "delta": {"type": "text_delta", "text": piece}}))
    events.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
    final = anthropic_usage(s, s.completion)
    final.pop("service_tier")
    events.append(("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": final}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events
