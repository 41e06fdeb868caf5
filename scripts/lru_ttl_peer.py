#!/usr/bin/env python3
"""Plain single-threaded Python peer of CostReplay's exact-cache sweep (scripts/bench-replay-peer.sh).

Reads a canonical JSONL trace (what `costreplay synth` writes), replays it in (start, id) order through one
LRU+TTL cache per (capacity, ttl) point, and prints one JSON line of counters per point.

Same semantics as `exact_cache` with `eviction: lru`, `scope: global`, `normalise: [whitespace]`:
- key: (model, prompt) where prompt is the prompt text with ASCII whitespace runs collapsed and trimmed, else
  "h" + prompt_hash, else "m" + the message hashes joined by commas; requests with none are `no_key`;
- a TTL counts from insertion and is not refreshed by hits; an entry is available from the end of the request
  that stored it (a duplicate arriving while it is in flight is a miss that does not store);
- an expired entry found by a lookup is dropped (an expiration) and the request stores afresh;
- before storing, up to four expired entries are dropped from the cold end (expirations); a full cache then drops
  its least recently used entry (an expiration when it had expired, else an eviction).

Keys are the strings themselves, not 64-bit hashes, so a hash collision in CostReplay would show as a difference.
Usage: lru_ttl_peer.py TRACE.jsonl --capacities 1000,2000,... --ttls 60,300,...   (seconds; 0 = none)
"""
import argparse
import json
import sys
import time
from collections import OrderedDict


def micros(text):
    """Microseconds since the epoch of an ISO-8601 UTC time as CostReplay writes it (YYYY-MM-DDTHH:MM:SS[.ffffff]Z)."""
    if text is None:
        return None
    y, mo, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
    h, mi, s = int(text[11:13]), int(text[14:16]), int(text[17:19])
    frac = 0
    if len(text) > 20 and text[19] == ".":
        digits = text[20:].rstrip("Z")
        frac = int((digits + "000000")[:6])
    # Days from civil (Howard Hinnant's algorithm), as Timestamp.swift does.
    y -= mo <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (mo + (-3 if mo > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    return ((days * 86400 + h * 3600 + mi * 60 + s) * 1_000_000) + frac


def collapse(text):
    out = []
    pending = False
    for ch in text:
        if ch in " \t\n\r":
            pending = bool(out)
        else:
            if pending:
                out.append(" ")
            pending = False
            out.append(ch)
    return "".join(out)


def prompt_key(r):
    if r.get("prompt") is not None:
        return collapse(r["prompt"])
    if r.get("prompt_hash") is not None:
        return "h" + r["prompt_hash"]
    messages = r.get("messages") or []
    if messages and all(m.get("hash") is not None for m in messages):
        return "m" + ",".join(m["hash"] for m in messages)
    return None


def load(path):
    """(start, id, key, available, response) per call, sorted by (start, id)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("kind", "llm") != "llm":
                continue
            start = micros(r.get("start")) or 0
            end = micros(r.get("end"))
            prompt = prompt_key(r)
            key = None if prompt is None else (r.get("model") or "", prompt)
            rows.append((start, r["id"], key, end if end is not None else start, r.get("response_hash")))
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


def sweep_point(rows, capacity, ttl_seconds):
    ttl = int(ttl_seconds * 1e6) if ttl_seconds > 0 else None
    cache = OrderedDict()  # key -> [expires, available, response]; last = most recently used
    c = dict(lookups=0, hits=0, misses=0, no_key=0, evictions=0, expirations=0, hits_with_response=0, likely_false_hits=0)
    for start, _, key, available, response in rows:
        if key is None:
            c["no_key"] += 1
            continue
        c["lookups"] += 1
        entry = cache.get(key)
        if entry is not None:
            if entry[0] <= start:
                del cache[key]
                c["expirations"] += 1
                entry = None
            else:
                cache.move_to_end(key)
                if entry[1] <= start:
                    c["hits"] += 1
                    if response is not None and entry[2] is not None:
                        c["hits_with_response"] += 1
                        if response != entry[2]:
                            c["likely_false_hits"] += 1
                    continue
        c["misses"] += 1
        if entry is not None:
            continue  # in flight: the stored response is not back yet
        if ttl is not None:
            purged = 0
            while cache and purged < 4:
                oldest = next(iter(cache))
                if cache[oldest][0] > start:
                    break
                del cache[oldest]
                c["expirations"] += 1
                purged += 1
        if capacity and len(cache) >= capacity:
            _, victim = cache.popitem(last=False)
            if victim[0] <= start:
                c["expirations"] += 1
            else:
                c["evictions"] += 1
        cache[key] = [start + ttl if ttl is not None else 2**63 - 1, available, response]
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("--capacities", default="1000,2000,3000,4000,5000,6000,7000,8000,9000,10000")
    parser.add_argument("--ttls", default="60,300,900,3600,86400")
    args = parser.parse_args()
    t0 = time.process_time()
    rows = load(args.trace)
    t1 = time.process_time()
    for capacity in (int(x) for x in args.capacities.split(",")):
        for ttl in (float(x) for x in args.ttls.split(",")):
            counters = sweep_point(rows, capacity, ttl)
            print(json.dumps(dict(capacity=capacity, ttl=ttl, **counters), sort_keys=True))
    t2 = time.process_time()
    print(f"peer: {len(rows)} calls; load {t1 - t0:.2f} CPU s, sweep {t2 - t1:.2f} CPU s", file=sys.stderr)


if __name__ == "__main__":
    main()
