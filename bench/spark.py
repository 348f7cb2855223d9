"""Spark determination throughput and parity: local[1] against local[2] on the realistic mix, beside the CLI.

usage: .venv/bin/python bench/spark.py [--count 100000] [--masters local[1] local[2]] [--split-mb 0]

Writes bench/mix.py's realistic lines to a JSON Lines file, then measures in one run, each in a fresh process:
`clearance determine --batch --json` (one core: the single-process CLI) and, for each master,
`clearance.spark.jobs.determine` JSON Lines in and out (what `clearance spark determine` runs; session start-up
reported apart from the job). Every Spark output is compared with the CLI's line for line: the whole record, and
`licence_required`, `basis` and `licence_options` (the parity the issue asks for on 100,000 lines). Prints a
Markdown table; exits 1 if a line differs. The machine is shared: compare figures within one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

import orjson

from mix import lines as mix_lines

_JOB = """
import sys, time
from clearance.law import load_regulations
from clearance.spark import jobs
from clearance.spark.session import spark_session
start = time.perf_counter()
spark = spark_session(sys.argv[1])
if int(sys.argv[4]):
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(int(sys.argv[4]) * 1024 * 1024))
ready = time.perf_counter()
summary = jobs.determine(spark, sys.argv[2], sys.argv[3], load_regulations())
print(ready - start, time.perf_counter() - ready, summary.records, summary.partitions)
"""
ANSWER = ("licence_required", "basis", "licence_options")


def records(paths: list[Path]) -> Iterator[bytes]:
    """The lines of ``paths`` in order."""
    for path in paths:
        with path.open("rb") as handle:
            yield from (line.rstrip(b"\n") for line in handle)


def compare(expected: Path, parts: list[Path]) -> tuple[int, int, int]:
    """Lines compared, lines whose records are byte for byte the same, lines whose answers are the same."""
    lines = same = answers = 0
    for want, got in zip_longest(records([expected]), records(parts)):
        lines += 1
        if want == got:
            same += 1
            answers += 1
        elif want is not None and got is not None:
            a, b = orjson.loads(want), orjson.loads(got)
            answers += all(a.get(k) == b.get(k) for k in ANSWER)
    return lines, same, answers


def load() -> str:
    """The load average over the last minute."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--split-mb", type=int, default=0, help="input split size (0: Spark's 128 MB)")
    args = parser.parse_args()
    clearance = str(Path(sys.executable).with_name("clearance"))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "lines.jsonl"
        with source.open("wb") as out:
            for line in mix_lines(args.count):
                out.write(line + b"\n")
        size = source.stat().st_size
        expected = Path(folder) / "cli.jsonl"
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.ctime()}")
        print(f"{args.count:,} lines of bench/mix.py ({size / 1e6:.0f} MB of JSON Lines)\n")
        print("| run | lines | session start (s) | job (s) | lines/s | partitions | load before/after | "
              "records equal the CLI's | answers equal |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---|---|---|")
        before = load()
        start = time.perf_counter()
        with expected.open("wb") as out:
            run = subprocess.run([clearance, "determine", "--batch", "--json", str(source)], stdout=out, check=False)
        single = time.perf_counter() - start
        assert run.returncode in (0, 2), run.returncode
        rate = f"{args.count / single:,.0f}"
        print(f"| `clearance determine --batch --json` (one process) | {args.count:,} | - | {single:.1f} | {rate} | - "
              f"| {before}/{load()} | - | - |")  # fmt: skip
        failed = False
        for number, master in enumerate(args.masters):
            target = Path(folder) / f"out-{number}"  # no brackets: Hadoop reads them as a glob
            before = load()
            found = subprocess.run(
                [sys.executable, "-c", _JOB, master, str(source), str(target), str(args.split_mb)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            after = load()
            up, job, written, partitions = float(found[0]), float(found[1]), int(found[2]), int(found[3])
            lines, same, answers = compare(expected, sorted(target.glob("part-*")))
            failed |= same != lines or answers != lines
            print(f"| spark {master} | {written:,} | {up:.0f} | {job:.1f} | {written / job:,.0f} | {partitions} "
                  f"| {before}/{after} | {same:,}/{lines:,} | {answers:,}/{lines:,} |")  # fmt: skip
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
