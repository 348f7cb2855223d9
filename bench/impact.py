"""Impact-run throughput: order lines per second, each determined under two versions of the law.

usage: .venv/bin/python bench/impact.py [--lines 1000000] [--write docs/benchmarks.md]

Builds a portfolio of generated order lines over the sample catalogue and customers (examples/portfolio),
ship dates spread over 2019, and times the white-list change (law of 2019-08-01 against 2019-08-28), with a
baseline in the same run: the same lines determined without the per-snapshot memo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import time
from decimal import Decimal
from pathlib import Path

from clearance.engine.determine import determine
from clearance.impact.analysis import LawVersion, assess
from clearance.impact.portfolio import Order, Portfolio, read_portfolio
from clearance.law import load_regulations

ROOT = Path(__file__).resolve().parent.parent


def generate(sample: Portfolio, count: int, seed: int = 2019) -> Portfolio:
    """``count`` order lines drawn from the sample's products and customers."""
    rng = random.Random(seed)
    parts = [p for p in sample.catalogue if sample.catalogue[p].classification("jp") is not None]
    customers = list(sample.customers)
    start = dt.date(2019, 1, 1)
    orders = tuple(
        (
            i + 2,
            Order.model_construct(
                order_id=f"G-{i}",
                part_number=rng.choice(parts),
                customer_id=rng.choice(customers),
                quantity=Decimal(rng.randint(1, 500)),
                unit="pcs",
                value=Decimal(rng.choice([50_000, 400_000, 900_000, 2_000_000, 8_000_000, 30_000_000])),
                currency="JPY",
                ship_date=start + dt.timedelta(days=rng.randrange(365)),
            ),
        )
        for i in range(count)
    )
    return Portfolio(sample.catalogue, sample.customers, orders, (), sample.orders_file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--baseline-lines", type=int, default=20_000)
    parser.add_argument("--write", help="append the results to this markdown file")
    args = parser.parse_args()

    regulations = load_regulations()
    jp = regulations["jp"]
    sample = read_portfolio(ROOT / "examples" / "portfolio", regulations)
    started = time.perf_counter()
    book = generate(sample, args.lines)
    generated = time.perf_counter() - started
    before, after = (
        LawVersion("2019-08-01", jp, dt.date(2019, 8, 1)),
        LawVersion("2019-08-28", jp, dt.date(2019, 8, 28)),
    )

    started = time.perf_counter()
    report = assess("jp", book, before, after, dt.date(2019, 8, 1))
    elapsed = time.perf_counter() - started
    affected = len(report.affected)

    baseline_book = generate(sample, args.baseline_lines, seed=7)
    import clearance.impact.analysis as analysis

    memoised = analysis.determine_memoised
    analysis.determine_memoised = lambda s, r: determine(s, r)  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        assess("jp", baseline_book, before, after, dt.date(2019, 8, 1))
        baseline = time.perf_counter() - started
    finally:
        analysis.determine_memoised = memoised

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    rows = [
        ("impact run (2 determinations per line, memoised)", args.lines, elapsed),
        ("baseline: same run without the memo", args.baseline_lines, baseline),
    ]
    text = "\n".join(
        [
            f"### impact: {dt.date.today()} ({machine})",
            "",
            f"`.venv/bin/python bench/impact.py --lines {args.lines}`; one process. Generating the lines took "
            f"{generated:.1f} s (not counted); {affected:,} lines affected.",
            "",
            "| measurement | lines | seconds | lines/s | determinations/s |",
            "|---|---:|---:|---:|---:|",
            *[f"| {label} | {n:,} | {s:.1f} | {n / s:,.0f} | {2 * n / s:,.0f} |" for label, n, s in rows],
            "",
        ]
    )
    print(text)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
