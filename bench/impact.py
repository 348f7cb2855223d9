"""Impact runs on a realistic order book: the floor, the engine alone, and end to end (JSON Lines and Parquet).

usage: .venv/bin/python bench/impact.py [--lines 100000] [--write docs/benchmarks.md]

The order book is bench/mix.py's realistic mix as a portfolio: the sample catalogue (examples/portfolio: listed
and unlisted products), 3,000 customers (bench/mix.py's parties, about 2 % of them names on the bundled lists;
end uses as the mix's, a few informed), orders spread over customers weighted like Japan's exports by country,
values around every threshold of the jp pack, ship dates over the year after the change. One run, one core
(each measurement in a process forked once the packs are loaded, so each starts with nothing answered or screened),
the white-list change (the law in force on 2019-08-01 against 2019-08-28), measured as:
- the floor: the orders file read and each line written back with the same JSON library (orjson);
- the engine alone: the portfolio already read, every line assessed under both versions (two determinations),
  by distinct keys as `clearance impact` does (`Impacts`), and, as the baseline, line by line as it did before
  (`line_impact` for each line: each side by `determine_memoised`, a memo by exact facts);
- end to end: `clearance impact --portfolio F --before ... --after ... -o OUT` (the portfolio read, assessed and
  every row written), orders and rows as JSON Lines, then as Parquet.
Rates are per CPU second of the process (the machine is shared), with wall seconds beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from clearance.impact import report
from clearance.impact.analysis import line_impact
from clearance.impact.portfolio import Portfolio, read_portfolio
from clearance.impact.runs import dates_compared
from clearance.law import load_regulations
from clearance.tables import write_rows
from mix import DESTINATIONS, END_USES, parties, thresholds, values_around

ROOT = Path(__file__).resolve().parent.parent
BEFORE, AFTER = dt.date(2019, 8, 1), dt.date(2019, 8, 28)


def write_book(folder: Path, count: int, seed: int = 2019) -> None:
    """A portfolio of ``count`` order lines in ``folder``: catalogue.csv, customers.csv and orders.jsonl."""
    rng = random.Random(seed)
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "portfolio" / "catalogue.csv", folder)
    customers = []
    for i, party in enumerate(parties(3_000, rng)):
        country = party.get("country") or rng.choices(list(DESTINATIONS), list(DESTINATIONS.values()))[0]
        end_use = rng.choices(list(END_USES), list(END_USES.values()))[0]
        customers.append({"customer_id": f"C-{i:05d}", "name": party["name"], "country": country,
                          "end_use": end_use, "informed": str(rng.random() < 0.01).lower()})  # fmt: skip
    write_rows(folder / "customers.csv", list(customers[0]), customers, bom=False)
    weights = [DESTINATIONS.get(c["country"], 1) for c in customers]
    products = [line.split(",", 1)[0] for line in (folder / "catalogue.csv").read_text().splitlines()[1:]]
    values = values_around(thresholds(load_regulations()["jp"]), rng)
    with (folder / "orders.jsonl").open("wb") as out:
        for i, customer in enumerate(rng.choices(customers, weights, k=count)):
            order = {
                "order_id": f"SO-{i:09d}",
                "part_number": rng.choice(products),
                "customer_id": customer["customer_id"],
                "quantity": str(rng.randint(1, 500)),
                "unit": "pcs",
                "value": str(next(values)),
                "currency": "JPY",
                "ship_date": (BEFORE + dt.timedelta(days=rng.randrange(365))).isoformat(),
            }
            out.write(orjson.dumps(order) + b"\n")


def timed(run: Callable[[Any], Any], prepare: Callable[[], Any] = lambda: None) -> tuple[float, float, Any]:
    """Wall and CPU seconds of ``run(prepare())`` (``prepare`` not timed), and what it returned, in a process
    forked from this one: every measurement starts with the packs loaded and nothing answered or screened yet."""
    reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)

    def child() -> None:
        given = prepare()
        wall, cpu = time.perf_counter(), time.process_time()
        found = run(given)
        writer.send((time.perf_counter() - wall, time.process_time() - cpu, found))

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    result: tuple[float, float, Any] = reader.recv()
    process.join()
    return result


def floor(orders: Path, out: Path) -> None:
    """Each order line read and written back with orjson, no determination."""
    with orders.open("rb") as source, out.open("wb") as target:
        for line in source:
            target.write(orjson.dumps(orjson.loads(line)) + b"\n")


def line_by_line(book: Portfolio) -> int:
    """The baseline: each order line assessed on its own (:func:`line_impact`, as impact runs did before distinct
    keys); lines affected."""
    c = dates_compared("jp", BEFORE, AFTER)
    lines = [line_impact(c.regime, n, order, book, c.before, c.after, c.acting_on) for n, order in book.orders]
    return sum(line.status == "affected" for line in lines)


def end_to_end(folder: Path, out: Path) -> int:
    """What `clearance impact -o OUT` does: read the portfolio, assess it, write every row; rows affected."""
    book = read_portfolio(folder, load_regulations())
    result = dates_compared("jp", BEFORE, AFTER).assess(book)
    write_rows(out, report.COLUMNS, report.rows(result), sheet="impact")
    return len(result.affected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--write", help="append the results to this markdown file")
    args = parser.parse_args()
    load_regulations()
    with tempfile.TemporaryDirectory() as tmp:
        folder, parquet = Path(tmp) / "book", Path(tmp) / "book-parquet"
        write_book(folder, args.lines)
        shutil.copytree(folder, parquet)
        orders = [orjson.loads(line) for line in (folder / "orders.jsonl").read_bytes().splitlines()]
        pq.write_table(pa.Table.from_pylist(orders), parquet / "orders.parquet")
        (parquet / "orders.jsonl").unlink()
        del orders
        load = os.getloadavg()[0]
        orders = folder / "orders.jsonl"
        rows = [
            ("floor: orders read and written back (orjson), no determination",
             timed(lambda _: floor(orders, Path(tmp) / "floor.jsonl"))),
            ("engine alone: the portfolio read, each line assessed (2 determinations), by distinct keys",
             timed(lambda book: len(dates_compared("jp", BEFORE, AFTER).assess(book).affected),
                   lambda: read_portfolio(folder, load_regulations()))),
            ("baseline, engine alone: each line on its own (`line_impact`, memo by exact facts)",
             timed(line_by_line, lambda: read_portfolio(folder, load_regulations()))),
            ("end to end: orders.jsonl -> rows .jsonl (read, assess, write)",
             timed(lambda _: end_to_end(folder, Path(tmp) / "out.jsonl"))),
            ("end to end: orders.parquet -> rows .parquet",
             timed(lambda _: end_to_end(parquet, Path(tmp) / "out.parquet"))),
        ]  # fmt: skip
        load = max(load, os.getloadavg()[0])
    affected = rows[1][1][2]
    assert rows[2][1][2] == affected, "the baseline and the keyed run disagree"
    per_line = rows[0][1][1] / args.lines
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    text = "\n".join(
        [
            f"### impact, realistic order book: {dt.date.today()} ({machine}; load average up to {load:.1f})",
            "",
            f"`.venv/bin/python bench/impact.py --lines {args.lines}`; one core (each measurement in a process "
            f"forked once the packs are loaded), law of {BEFORE} against {AFTER}; {affected:,} lines affected.",
            "",
            "| measurement | lines | wall s | CPU s | lines/s (CPU) | determinations/s (CPU) | × floor (CPU/line) |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *[
                f"| {label} | {args.lines:,} | {wall:.1f} | {cpu:.1f} | {args.lines / cpu:,.0f} | "
                + ("-" if i == 0 else f"{2 * args.lines / cpu:,.0f}")
                + f" | {cpu / args.lines / per_line:.1f} |"
                for i, (label, (wall, cpu, _)) in enumerate(rows)
            ],
            "",
        ]
    )
    print(text)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
