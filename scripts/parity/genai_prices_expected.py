#!/usr/bin/env python3
"""Prices requests with the genai-prices package, as the reference CostReplay is checked against.

Reads JSON lines (one request each: id, provider or null, model, start as ISO 8601 UTC,
input_tokens with cache_read_tokens, cache_write_5m_tokens and cache_write_1h_tokens inside it,
output_tokens with reasoning_tokens inside it: CostReplay's token convention, docs/trace-format.md)
and writes one JSON line per request: {"id", "total": exact decimal text or null, "entry":
"provider/model" or null, "error": text or null}.

genai-prices' usage keys: input_tokens (all prompt tokens), cache_read_tokens, cache_write_tokens
(both TTLs) with cache_write_5m_tokens / cache_write_1h_tokens inside it, output_tokens, and
output_reasoning_tokens inside it. Exit status 3 when genai-prices is missing or not the pinned version.

Run: python3 scripts/parity/genai_prices_expected.py < requests.jsonl > expected.jsonl
"""
import json
import sys
import warnings
from datetime import datetime, timezone

PINNED = "0.2.3"

try:
    import genai_prices
    from genai_prices import Usage, calc_price
except ImportError:
    print(f"genai-prices is not installed (pip install genai-prices=={PINNED})", file=sys.stderr)
    sys.exit(3)
if genai_prices.__version__ != PINNED:
    print(f"genai-prices {genai_prices.__version__} is installed; the parity check pins {PINNED}", file=sys.stderr)
    sys.exit(3)


def expected(request: dict) -> dict:
    start = datetime.fromisoformat(request["start"].replace("Z", "+00:00")).astimezone(timezone.utc)
    write5m = request.get("cache_write_5m_tokens", 0)
    write1h = request.get("cache_write_1h_tokens", 0)
    usage = Usage(
        input_tokens=request["input_tokens"],
        cache_read_tokens=request.get("cache_read_tokens", 0),
        cache_write_tokens=write5m + write1h,
        cache_write_5m_tokens=write5m,
        cache_write_1h_tokens=write1h,
        output_tokens=request["output_tokens"],
        output_reasoning_tokens=request.get("reasoning_tokens", 0),
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = calc_price(usage, request["model"], provider_id=request.get("provider"), genai_request_timestamp=start)
    except (LookupError, ValueError) as error:
        return {"id": request["id"], "total": None, "entry": None, "error": str(error)}
    return {"id": request["id"], "total": str(result.total_price), "entry": f"{result.provider.id}/{result.model.id}",
            "error": None}


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(expected(json.loads(line))))


if __name__ == "__main__":
    main()
