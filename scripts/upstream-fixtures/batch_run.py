"""OpenAI Batch API files built from what the real `openai` client sent and parsed.

The input file holds the request bodies the client sent to the fake provider (chat, Responses
API, embeddings, one invalid request). Output lines wrap each parsed response object
(`ChatCompletion`, `Response`, `CreateEmbeddingResponse`, dumped by the client's own models) as
`{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error": null}`; the
failed request goes to the errors file with its status 400 and the provider's error body, as the
Batch API writes it.

Usage: batch_run.py PORT OUTDIR VARIANT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import openai
from openai import OpenAI

from fake_provider import FakeProvider  # noqa: F401  (documents where the requests went)
from scenarios import catalog

URLS = {"chat": "/v1/chat/completions", "responses": "/v1/responses", "embeddings": "/v1/embeddings"}


def main() -> None:
    port, out, variant = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    out.mkdir(parents=True, exist_ok=True)
    scenarios = catalog(variant)
    client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-fake", max_retries=0)
    inputs, outputs, errors = [], [], []
    for number, name in enumerate(["oa-chat", "oa-responses", "oa-embed", "oa-batch-fail"], start=1):
        s = scenarios[name]
        custom_id = f"request-{number}"
        text = f"Question {s.marker}"
        try:
            if s.api == "chat":
                raw = client.chat.completions.with_raw_response.create(
                    model=s.request_model, messages=[{"role": "user", "content": text}],
                    **({"temperature": 3.5} if s.extra.get("status") else {}))
            elif s.api == "responses":
                raw = client.responses.with_raw_response.create(model=s.request_model, input=text)
            else:
                raw = client.embeddings.with_raw_response.create(model=s.request_model, input=text,
                                                                 encoding_format="float")
            body = json.loads(raw.http_response.request.content)
            parsed = raw.parse()
            line = {"id": f"batch_req_{number:03d}", "custom_id": custom_id,
                    "response": {"status_code": raw.status_code, "request_id": raw.headers.get("x-request-id"),
                                 "body": parsed.model_dump(mode="json", exclude_unset=True)},
                    "error": None}
            outputs.append(line)
        except openai.APIStatusError as error:
            body = json.loads(error.response.request.content)
            errors.append({"id": f"batch_req_{number:03d}", "custom_id": custom_id,
                           "response": {"status_code": error.status_code,
                                        "request_id": error.response.headers.get("x-request-id"),
                                        "body": error.response.json()},
                           "error": None})
        inputs.append({"custom_id": custom_id, "method": "POST", "url": URLS[s.api], "body": body})
    for name, lines in [("openai-batch-input.jsonl", inputs), ("openai-batch-output.jsonl", outputs),
                        ("openai-batch-errors.jsonl", errors)]:
        (out / name).write_text("".join(json.dumps(line) + "\n" for line in lines))


if __name__ == "__main__":
    main()
