#!/usr/bin/env python3
"""Writes the committed hostile-input corpus (corpus/) and its manifest (cases.json).

Each case runs CostReplay's own binary in a fresh folder holding the case's files, and states
the exit code, what standard error says, how many records the store holds afterwards, the
exact rejections kept, and which files must be left byte for byte as they were.
HostileCorpusTests.swift runs every case; re-run this script after changing a case.
"""
import json, os, pathlib

here = pathlib.Path(__file__).parent
corpus = here / "corpus"
corpus.mkdir(exist_ok=True)
for old in corpus.iterdir():
    old.unlink()

GOOD = '{"id":"good-%d","start":"2026-09-01T10:00:0%dZ","provider":"openai","model":"gpt-4o","input_tokens":100,"output_tokens":10}'
cases = []

def good(n=2):
    return "\n".join(GOOD % (i, i) for i in range(n)) + "\n"

class Repeat:
    """A large file made at test time: prefix, then `unit` repeated `count` times with {i} numbered, then suffix."""
    def __init__(self, prefix, unit, count, suffix=""):
        self.spec = {"prefix": prefix, "unit": unit, "count": count, "suffix": suffix}

def case(name, about, files, run, exit, stored=None, rejects=None, stderr=None, stderr_contains=None,
         setup=None, unchanged=None, seconds=60, stdout_contains=None):
    generated = {}
    for file_name, content in files.items():
        if isinstance(content, Repeat):
            generated[file_name] = content.spec
            continue
        data = content if isinstance(content, bytes) else content.encode()
        (corpus / f"{name}--{file_name}").write_bytes(data)
    c = {"name": name, "about": about, "files": sorted(f for f in files if f not in generated), "run": run, "exit": exit, "seconds": seconds}
    if generated: c["generated"] = generated
    if setup: c["setup"] = setup
    if stored is not None: c["stored"] = stored
    if rejects is not None: c["rejects"] = rejects
    if stderr is not None: c["stderr"] = stderr
    if stderr_contains is not None: c["stderr_contains"] = stderr_contains
    if stdout_contains is not None: c["stdout_contains"] = stdout_contains
    if unchanged: c["unchanged"] = unchanged
    cases.append(c)

ingest = lambda f, *more: ["ingest", f, "--db", "s.db", *more]
RANGE = "timestamp %s is out of range (an epoch number from 0 to the year 9999 in s, ms, µs or ns)"
TOKENS = "%s tokens in one request is out of range (at most 10000000000)"

# --- numbers entering through readers -------------------------------------------------
for label, value, shown in [("1e308", "1e308", "1e+308"), ("1e22", "1e22", "1e+22"), ("neg", "-5", None)]:
    line = '{"id":"bad","start":%s,"model":"gpt-4o","input_tokens":1,"output_tokens":1}' % value
    reason = f"t.jsonl:3: field 'start': " + (RANGE % shown if shown else "timestamp -5 is out of range (an epoch number from 0 to the year 9999 in s, ms, µs or ns)")
    case(f"canonical-start-{label}", f"a start of {value} seconds rejects that record only", {"t.jsonl": good() + line + "\n"},
         ingest("t.jsonl"), 0, stored=2, rejects=[reason])
case("canonical-start-iso-year-0", "year 0000 is not a date", {"t.jsonl": good() + '{"id":"bad","start":"0000-01-01T00:00:00Z","model":"gpt-4o","input_tokens":1,"output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=['t.jsonl:3: field \'start\': expected a timestamp, found "0000-01-01T00:00:00Z"'])
for field in ["input_tokens", "output_tokens", "cache_read_tokens", "reasoning_tokens"]:
    rec = {"id": "bad", "start": "2026-09-01T10:00:00Z", "model": "gpt-4o", "input_tokens": 5, "output_tokens": 5}
    rec[field] = 9223372036854775000
    case(f"canonical-{field}-near-int64-max", f"{field} near 2^63 rejects that record", {"t.jsonl": good() + json.dumps(rec) + "\n"},
         ingest("t.jsonl"), 0, stored=2, rejects=[f"t.jsonl:3: field '{field}': " + TOKENS % "9223372036854775000"])
case("canonical-tokens-above-uint64", "a count beyond 64 bits", {"t.jsonl": good() + '{"id":"bad","model":"gpt-4o","input_tokens":99999999999999999999999,"output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: invalid JSON (Problem while parsing a number)"])
case("canonical-tokens-just-above-limit", "ten billion and one tokens", {"t.jsonl": good() + '{"id":"bad","model":"gpt-4o","input_tokens":10000000001,"output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: field 'input_tokens': " + TOKENS % "10000000001"])
case("canonical-tokens-at-limit", "ten billion tokens is accepted and priced without overflow", {"t.jsonl": good() + '{"id":"big","start":"2026-09-01T11:00:00Z","model":"gpt-4o","input_tokens":10000000000,"output_tokens":10000000000,"reasoning_tokens":10000000000}\n'},
     ingest("t.jsonl"), 0, stored=3, rejects=[])
for label, cell, reason in [("nan", "nan", 'expected a timestamp, found "nan"'), ("inf", "inf", 'expected a timestamp, found "inf"'),
                            ("1e300", "1e300", 'expected a time, found "1e300" (out of range)')]:
    case(f"csv-time-{label}", f"a CSV time of {cell} rejects that row",
         {"t.csv": f"ts,mdl,in,out,who,cost\n1788256800,gpt-4o,1000,100,alice,0.0035\n{cell},gpt-4o,1,1,bob,0\n1788256860,gpt-4o,2000,200,bob,0.007\n",
          "m.json": '{"columns": {"start": "ts", "model": "mdl", "input_tokens": "in", "output_tokens": "out", "user_id": "who", "billed_cost": "cost"}, "defaults": {"provider": "openai"}, "time_unit": "s"}'},
         ingest("t.csv", "--format", "csv", "--mapping", "m.json"), 0, stored=2, rejects=[f"t.csv:3: field 'ts': {reason}"])
case("azure-relative-time-huge", "a relative time that would overflow the origin", {"t.csv": "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.0,10,2\n",
     }, ingest("t.csv"), 0, stored=2, rejects=[])
case("mooncake-timestamp-huge", "a Mooncake arrival of 1e300 ms", {"t.jsonl": '{"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [1]}\n{"timestamp": 1e300, "input_length": 10, "output_length": 1, "hash_ids": [2]}\n{"timestamp": 5, "input_length": 10, "output_length": 1, "hash_ids": [3]}\n'},
     ingest("t.jsonl", "--format", "mooncake"), 0, stored=2, rejects=["t.jsonl:2: field 'timestamp': expected milliseconds from 0 to year 9999, found 1e+300"])
case("langfuse-usage-sum-overflow", "Langfuse usage details whose sum would overflow", {"t.json": json.dumps({"data": [
        {"id": "ok", "type": "GENERATION", "startTime": "2026-09-01T10:00:00Z", "model": "gpt-4o", "usageDetails": {"input": 10, "output": 2}},
        {"id": "bad", "type": "GENERATION", "startTime": "2026-09-01T10:00:00Z", "model": "gpt-4o", "usageDetails": {"input": 9000000000, "input_cached": 9000000000, "output": 1}}],
        "meta": {"page": 1, "limit": 50, "totalItems": 2, "totalPages": 1}}, indent=1)},
     ingest("t.json", "--format", "langfuse"), 0, stored=1, rejects=["t.json:1 item 2: field 'input_tokens': 18000000000 tokens in one request is out of range (at most 10000000000)"])

# --- wrong types, inconsistent records ------------------------------------------------
for field, value, reason in [("model", "123", "expected a string, found 123"), ("tags", '"x"', 'expected a list of strings, found "x"'),
                             ("batch", '"yes"', 'expected true or false, found "yes"'), ("provider", "{}", "expected a string, found {}"),
                             ("embedding", '[1, "a"]', 'expected a list of finite numbers, found "a" in it'),
                             ("prefix_block_tokens", "0", "expected a whole number from 1 to 1000000, found 0")]:
    line = '{"id":"bad","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":1,"output_tokens":1,"%s":%s}' % (field, value)
    if field == "model":
        line = '{"id":"bad","start":"2026-09-01T10:00:00Z","model":123,"input_tokens":1,"output_tokens":1}'
    case(f"canonical-wrong-type-{field}", f"{field} of the wrong type is a reject, not a silent null", {"t.jsonl": good() + line + "\n"},
         ingest("t.jsonl"), 0, stored=2, rejects=[f"t.jsonl:3: field '{field}': {reason}"])
case("canonical-end-before-start", "a request that ends before it starts", {"t.jsonl": good() + '{"id":"bad","start":"2026-09-01T10:00:00Z","end":"2026-09-01T09:00:00Z","model":"gpt-4o","input_tokens":1,"output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: field 'end': ends (2026-09-01T09:00:00Z) before it starts (2026-09-01T10:00:00Z)"])
case("canonical-duplicate-id-other-content", "the same id with different tokens is a conflict, not a duplicate",
     {"t.jsonl": good() + (GOOD % (0, 0)).replace('"input_tokens":100', '"input_tokens":999') + "\n"},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: field 'id': id 'good-0' is already stored with another input_tokens (stored 100, here 999); ids must be unique"])
case("canonical-duplicate-id-same-content", "an exact repeat is a duplicate and stores nothing new", {"t.jsonl": good() + (GOOD % (0, 0)) + "\n"},
     ingest("t.jsonl"), 0, stored=2, rejects=[])
case("canonical-control-bytes-in-text", "ESC and BEL in a model name reach the terminal escaped",
     {"t.jsonl": good() + '{"id":"esc","start":"2026-09-01T10:00:00Z","model":"evil\\u001b[31mred\\u0007","input_tokens":1,"output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=3, rejects=[])

case("table-control-bytes-escaped", "a cost table shows ESC and BEL from a model name escaped, even when piped",
     {"t.jsonl": good() + '{"id":"esc","start":"2026-09-01T10:00:00Z","model":"evil\\u001b[31mred\\u0007","input_tokens":1,"output_tokens":1}\n'},
     ["cost", "--db", "s.db", "--by", "model"], 0, setup=[ingest("t.jsonl")], stdout_contains=["evil\\u{1B}[31mred\\u{7}"])

# --- byte-order marks, encodings, CSV quoting -----------------------------------------
case("bom-jsonl", "a UTF-8 BOM before JSONL", {"t.jsonl": b"\xef\xbb\xbf" + good().encode()}, ingest("t.jsonl"), 0, stored=2, rejects=[])
case("bom-json-array", "a UTF-8 BOM before a JSON array", {"t.json": b"\xef\xbb\xbf[" + b",".join((GOOD % (i, i)).encode() for i in range(2)) + b"]"},
     ingest("t.json", "--format", "canonical"), 0, stored=2, rejects=[])
case("bom-csv", "a UTF-8 BOM before a CSV header", {"t.csv": b"\xef\xbb\xbfTIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n2023-11-16 18:15:47.68,10,4\n"},
     ingest("t.csv"), 0, stored=2, rejects=[])
case("bom-scenario", "a UTF-8 BOM before a scenario file", {"t.jsonl": good(), "s.yaml": b"\xef\xbb\xbfscenarios: [{name: a, strategies: [exact_cache]}]\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--bootstrap", "0"], 0, setup=[ingest("t.jsonl")])
case("invalid-utf8-line", "invalid UTF-8 rejects its line only", {"t.jsonl": good().encode() + b'{"id":"x","model":"gpt-\xff","input_tokens":1,"output_tokens":1}\n' + (GOOD % (5, 5)).encode() + b"\n"},
     ingest("t.jsonl"), 0, stored=3, rejects=None)
rows = "".join(f"2023-11-16 18:{m:02d}:00.00,100,10\n" for m in range(50))
case("csv-unclosed-quote-middle", "an unclosed quote costs its line, not the rest of the file",
     {"t.csv": 'TIMESTAMP,ContextTokens,GeneratedTokens\n"2023-11-16 18:15:46.68,374,44\n' + rows}, ingest("t.csv"), 0, stored=50,
     rejects=["t.csv:2: a quoted field opened on this line is never closed (before the end of the file or within 4 MiB); the lines after it are read on their own"])
case("csv-unclosed-quote-linear", "60,000 rows after an unclosed quote are read in linear time",
     {"t.csv": Repeat('TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,1,"1\n', "2023-11-16 18:15:46.68,{i},1\n", 60000)}, ingest("t.csv"), 0, stored=60000, seconds=30,
     rejects=["t.csv:2: a quoted field opened on this line is never closed (before the end of the file or within 4 MiB); the lines after it are read on their own"])

# --- small input files: size limits, kinds of file -------------------------------------
case("scenario-dev-zero", "a device as the scenario file", {"t.jsonl": good()}, ["simulate", "--db", "s.db", "--scenario", "/dev/zero"], 2,
     setup=[ingest("t.jsonl")], stderr="error: /dev/zero:0: the scenario file is a device; give a regular file (or - for standard input)")
case("prices-dev-zero", "a device as a price file", {"t.jsonl": good()}, ["cost", "--db", "s.db", "--prices", "/dev/zero"], 2,
     setup=[ingest("t.jsonl")], stderr="error: cannot read price file /dev/zero: is a device; give a regular file")
case("mapping-directory", "a folder as the mapping file is an input error", {"t.csv": "a,b\n1,2\n"}, ingest("t.csv", "--format", "csv", "--mapping", "."), 2,
     stderr="error: .: cannot read the file: is a directory; give a regular file")
case("scenario-too-large", "a scenario file beyond 4 MiB is refused unread", {"t.jsonl": good(), "s.yaml": Repeat("# ", "x", 4 << 20, "\n")},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml"], 2, setup=[ingest("t.jsonl")],
     stderr="error: s.yaml:0: the scenario file is 4194307 bytes; at most 4194304 are read")

# --- scenarios: every value checked when the file loads ---------------------------------
def scenario_case(name, about, yaml_text, stderr, max_points=None):
    run = ["simulate", "--db", "s.db", "--scenario", "s.yaml"] + (["--max-points", str(max_points)] if max_points else [])
    scenario = yaml_text + "\n" if len(yaml_text) < 100_000 else Repeat(yaml_text[:20], yaml_text[20], len(yaml_text) - 40, yaml_text[-20:] + "\n")
    case(name, about, {"t.jsonl": good(), "s.yaml": scenario}, run, 2, setup=[ingest("t.jsonl")], stderr=stderr, seconds=20)
scenario_case("sweep-billion-points", "a 10^9-point range is refused from its parameters",
              "scenarios: [{name: a, strategies: [{exact_cache: {ttl: {from: 1, to: 1000000000, step: 1}}}]}]",
              "error: s.yaml:1: 'ttl': the range has 1000000000 points; at most 10,000")
scenario_case("sweep-grid-product", "a grid of 10^6 points is refused before it is built",
              "scenarios: [{name: a, strategies: [{exact_cache: {ttl: {from: 60, to: 6000, step: 60}, capacity: {from: 1, to: 100, step: 1}}}, {prefix_cache: {ttl: {from: 60, to: 6000, step: 60}}}]}]",
              "error: s.yaml:1: 'a': the sweeps expand to more than --max-points 200 scenario points")
scenario_case("sweep-to-infinity", "a range to .inf", "scenarios: [{name: a, strategies: [{exact_cache: {ttl: {from: 1, to: .inf, step: 1}}}]}]",
              "error: s.yaml:1: 'ttl': a range needs finite numeric from, to and step")
scenario_case("sweep-tiny-step", "a step of 1e-300", "scenarios: [{name: a, strategies: [{exact_cache: {ttl: {from: 1, to: 2, step: 1e-300}}}]}]",
              "error: s.yaml:1: 'ttl': the range has 9.999999999999999e+299 points; at most 10,000")
scenario_case("value-nan", "a NaN parameter", "scenarios: [{name: a, strategies: [{semantic_cache: {threshold: nan}}]}]",
              "error: s.yaml:1: 'threshold': expected a finite number, found nan")
scenario_case("value-yaml-nan", "YAML's .nan", "scenarios: [{name: a, strategies: [{semantic_cache: {threshold: .nan}}]}]",
              "error: s.yaml:1: 'threshold': expected a number, found '.nan'")
scenario_case("regex-unclosed", "an invalid regex is an error, not a rule that matches everything",
              "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{regex: \"[unclosed\", tier: small}]}}]}]",
              "error: s.yaml:1: 'rules[0].regex': invalid regular expression \"[unclosed\": missing ]: [unclosed")
scenario_case("regex-backreference", "a back-reference needs backtracking and is refused",
              "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{regex: \"(a)\\\\1\", tier: small}]}}]}]",
              "error: s.yaml:1: 'rules[0].regex': invalid regular expression \"(a)\\1\": invalid escape sequence: \\1")
scenario_case("rule-min-tokens-text", "min_prompt_tokens: lots", "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{min_prompt_tokens: lots, tier: small}]}}]}]",
              "error: s.yaml:1: 'rules[0].min_prompt_tokens': expected a number, found 'lots'")
scenario_case("rule-unknown-tier", "a rule that names no tier", "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{tag: x, tier: tiny}]}}]}]",
              "error: s.yaml:1: 'rules[0].tier': unknown tier 'tiny'; tiers: small, keep")
scenario_case("verbosity-negative", "verbosity -3", "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, default_tier: small, verbosity: {gpt-4o-mini: -3}}}]}]",
              "error: s.yaml:1: 'verbosity.gpt-4o-mini': -3 is out of range 0.01…100")
scenario_case("verbosity-huge", "verbosity 1e300", "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, default_tier: small, verbosity: {gpt-4o-mini: 1e300}}}]}]",
              "error: s.yaml:1: 'verbosity.gpt-4o-mini': 1e+300 is out of range 0.01…100")
scenario_case("summariser-unknown", "an unknown summariser is refused, not priced at $0",
              "scenarios: [{name: a, strategies: [{truncate: {mode: summarise, summariser: gpt-4o-mimi}}]}]",
              "error: s.yaml:1: 'summariser': unknown model 'gpt-4o-mimi' (did you mean 'gpt-4o-mini'?); name a model the price catalog knows, or add it with --prices")
scenario_case("tier-model-unknown", "an unknown tier model", "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: no-such-model-xyz}}}]}]",
              "error: s.yaml:1: 'tiers.small': unknown model 'no-such-model-xyz'; name a model the price catalog knows, or add it with --prices")
scenario_case("cascade-model-unknown", "an unknown cascade model", "scenarios: [{name: a, strategies: [{cascade: {cheap: gpt-4o-mini, strong: gpt-4oo}}]}]",
              "error: s.yaml:1: 'strong': unknown model 'gpt-4oo' (did you mean 'gpt-4o'?); name a model the price catalog knows, or add it with --prices")
scenario_case("hours-nonsense", "batch hours that are not hours", "scenarios: [{name: a, strategies: [{batch_offload: {hours: nonsense}}]}]",
              "error: s.yaml:1: 'hours': 'nonsense' is not a range of UTC hours like 0-6 (0 ≤ from < to ≤ 24)")
scenario_case("prior-negative-alpha", "a Beta prior with alpha -1", "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, quality_priors: [{tier: small, alpha: -1, beta: 2}]}}]}]",
              "error: s.yaml:1: 'quality_priors[0].alpha': -1 is out of range 1e-06…1000000000")
scenario_case("local-gpu-unknown-profile", "a GPU profile that was never measured is refused, not a lever that does nothing",
              "scenarios: [{name: a, strategies: [{local_gpu: {model: llama-9000}}]}]",
              "error: s.yaml:1: 'model': no measured profile for llama-9000 on h100-80gb with tensor_parallel 2; measured: bloom-176b on a100-80gb ×8, bloom-176b on h100-80gb ×8, bloom-176b on h100-80gb-pcap ×8, llama2-70b on a100-80gb ×2, llama2-70b on a100-80gb ×4, llama2-70b on a100-80gb ×8, llama2-70b on h100-80gb ×2, llama2-70b on h100-80gb ×4, llama2-70b on h100-80gb ×8, llama2-70b on h100-80gb-pcap ×2, llama2-70b on h100-80gb-pcap ×4, llama2-70b on h100-80gb-pcap ×8")
scenario_case("name-300kb", "a 300 KB scenario name", "scenarios: [{name: " + "x" * 300000 + ", strategies: []}]",
              "error: s.yaml:1: 'name': a scenario name is at most 200 characters, without control characters")
scenario_case("tags-nested", "a list with a mapping inside is refused, not dropped", "scenarios: [{name: a, strategies: [{batch_offload: {tags: [async, {x: 1}]}}]}]",
              "error: s.yaml:1: 'tags': expected a list of plain values")
case("regex-redos-linear", "a catastrophic-backtracking rule runs in linear time on a long prompt",
     {"t.jsonl": '{"id":"r","start":"2026-09-01T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":100,"output_tokens":10,"prompt":"' + "a" * 5000 + '!"}\n',
      "s.yaml": "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{regex: \"^(a+)+$\", tier: small}]}}]}]\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--bootstrap", "0"], 0, setup=[ingest("t.jsonl")], seconds=20)

# --- outputs never clobber inputs, never follow links -----------------------------------
case("html-onto-database", "simulate --html onto its own database", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--html", "s.db"], 2, setup=[ingest("t.jsonl")], unchanged=["s.db"],
     stderr="error: cannot write s.db: is an input of this command; choose another output path")
case("html-onto-scenario", "simulate --html onto the scenario file", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--html", "./s.yaml"], 2, setup=[ingest("t.jsonl")], unchanged=["s.yaml"],
     stderr="error: cannot write ./s.yaml: is the same file as the input s.yaml; choose another output path")
case("export-onto-database", "export --out onto the database", {"t.jsonl": good()}, ["export", "--db", "s.db", "--out", "s.db"], 2,
     setup=[ingest("t.jsonl")], unchanged=["s.db"], stderr="error: cannot write s.db: is an input of this command; choose another output path")
case("rejects-onto-trace", "ingest --rejects onto the trace being read", {"t.jsonl": good()}, ingest("t.jsonl", "--rejects", "t.jsonl"), 2,
     unchanged=["t.jsonl"], stderr="error: cannot write t.jsonl: is an input of this command; choose another output path")
case("report-html-onto-result", "report --html onto the result document", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n"},
     ["report", "out/result.json", "--html", "out/result.json"], 2,
     setup=[ingest("t.jsonl"), ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--out", "out", "--bootstrap", "0"]], unchanged=["out/result.json"],
     stderr="error: cannot write out/result.json: is an input of this command; choose another output path")
case("html-through-symlink", "an --html path that is a symbolic link", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n", "victim.txt": "precious\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--html", "link.html"], 2, setup=[ingest("t.jsonl"), ["!symlink", "victim.txt", "link.html"]],
     unchanged=["victim.txt"], stderr="error: cannot write link.html: is a symbolic link; CostReplay does not write through links")
case("rejects-through-symlink", "a --rejects path that is a symbolic link", {"t.jsonl": good() + "broken\n", "victim.txt": "precious\n"},
     ingest("t.jsonl", "--rejects", "r.jsonl"), 2, setup=[["!symlink", "victim.txt", "r.jsonl"]], unchanged=["victim.txt"],
     stderr="error: cannot write r.jsonl: is a symbolic link; CostReplay does not write through links")
case("out-folder-file-symlink", "a symbolic link inside the --out folder", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n", "victim.txt": "precious\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--out", "out"], 2,
     setup=[ingest("t.jsonl"), ["!mkdir", "out"], ["!symlink", "../victim.txt", "out/daily.csv"]], unchanged=["victim.txt"],
     stderr="error: cannot write out/daily.csv: is a symbolic link; CostReplay does not write through links")
case("out-folder-symlink", "an --out folder that is a symbolic link", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--out", "out"], 2,
     setup=[ingest("t.jsonl"), ["!mkdir", "elsewhere"], ["!symlink", "elsewhere", "out"]],
     stderr="error: cannot write out: is a symbolic link; CostReplay does not write through links")
case("html-onto-foreign-file", "an existing file that is not HTML is not replaced", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n", "notes.txt": "my notes\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--html", "notes.txt"], 2, setup=[ingest("t.jsonl")], unchanged=["notes.txt"],
     stderr="error: cannot write notes.txt: exists and is not an HTML file; remove it or choose another path")
case("html-replaces-html", "an existing HTML report is replaced", {"t.jsonl": good(), "s.yaml": "scenarios: [{name: a, strategies: [exact_cache]}]\n", "r.html": "<!DOCTYPE html><p>old</p>\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--html", "r.html", "--bootstrap", "0"], 0, setup=[ingest("t.jsonl")])

# --- price files: every number checked before use ----------------------------------------
def price_case(name, about, text, stderr, fmt="own"):
    case(name, about, {"t.jsonl": good(), "p.json": text}, ["cost", "--db", "s.db", "--prices", "p.json"], 2,
         setup=[ingest("t.jsonl")], stderr=stderr)
OWN = '{"format": "costreplay-prices/1", "models": [{"provider": "openai", "id": "gpt-4o", "prices": [{"input_mtok": %s, "output_mtok": 10}]}]}'
price_case("prices-huge-rate", "a rate of 1e300 dollars per million tokens", OWN % "1e300",
           "error: price file p.json: models[0].prices[0].input_mtok: 1e+300 is out of range 0…1000000")
price_case("prices-negative-rate", "a negative rate", OWN % "-5", "error: price file p.json: models[0].prices[0].input_mtok: -5 is out of range 0…1000000")
price_case("prices-text-rate", "a rate written as text", OWN % '"abc"', 'error: price file p.json: models[0].prices[0].input_mtok: expected a number, found "abc"')
price_case("prices-negative-tier-start", "a tier starting below zero tokens", OWN % '{"base": 1, "tiers": [{"start": -1, "price": 2}]}',
           "error: price file p.json: models[0].prices[0].input_mtok.tiers[0].start: -1 is out of range 0…10000000000")
price_case("prices-batch-factor-huge", "a batch factor of 1e9",
           '{"format": "costreplay-prices/1", "models": [{"provider": "openai", "id": "gpt-4o", "prices": [{"input_mtok": 1, "output_mtok": 2}], "batch": {"input_factor": 1e9}}]}',
           "error: price file p.json: models[0].batch.input_factor: 1000000000 is out of range 0…100")
price_case("prices-litellm-huge", "a LiteLLM per-token cost of 1e300",
           '{"gpt-4o": {"input_cost_per_token": 1e300, "output_cost_per_token": 1e-5, "litellm_provider": "openai"}}',
           "error: price file p.json: gpt-4o.input_cost_per_token: 1e+300 is out of range 0…1")

# --- found by the held-out probe, kept as regressions ------------------------------------
case("quality-outcome-huge", "an outcome of 1e308 is rejected (it crashed the rate intervals of a replay)",
     {"t.jsonl": good() + '{"id":"q","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":1,"output_tokens":1,"quality":{"correct:gpt-4o-mini":1e308}}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: field 'quality.correct:gpt-4o-mini': expected a finite number, found 1e+308"])
case("quality-outcome-not-binary", "an outcome is 0 or 1",
     {"t.jsonl": good() + '{"id":"q","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":1,"output_tokens":1,"quality":{"correct:gpt-4o":0.5}}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: field 'quality.correct:gpt-4o': an outcome is 0 or 1, found 0.5"])
case("wrong-type-user-id", "a user id that is a list", {"t.jsonl": good() + '{"id":"u","model":"gpt-4o","input_tokens":1,"output_tokens":1,"user_id":[1]}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: field 'user_id': expected a string or an integer id, found [1]"])
case("wrong-type-messages", "messages that are text", {"t.jsonl": good() + '{"id":"m","model":"gpt-4o","input_tokens":1,"output_tokens":1,"messages":"hello"}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=['t.jsonl:3: field \'messages\': expected a list of messages, found "hello"'])
case("hex-token-text", "a token count written in hex is not a number", {"t.jsonl": good() + '{"id":"h","model":"gpt-4o","input_tokens":"0x10","output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=['t.jsonl:3: field \'input_tokens\': expected a token count, found "0x10"'])
case("negative-billed-cost", "a negative billed cost", {"t.jsonl": good() + '{"id":"n","model":"gpt-4o","input_tokens":1,"output_tokens":1,"billed_cost":-0.01}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:3: field 'billed_cost': a billed cost must not be negative, found -0.01"])
case("offset-out-of-range", "a UTC offset of +99:99", {"t.jsonl": good() + '{"id":"o","start":"2026-09-01T10:00:00+99:99","model":"gpt-4o","input_tokens":1,"output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=['t.jsonl:3: field \'start\': expected a timestamp, found "2026-09-01T10:00:00+99:99"'])
case("february-30", "2026-02-30 is no date", {"t.jsonl": good() + '{"id":"f","start":"2026-02-30T10:00:00Z","model":"gpt-4o","input_tokens":1,"output_tokens":1}\n'},
     ingest("t.jsonl"), 0, stored=2, rejects=['t.jsonl:3: field \'start\': expected a timestamp, found "2026-02-30T10:00:00Z"'])
case("window-february-30", "--from 2026-02-30", {"t.jsonl": good()}, ["cost", "--db", "s.db", "--from", "2026-02-30"], 2, setup=[ingest("t.jsonl")],
     stderr='error: --from "2026-02-30" is not a date (YYYY-MM-DD) or ISO 8601 instant')
case("first-line-not-a-record", "a first line that is no record does not lose the file", {"t.jsonl": "// exported 2026-09-01\n" + good()},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:1: invalid JSON (The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.)"])
case("first-record-empty", "an empty first object does not decide the format", {"t.jsonl": "{}\n" + good()},
     ingest("t.jsonl"), 0, stored=2, rejects=["t.jsonl:1: field 'id': required field is missing"])
case("cr-line-ends", "old Mac line ends (CR only)", {"t.jsonl": good().replace("\n", "\r")}, ingest("t.jsonl"), 0, stored=2, rejects=[])
case("batch-cached-above-prompt", "a batch output whose cached tokens exceed the prompt is rejected, not stored to poison the store",
     {"in.jsonl": "".join('{"custom_id":"r-%d","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi %d"}]}}\n' % (i, i) for i in range(3)),
      "out.jsonl": "".join('{"id":"b%d","custom_id":"r-%d","response":{"status_code":200,"body":{"id":"c%d","object":"chat.completion","created":1788256800,"model":"gpt-4o-mini","usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":%d}}}},"error":null}\n' % (i, i, i, 11 if i == 2 else 0) for i in range(3))},
     ["ingest", "in.jsonl", "out.jsonl", "--db", "s.db"], 0, stored=2)
case("fifo-trace", "a FIFO given as a trace is refused at once, not waited on", {}, ["ingest", "t.fifo", "--db", "s.db"], 2, setup=[["!mkfifo", "t.fifo"]],
     stderr_contains=["t.fifo: cannot read the file: is a pipe; give a regular file"], seconds=20)
case("fifo-database", "a FIFO given as the database", {}, ["cost", "--db", "db.fifo"], 2, setup=[["!mkfifo", "db.fifo"]],
     stderr="error: cannot open database db.fifo: not a regular file", seconds=20)
scenario_case("strategies-2000", "2,000 strategies in one scenario are refused before any work",
              "scenarios: [{name: a, strategies: [" + ", ".join(["exact_cache"] * 2000) + "]}]",
              "error: s.yaml:1: 'strategies': scenario 'a' lists 2000 strategies; at most 32")
scenario_case("rule-without-tier", "a routing rule that names no tier",
              "scenarios: [{name: a, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{tag: x}]}}]}]",
              "error: s.yaml:1: 'rules[0].tier': every routing rule names its tier (or keep)")
case("local-gpu-huge-output", "a ten-billion-token output spills to the API instead of decoding for hours",
     {"t.jsonl": good() + '{"id":"big","start":"2026-09-01T10:00:05Z","provider":"openai","model":"gpt-4o","input_tokens":10,"output_tokens":10000000000,"tags":["feature:chat"]}\n',
      "s.yaml": "scenarios: [{name: a, strategies: [{local_gpu: {tags: [feature:chat], servers: 1}}]}]\n"},
     ["simulate", "--db", "s.db", "--scenario", "s.yaml", "--bootstrap", "0"], 0, setup=[ingest("t.jsonl")], seconds=30)
case("mapping-wrong-type", "a mapping file whose default provider is a number", {"t.csv": "ts,in,out\n1788256800,1,1\n", "m.json": '{"columns": {"start": "ts", "input_tokens": "in", "output_tokens": "out"}, "defaults": {"provider": 5}}'},
     ingest("t.csv", "--format", "csv", "--mapping", "m.json"), 2, stderr="error: m.json: defaults.provider must be a string")
price_case("prices-unknown-key", "a mistyped rate key", OWN % '1, "input_mtokens": 3', "error: price file p.json: models[0].prices[0]: unknown key 'input_mtokens'; a price names input_mtok, output_mtok, cache_read_mtok, cache_write_mtok, cache_write_5m_mtok, cache_write_1h_mtok, output_reasoning_mtok, input_audio_mtok, cache_audio_read_mtok, output_audio_mtok, requests_kcount, effective_from (docs/prices.md)")
price_case("prices-empty-file", "a price file with no models", "{}", "error: price file p.json: names no models")
price_case("prices-format-9", "an unknown price-file version", '{"format": "costreplay-prices/9", "models": []}',
           'error: price file p.json: format "costreplay-prices/9" is not supported; expected "costreplay-prices/1"')
price_case("prices-same-date-twice", "two prices from the same date",
           '{"format": "costreplay-prices/1", "models": [{"id": "gpt-4o", "prices": [{"input_mtok": 1, "output_mtok": 2}, {"input_mtok": 3, "output_mtok": 4}]}]}',
           "error: price file p.json: models[0].prices[1]: a second price from the beginning")

# --- stores ------------------------------------------------------------------------------
case("database-is-a-trace", "a JSONL file given as the database", {"t.jsonl": good()}, ["cost", "--db", "t.jsonl"], 2, unchanged=["t.jsonl"],
     stderr="error: t.jsonl is not a CostReplay database")
case("database-error-exit-2", "a store whose rows break the ingest checks (written by hand)", {"t.jsonl": good()},
     ["cost", "--db", "s.db"], 2, setup=[ingest("t.jsonl"), ["!sql", "s.db", "UPDATE requests SET input_tokens = 9223372036854775000, cache_read_tokens = 0 WHERE id = 'good-0'"]],
     stderr="error: database s.db: request 'good-0' holds counts this version rejects (input_tokens: 9223372036854775000 tokens in one request is out of range (at most 10000000000)); re-ingest its source")
case("all-duplicates-exit-0", "re-ingesting the same file stores nothing new and is a success", {"t.jsonl": good()}, ingest("t.jsonl"), 0,
     setup=[ingest("t.jsonl")], stored=2, rejects=[])

# --- held-out probe findings (session 3): nothing lost, wrong types refused -------------------
G0 = '{"id":"good-0","start":"2026-09-01T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":100,"output_tokens":10}'
G1 = '{"id":"good-1","start":"2026-09-01T10:00:01Z","provider":"openai","model":"gpt-4o","input_tokens":100,"output_tokens":10}'
case("bom-on-every-line", "files concatenated from several exports: a byte-order mark starts every line",
     {"t.jsonl": b"".join(b"\xef\xbb\xbf" + l.encode() + b"\n" for l in [G0, G1])}, ingest("t.jsonl"), 0, stored=2, rejects=[])
case("mixed-line-ends", "LF, CR and CRLF line ends in one file", {"t.jsonl": G0 + "\r" + G1 + "\r\n" + '{"id":"good-2","model":"gpt-4o","input_tokens":1,"output_tokens":1}' + "\n"},
     ingest("t.jsonl"), 0, stored=3, rejects=[])
LIT = '{"request_id":"req-%s","call_type":"acompletion","spend":%s,"prompt_tokens":1000,"completion_tokens":100,"startTime":"2026-09-01T12:00:00","model":%s,"custom_llm_provider":"openai","cache_hit":%s,"request_tags":%s}'
case("litellm-array-one-bad-number", "a JSON array whose one element holds 1e400: that element is rejected, the others stored",
     {"t.json": "[" + ",".join([LIT % (0, "0.001", '"gpt-4o"', '"False"', '["a"]'), LIT % (1, "1e400", '"gpt-4o"', '"False"', '[]'),
                               LIT % (2, "0.001", '"gpt-4o"', '"True"', 'null')]) + "]"},
     ingest("t.json"), 0, stored=2, rejects=["t.json item 2: invalid JSON (Problem while parsing a number)"])
case("litellm-array-of-non-objects", "numbers, nulls and text among the records of a JSON array are rejects, the record is stored",
     {"t.json": '[1, null, "x", ' + LIT % (0, "0.001", '"gpt-4o"', '"None"', '[]') + "]"}, ingest("t.json"), 0, stored=1,
     rejects=["t.json item 1: expected a JSON object", "t.json item 2: expected a JSON object", "t.json item 3: expected a JSON object"])
case("litellm-wrong-types", "LiteLLM fields of the wrong type are rejects, never silent values",
     {"t.json": "[" + ",".join([LIT % (0, "0.001", '"gpt-4o"', '"False"', '[]'), LIT % (1, "0.001", '"gpt-4o"', '"maybe"', '[]'),
                               LIT % (2, "0.001", '42', '"False"', '[]'), LIT % (3, "0.001", '"gpt-4o"', '2', '[]'),
                               LIT % (4, "0.001", '"gpt-4o"', '"False"', '5')]) + "]"},
     ingest("t.json"), 0, stored=1,
     rejects=["t.json item 2: field 'cache_hit': expected true or false, found \"maybe\"", "t.json item 3: field 'model': expected a string, found 42",
              "t.json item 4: field 'cache_hit': expected true or false, found 2", "t.json item 5: field 'request_tags': expected a list, found 5"])
case("first-token-out-of-order", "a first token before the request starts", {"t.jsonl": G0 + "\n" + '{"id":"bad","start":"2026-09-01T10:00:00Z","first_token":"2026-09-01T09:59:00Z","model":"gpt-4o","input_tokens":1,"output_tokens":1}' + "\n"},
     ingest("t.jsonl"), 0, stored=1, rejects=["t.jsonl:2: field 'first_token': the first token (2026-09-01T09:59:00Z) comes before the request starts (2026-09-01T10:00:00Z)"])
OA = '{"id":"chatcmpl-%d","object":"chat.completion","created":%s,"model":"gpt-4o",%s"usage":{"prompt_tokens":10,"completion_tokens":2}}'
case("openai-created-seconds", "OpenAI's created is Unix seconds: 1e20 is out of range, not nanoseconds; a numeric service tier is refused",
     {"t.jsonl": "\n".join([OA % (1, "1e20", ""), OA % (2, "1788256800", '"service_tier":3,'), OA % (3, "1788256800", "")]) + "\n"},
     ingest("t.jsonl", "--format", "openai-chat"), 0, stored=1,
     rejects=["t.jsonl:1: field 'created': 1e+20 Unix seconds is out of range (0 to the year 9999)", "t.jsonl:2: field 'service_tier': expected a string, found 3"])
case("langfuse-csv-bad-usage-json", "Langfuse CSV usageDetails that is not JSON is a reject, not a call with no tokens",
     {"t.csv": 'id,traceId,name,type,startTime,endTime,model,usageDetails,costDetails\n'
               'obs-1,t,a,GENERATION,2026-09-02T08:00:00Z,2026-09-02T08:00:04Z,gpt-4o-mini,"{""input"":5,""output"":3}","{""total"":0.0001}"\n'
               'obs-2,t,a,GENERATION,2026-09-02T08:00:00Z,2026-09-02T08:00:04Z,gpt-4o-mini,"{""input"":5,","{""total"":0.0001}"\n'},
     ingest("t.csv", "--format", "langfuse"), 0, stored=1,
     rejects=["t.csv:3: field 'usageDetails': expected a JSON object, found text that is not valid JSON (or nests too deep): {\"input\":5,"])
price_case("prices-litellm-empty-entry", "a LiteLLM entry with no prices is an error, not the catalog's price in silence",
           '{"gpt-4o": {}}', "error: price file p.json: entry 'gpt-4o' is empty; give input_cost_per_token and output_cost_per_token", fmt="litellm")

(here / "cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
print(f"{len(cases)} cases, {len(list(corpus.iterdir()))} files")
