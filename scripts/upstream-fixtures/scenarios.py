"""The requests the fake provider answers, each with the usage it reports.

Every request text carries a marker `[[scenario:NAME]]`; the fake provider looks the name up here
and answers with exactly these counts. `expected()` converts them into CostReplay's convention
(cached inside input, reasoning inside output), which is what the readers must store.

The held-out variant (`--variant heldout`) uses other numbers so that files generated for the
held-out check are not the committed fixtures with new ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scenario:
    name: str
    api: str  # "chat", "responses", "embeddings", "messages"
    model: str  # the model the provider answers with
    request_model: str
    # OpenAI shapes: prompt (all input, cached inside), cached, completion (reasoning inside), reasoning.
    # Anthropic shape: prompt is the uncached input only; cache_read / write_5m / write_1h apart.
    prompt: int
    completion: int
    cached: int = 0
    reasoning: int = 0
    cache_read: int = 0
    write_5m: int = 0
    write_1h: int = 0
    stream: bool = False
    text: str = "The answer is forty-two."
    extra: dict = field(default_factory=dict)

    @property
    def marker(self) -> str:
        return f"[[scenario:{self.name}]]"

    @property
    def response_id(self) -> str:
        prefix = {"chat": "chatcmpl-", "responses": "resp_", "embeddings": "emb-", "messages": "msg_"}[self.api]
        return prefix + self.name.replace("-", "_")

    def expected(self) -> dict:
        """The tokens CostReplay must store for this request (its single convention)."""
        if self.api == "messages":
            return {
                "input": self.prompt + self.cache_read + self.write_5m + self.write_1h,
                "cache_read": self.cache_read,
                "cache_write_5m": self.write_5m,
                "cache_write_1h": self.write_1h,
                "output": self.completion,
                "reasoning": self.reasoning,
            }
        return {"input": self.prompt, "cache_read": self.cached, "cache_write_5m": 0, "cache_write_1h": 0,
                "output": self.completion, "reasoning": self.reasoning}


def catalog(variant: str = "fixtures") -> dict[str, Scenario]:
    """Scenarios by name. `variant` "heldout" scales every count so the numbers differ."""
    k = 1 if variant == "fixtures" else 3
    d = 0 if variant == "fixtures" else 7
    items = [
        Scenario("oa-chat", "chat", "gpt-4o-mini-2024-07-18", "gpt-4o-mini", prompt=1200 * k + d, cached=200 * k,
                 completion=300 * k + d),
        Scenario("oa-chat-stream", "chat", "gpt-4o-mini-2024-07-18", "gpt-4o-mini", prompt=900 * k + d, cached=0,
                 completion=300 * k + d, stream=True),
        Scenario("oa-reasoning", "chat", "o3-mini-2025-01-31", "o3-mini", prompt=6100 * k + d, cached=1024 * k,
                 completion=1500 * k + d, reasoning=1200 * k),
        Scenario("oa-responses", "responses", "gpt-4o-2024-08-06", "gpt-4o", prompt=2000 * k + d, cached=1000 * k,
                 completion=500 * k + d),
        Scenario("oa-embed", "embeddings", "text-embedding-3-small", "text-embedding-3-small", prompt=800 * k + d,
                 completion=0),
        Scenario("an-cache", "messages", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5", prompt=1000 * k + d,
                 cache_read=4000 * k, write_5m=1000 * k, write_1h=2000 * k, completion=500 * k + d),
        Scenario("an-stream", "messages", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5", prompt=2000 * k + d,
                 write_5m=1500 * k, completion=300 * k + d, stream=True),
        Scenario("an-opus-1h", "messages", "claude-opus-4-1-20250805", "claude-opus-4-1", prompt=1000 * k + d,
                 cache_read=2000 * k, write_1h=4000 * k, completion=600 * k + d),
        Scenario("oa-batch-fail", "chat", "gpt-4o-mini-2024-07-18", "gpt-4o-mini", prompt=0, completion=0,
                 extra={"status": 400}),
    ]
    return {s.name: s for s in items}
