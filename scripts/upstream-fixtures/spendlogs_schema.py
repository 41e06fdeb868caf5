"""Writes LiteLLM_SpendLogs's DDL as LiteLLM creates it, from litellm-proxy-extras' Prisma migrations.

    pip download --no-deps -d /tmp/lpe litellm-proxy-extras==0.4.110
    python3 scripts/upstream-fixtures/spendlogs_schema.py /tmp/lpe/litellm_proxy_extras-0.4.110-py3-none-any.whl \
        > traces/fixtures/upstream/litellm/spendlogs-schema.sql
"""
import sys
import zipfile

wheel = zipfile.ZipFile(sys.argv[1])
version = sys.argv[1].split("litellm_proxy_extras-")[1].split("-")[0]
out = [
    "-- LiteLLM_SpendLogs as LiteLLM creates it: every statement on this table, in order, from the Prisma",
    f"-- migrations of litellm-proxy-extras {version} (the migrations litellm 1.110.2's proxy applies; MIT licence,",
    "-- see Sources/CostReplayCore/Resources/LICENSE.litellm). Extracted by scripts/upstream-fixtures/spendlogs_schema.py.",
    "",
]
for name in sorted(n for n in wheel.namelist() if n.endswith(".sql")):
    for statement in wheel.read(name).decode().split(";"):
        body = statement.strip()
        if '"LiteLLM_SpendLogs"' not in body:
            continue
        if "CREATE" not in body and 'ALTER TABLE "LiteLLM_SpendLogs"' not in body:
            continue
        lines = [line for line in body.splitlines() if not line.startswith("--")]
        out += ["-- " + name.split("/")[2], "\n".join(lines).strip() + ";", ""]
print("\n".join(out), end="")
