"""Batch determination throughput: shipments per second on one core, JSON Lines in and out.

usage: .venv/bin/python bench/determine.py [--count 100000] [--write docs/benchmarks.md]   (or: make bench)

Generates a seeded mix of listed, catch-all and exempt shipments across 2004-2026 and measures, in one run:
- engine alone (parsed shipments in, Determination objects out), memoised per snapshot (``determine_memoised``,
  what the service and batches use) and computed afresh for every shipment (``determine``);
- end to end: JSON Lines bytes in -> parse -> determine -> JSON Lines bytes out (what `determine --batch --json` does);
- a naive baseline: the same rules with no shared snapshots, every dated value resolved anew per shipment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import time
from collections.abc import Callable
from typing import Any

import orjson

from clearance import Shipment, determine, load_regulations
from clearance.engine.batch import determine_lines, determine_memoised
from clearance.engine.encode import line_json
from clearance.engine.io import parse_shipment
from clearance.law.regulations import Snapshot

ITEMS: list[dict[str, Any]] = [
    {"control_code": "1C350", "cas": "7664-39-3", "kind": "goods"},  # listed, row 3 (no low-value exemption)
    {"control_code": "1C009.b", "kind": "goods"},  # listed, row 5 (low-value exemption possible)
    {"control_code": "3C002.a.2", "kind": "goods"},
    {"control_code": "3C002.a.2", "kind": "technology"},
    {"control_code": "6A003", "kind": "goods"},
    {"control_code": "2B350", "kind": "goods"},
    {"control_code": None, "hs_code": "8479.89", "kind": "goods"},  # catch-all row 16
    {"control_code": None, "hs_code": "8471.50", "kind": "goods"},
    {"control_code": None, "hs_code": "0302.11", "kind": "goods"},  # outside catch-all
]
DESTINATIONS = ["KR", "DE", "US", "CN", "TW", "SG", "BR", "TR", "SD", "IR", "KP", "IN", "VN", "MX"]
VALUES = [20_000, 300_000, 900_000, 3_000_000, 8_000_000, 50_000_000]
END_USES = ["civil", "civil", "civil", "wmd", "conventional_weapons", "unknown"]


def generate(count: int, seed: int = 2019) -> list[bytes]:
    """``count`` shipments as JSON lines (seeded, reproducible)."""
    rng = random.Random(seed)
    start = dt.date(2004, 1, 20)
    lines = []
    for i in range(count):
        item = dict(rng.choice(ITEMS))
        item.update(value=rng.choice(VALUES), currency="JPY")
        shipment = {
            "ref": f"B-{i}",
            "regime": "jp",
            "date": (start + dt.timedelta(days=rng.randrange(8000))).isoformat(),
            "destination": rng.choice(DESTINATIONS),
            "item": item,
            "end_use": rng.choice(END_USES),
            "informed": rng.random() < 0.02,
        }
        lines.append(orjson.dumps(shipment))
    return lines


def rate(label: str, count: int, run: Callable[[], None]) -> tuple[str, int, float]:
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    return label, count, count / elapsed


def naive(shipments: list[Shipment], regulations: Any) -> None:
    """Resolve every dated value anew for each shipment: a fresh snapshot per call, nothing shared."""
    regs = regulations["jp"]
    original = regs.at
    regs.at = lambda when: Snapshot(regs, when)
    try:
        for shipment in shipments:
            determine(shipment, regulations)
    finally:
        regs.at = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--baseline-count", type=int, default=2_000)
    parser.add_argument("--write", help="append the results to this markdown file")
    args = parser.parse_args()

    regulations = load_regulations()
    lines = generate(args.count)
    shipments = [parse_shipment(line) for line in lines]
    results = []

    def engine_memo() -> None:
        for s in shipments:
            determine_memoised(s, regulations)

    def engine_cold() -> None:
        for s in shipments:
            determine(s, regulations)

    def end_to_end() -> None:
        out = bytearray()
        for number, result in determine_lines(lines, regulations):
            out += line_json(number, result) + b"\n"

    for snap in list(regulations["jp"]._snapshots.values()):
        snap.memo.clear()
    results.append(rate("engine alone, memoised per snapshot (determine_memoised)", len(shipments), engine_memo))
    results.append(rate("engine alone, computed afresh (determine)", len(shipments), engine_cold))
    for snap in list(regulations["jp"]._snapshots.values()):
        snap.memo.clear()
    results.append(rate("end to end: JSON Lines in -> JSON Lines out", len(lines), end_to_end))
    subset = shipments[: args.baseline_count]
    results.append(rate("naive baseline: fresh snapshot per shipment", len(subset), lambda: naive(subset, regulations)))

    outcomes = {"listed": 0, "catch-all": 0, "exempt": 0, "no licence": 0}
    for s in shipments:
        d = determine(s, regulations)
        if d.exemptions:
            outcomes["exempt"] += 1
        elif "listed" in d.basis:
            outcomes["listed"] += 1
        elif d.basis:
            outcomes["catch-all"] += 1
        else:
            outcomes["no licence"] += 1

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    report = [
        f"### determine: {dt.date.today()} ({machine})",
        "",
        f"`.venv/bin/python bench/determine.py --count {args.count}`; one process (one core).",
        f"Mix of the {len(shipments):,} generated shipments: "
        + ", ".join(f"{k} {v:,}" for k, v in outcomes.items())
        + ".",
        "",
        "| measurement | shipments | shipments/s |",
        "|---|---:|---:|",
        *[f"| {label} | {count:,} | {per_second:,.0f} |" for label, count, per_second in results],
        "",
    ]
    text = "\n".join(report)
    print(text)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
