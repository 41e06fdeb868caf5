"""LiteLLM SpendLogs rows as the LiteLLM proxy builds them, against the fake provider.

The proxy's database logger turns each call into a row with
`litellm.proxy.spend_tracking.spend_tracking_utils.get_logging_payload`; this script registers a
callback that calls that same function for every call made through `litellm.completion`, including
a call answered from LiteLLM's own cache. The rows are written as the proxy's `/spend/logs` API
returns them (FastAPI's `jsonable_encoder`) and as CSV with nested fields as JSON text.

Usage: litellm_run.py PORT OUTDIR VARIANT
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import traceback
import uuid
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network here
import litellm  # noqa: E402
from fastapi.encoders import jsonable_encoder
from litellm.caching.caching import Cache
from litellm.integrations.custom_logger import CustomLogger
from litellm.proxy.spend_tracking.spend_tracking_utils import get_logging_payload

from scenarios import catalog


class SpendLogRows(CustomLogger):
    def __init__(self):
        super().__init__()
        self.rows = []

    def log_success_event(self, kwargs, response_obj, start_time, end_time):
        try:
            self.rows.append(get_logging_payload(kwargs=kwargs, response_obj=response_obj, start_time=start_time,
                                                 end_time=end_time))
        except Exception:  # LiteLLM swallows callback errors; make them visible
            traceback.print_exc()
            raise


def seed_uuids(seed: int) -> None:
    """LiteLLM names Anthropic responses with uuid4; seeded here so regenerated rows keep their ids."""
    rng = random.Random(seed)
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)


def main() -> None:
    seed_uuids(11)
    port, out, variant = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    out.mkdir(parents=True, exist_ok=True)
    scenarios = catalog(variant)
    logger = SpendLogRows()
    litellm.callbacks = [logger]
    litellm.cache = Cache(type="local")
    calls = [("oa-chat", "openai/gpt-4o-mini", f"http://127.0.0.1:{port}/v1", False),
             ("oa-reasoning", "openai/o3-mini", f"http://127.0.0.1:{port}/v1", False),
             ("an-cache", "anthropic/claude-sonnet-4-5", f"http://127.0.0.1:{port}", False),
             ("an-opus-1h", "anthropic/claude-opus-4-1", f"http://127.0.0.1:{port}", False),
             # The first request again with caching on: answered from LiteLLM's cache (the first call filled it).
             ("oa-chat", "openai/gpt-4o-mini", f"http://127.0.0.1:{port}/v1", True)]
    for name, model, base, cached in calls:
        s = scenarios[name]
        messages = [{"role": "user", "content": f"Question {s.marker}"}]
        key = "sk-ant-fake" if model.startswith("anthropic/") else "sk-fake"
        litellm.completion(model=model, messages=messages, api_base=base, api_key=key, max_tokens=1024,
                           caching=cached, metadata={"user_api_key_team_id": "team-fixtures"})
    # LiteLLM runs success callbacks on a worker thread after the call returns.
    deadline = time.time() + 30
    while len(logger.rows) < len(calls) and time.time() < deadline:
        time.sleep(0.1)
    logger.rows.sort(key=lambda row: str(row["startTime"]))
    rows = jsonable_encoder(logger.rows)
    (out / "litellm-spendlogs.json").write_text(json.dumps(rows, indent=2) + "\n")
    with open(out / "litellm-spendlogs.csv", "w", newline="") as handle:
        fields = list(rows[0].keys())
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in row.items()})


if __name__ == "__main__":
    main()
