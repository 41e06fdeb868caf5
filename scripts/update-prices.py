#!/usr/bin/env python3
"""Regenerates CostReplay's bundled price catalog from the pinned PyPI release of genai-prices.

genai-prices (pydantic/genai-prices, MIT) ships its whole price feed inside the wheel as Python
objects (genai_prices/data.py). This script downloads the pinned wheel with pip, checks its
SHA-256, installs it in a throwaway virtual environment, and writes the providers back out in the
feed's own JSON shape (prices/new_data/v2/data.json), wrapped in an envelope that records which
release the data is and when it was published:

    {"format": "costreplay-catalog/1",
     "catalog": {"name": "genai-prices", "version": "0.2.3", "date": "2026-11-10", ...},
     "providers": [...]}

Usage extractors and descriptions are left out (CostReplay reads usage itself); prices, match
rules, provider fallbacks, price variants and price comments are kept unchanged.

Run:  python3 scripts/update-prices.py            (writes Sources/CostReplayCore/Resources/price-catalog.json)
      python3 scripts/update-prices.py --out FILE (anywhere else, e.g. for `costreplay prices update --from FILE`)

To move to a newer release, change the three pins below together (version, wheel hash, and the
wheel's upload date from PyPI's simple index, https://pypi.org/simple/genai-prices/).
"""
import argparse
import dataclasses
import datetime
import decimal
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile

VERSION = "0.2.3"
WHEEL = f"genai_prices-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "56976ce2b04ec206117f7d0e53f4849211a6724ab3a12119afec304eba63ee25"
# Upload time of the wheel on PyPI (simple index, "upload-time"): the date of the data.
RELEASED = "2026-11-10"

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "Sources/CostReplayCore/Resources/price-catalog.json"
SKIPPED_FIELDS = {"extractors", "description"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        export(args.out)
        return
    with tempfile.TemporaryDirectory(prefix="update-prices-") as tmp:
        tmp = pathlib.Path(tmp)
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", f"genai-prices=={VERSION}", "-d", str(tmp)])
        wheel = tmp / WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            sys.exit(f"error: {WHEEL} has SHA-256 {digest}, expected {WHEEL_SHA256}; refusing to use it")
        venv = tmp / "venv"
        run([sys.executable, "-m", "venv", str(venv)])
        python = venv / "bin" / "python"
        run([str(python), "-m", "pip", "install", "-q", str(wheel)])
        run([str(python), __file__, "--export", "--out", str(args.out)])


def run(command: list) -> None:
    subprocess.run(command, check=True)


def export(out: pathlib.Path) -> None:
    """Runs inside the virtual environment that has the pinned genai-prices installed."""
    import genai_prices
    from genai_prices.data import providers

    if genai_prices.__version__ != VERSION:
        sys.exit(f"error: genai-prices {genai_prices.__version__} is installed, expected {VERSION}")
    document = {
        "format": "costreplay-catalog/1",
        "catalog": {
            "name": "genai-prices",
            "version": VERSION,
            "date": RELEASED,
            "source": f"PyPI genai-prices {VERSION} ({WHEEL}, sha256 {WHEEL_SHA256}), genai_prices/data.py; "
                      "upstream https://github.com/pydantic/genai-prices",
            "license": "MIT (LICENSE.genai-prices)",
        },
        "providers": [plain(provider) for provider in providers],
    }
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    out.write_text(text + "\n", encoding="utf-8")
    models = sum(len(provider.models) for provider in providers)
    print(f"genai-prices {VERSION} ({RELEASED}): {len(providers)} providers, {models} models -> {out}")


def plain(value):
    """The feed's JSON shape of a genai-prices object (inverse of its pydantic loader)."""
    from genai_prices import types

    if isinstance(value, decimal.Decimal):
        number = float(value)
        if decimal.Decimal(repr(number)) != value:
            raise ValueError(f"price {value} does not survive a round trip through JSON")
        return int(number) if number.is_integer() else number
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, types.ModelPrice):
        return {key: plain(v) for key, v in vars(value).items() if v is not None and not key.startswith("_")}
    if dataclasses.is_dataclass(value):
        result = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if item is None or field.name.startswith("_") or field.name in SKIPPED_FIELDS:
                continue
            result[field.name.rstrip("_")] = plain(item)  # ClauseOr.or_ -> "or", ClauseAnd.and_ -> "and"
        return result
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


if __name__ == "__main__":
    main()
