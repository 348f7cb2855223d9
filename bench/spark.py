"""Spark determination throughput: local[1] against local[2] on the same lines, beside the single-process batch.

usage: .venv/bin/python bench/spark.py [--count 200000] [--masters local[1] local[2]]

Generates the lines of bench/determine.py's mix, then measures in one run: the single-process end to end
(JSON Lines in, `determine --batch --json` records out, one core) and, for each master in a fresh process,
`clearance.spark.jobs.determine` JSON Lines in and out (session start-up reported apart). Prints a Markdown table.
The machine is shared: figures vary with its load; compare within one run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clearance.checks import SCREENER, read_shipment
from clearance.engine.batch import record_lines
from clearance.law import load_regulations
from determine import generate

_JOB = """
import sys, time
from clearance.law import load_regulations
from clearance.spark import jobs
from clearance.spark.session import spark_session
start = time.perf_counter()
spark = spark_session(sys.argv[1])
ready = time.perf_counter()
summary = jobs.determine(spark, sys.argv[2], sys.argv[3], load_regulations())
print(ready - start, time.perf_counter() - ready, summary.records, summary.partitions)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "lines.jsonl"
        lines = generate(args.count)
        source.write_bytes(b"\n".join(lines) + b"\n")
        regs = load_regulations()
        start = time.perf_counter()
        with open(Path(folder) / "single.jsonl", "wb") as out:
            for _, record, _ in record_lines(source.read_bytes().splitlines(), regs, read_shipment, SCREENER):
                out.write(record + b"\n")
        single = time.perf_counter() - start
        expected = (Path(folder) / "single.jsonl").read_bytes()
        print("| run | lines | session start (s) | job (s) | lines/s | partitions | records equal the CLI's |")
        print("|---|---|---|---|---|---|---|")
        print(f"| single process, one core | {args.count:,} | - | {single:.1f} | {args.count / single:,.0f} | - | - |")
        for number, master in enumerate(args.masters):
            target = Path(folder) / f"out-{number}"  # no brackets: Hadoop reads them as a glob
            found = subprocess.run(
                [sys.executable, "-c", _JOB, master, str(source), str(target)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            up, job, records, partitions = float(found[0]), float(found[1]), int(found[2]), int(found[3])
            written = b"".join(p.read_bytes() for p in sorted(target.glob("part-*")))
            same = "yes" if written == expected else "NO"
            rate = f"{records / job:,.0f}"
            print(f"| spark {master} | {records:,} | {up:.0f} | {job:.1f} | {rate} | {partitions} | {same} |")


if __name__ == "__main__":
    main()
