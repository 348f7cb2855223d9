"""Spark determination throughput and parity: local[1] against local[2] on the realistic mix, beside the CLI.

usage: .venv/bin/python bench/spark.py [--count 100000] [--masters local[2] local[1]] [--split-mb 0]
       [--output parquet|jsonl]

Writes bench/mix.py's realistic lines to a JSON Lines file, then measures in one run, each in a fresh process and
in this order (local[2] first, while both cores may be free): each master's `clearance.spark.jobs.determine` (what
`clearance spark determine` runs; session start-up reported apart from the job), JSON Lines in, Parquet (zstd)
or JSON Lines out, then `clearance determine --batch --json` (one core: the single-process CLI) with its CPU
seconds and peak RSS. No output is kept: the CLI's records are digested from its pipe as they come, each Spark
output is digested in line order and deleted before the next run (10 M records are ~83 GB), and the digests are
compared line for line: the whole record, and `licence_required`, `basis` and `licence_options` (the parity the
issue asks for on 100,000 lines). Prints a Markdown table; exits 1 if a line differs. The machine is shared:
compare figures within one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from hashlib import blake2b
from itertools import zip_longest
from pathlib import Path
from typing import BinaryIO

import orjson
import pyarrow.parquet as pq

from mix import lines as mix_lines

_JOB = """
import sys, time
from clearance.law import load_regulations
from clearance.spark import jobs
from clearance.spark.session import spark_session
start = time.perf_counter()
spark = spark_session(sys.argv[1])
spark.conf.set("spark.sql.parquet.compression.codec", "zstd")
if int(sys.argv[4]):
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(int(sys.argv[4]) * 1024 * 1024))
ready = time.perf_counter()
summary = jobs.determine(spark, sys.argv[2], sys.argv[3], load_regulations())
print(ready - start, time.perf_counter() - ready, summary.records, summary.partitions)
"""
ANSWER = ("licence_required", "basis", "licence_options")
DIGEST = 16  # bytes of blake2b per digest; a line's entry is the record's digest then the answer's


def entry(record: bytes) -> bytes:
    """The digest entry of one record: the whole record's, then its (licence_required, basis, licence_options)."""
    fields = orjson.loads(record)
    answer = orjson.dumps([fields.get(k) for k in ANSWER])
    return blake2b(record, digest_size=DIGEST).digest() + blake2b(answer, digest_size=DIGEST).digest()


def digest(records: Iterable[bytes], out: BinaryIO) -> None:
    """Write the digest entry of each of ``records`` to ``out``, in order."""
    for record in records:
        out.write(entry(record))


def entries(path: Path) -> Iterator[bytes]:
    """The digest entries in ``path``."""
    with path.open("rb") as handle:
        while chunk := handle.read(2 * DIGEST):
            yield chunk


def compare(expected: Path, got: Path) -> tuple[int, int, int]:
    """Lines compared, lines whose records are byte for byte the same, lines whose answers are the same."""
    lines = same = answers = 0
    for want, have in zip_longest(entries(expected), entries(got)):
        lines += 1
        if want is not None and have is not None:
            same += want[:DIGEST] == have[:DIGEST]
            answers += want[DIGEST:] == have[DIGEST:]
    return lines, same, answers


def spark_records(target: Path) -> Iterator[bytes]:
    """The records of a Spark output in line order: its part files in name order, each in row order."""
    for part in sorted(target.glob("part-*")):
        if part.name.endswith(".parquet"):
            for batch in pq.ParquetFile(part).iter_batches(batch_size=10_000, columns=["record"]):
                yield from (text.encode() for text in batch.column(0).to_pylist())
        else:
            with part.open("rb") as handle:
                yield from (line.rstrip(b"\n") for line in handle)


def load() -> str:
    """The load averages over the last 1, 5 and 15 minutes."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def size(path: Path) -> int:
    """The bytes of the files under ``path``."""
    return sum(part.stat().st_size for part in path.rglob("*") if part.is_file())


def run_cli(source: Path, out: Path) -> tuple[float, float, float]:
    """Run the CLI on ``source``, its records digested from its pipe into ``out``: wall seconds, the CLI's CPU
    seconds and its peak RSS (MB). GNU time measures the CLI: a child spawned from this process would count this
    process's own peak RSS (the memory it shares until it execs) as its own."""
    clearance = str(Path(sys.executable).with_name("clearance"))
    usage = out.with_suffix(".time")
    command = ["/usr/bin/time", "-f", "%U %S %M", "-o", str(usage), clearance, "determine", "--batch", "--json"]
    start = time.perf_counter()
    child = subprocess.Popen([*command, str(source)], stdout=subprocess.PIPE)
    assert child.stdout is not None
    with out.open("wb") as handle:
        digest((line.rstrip(b"\n") for line in child.stdout), handle)
    assert child.wait() in (0, 2), child.returncode
    wall = time.perf_counter() - start
    user, system, kilobytes = usage.read_text().split()[-3:]
    return wall, float(user) + float(system), int(kilobytes) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--masters", nargs="*", default=["local[2]", "local[1]"], help="none: the CLI alone")
    parser.add_argument("--split-mb", type=int, default=0, help="input split size (0: Spark's 128 MB)")
    parser.add_argument("--output", choices=["parquet", "jsonl"], default="parquet", help="Spark's output format")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "lines.jsonl"
        with source.open("wb") as out:
            for line in mix_lines(args.count):
                out.write(line + b"\n")
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load {load()}", flush=True)  # fmt: skip
        print(
            f"{args.count:,} lines of bench/mix.py ({source.stat().st_size / 1e6:,.0f} MB of JSON Lines)\n", flush=True
        )
        rows, digests, failed = [], [], False
        for number, master in enumerate(args.masters):
            suffix = ".parquet" if args.output == "parquet" else ""
            target = Path(folder) / f"out-{number}{suffix}"  # no brackets: Hadoop reads them as a glob
            before = load()
            found = subprocess.run(
                [sys.executable, "-c", _JOB, master, str(source), str(target), str(args.split_mb)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            after = load()
            up, job, written, partitions = float(found[0]), float(found[1]), int(found[2]), int(found[3])
            digests.append(Path(folder) / f"out-{number}.digest")
            start = time.perf_counter()
            with digests[-1].open("wb") as handle:
                digest(spark_records(target), handle)
            print(f"{master}: {size(target) / 1e6:,.1f} MB of {args.output} digested in "
                  f"{time.perf_counter() - start:.0f} s, then deleted", flush=True)  # fmt: skip
            shutil.rmtree(target)
            rows.append((master, written, f"{up:.0f}", f"{job:.1f}", written / job, partitions, before, after))
        expected = Path(folder) / "cli.digest"
        before = load()
        wall, cpu, rss = run_cli(source, expected)
        after = load()
        print("\n| run | lines | session start (s) | job (s) | lines/s | partitions | CPU (s) | peak RSS (MB) | "
              "load before | load after | records equal the CLI's | answers equal |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|")
        print(f"| `clearance determine --batch --json` (one process) | {args.count:,} | - | {wall:.1f} | "
              f"{args.count / wall:,.0f} | - | {cpu:.1f} | {rss:,.0f} | {before} | {after} | - | - |")  # fmt: skip
        for (master, written, up, job, rate, partitions, before, after), path in zip(rows, digests, strict=True):
            lines, same, answers = compare(expected, path)
            failed |= same != lines or answers != lines
            print(f"| spark {master} | {written:,} | {up} | {job} | {rate:,.0f} | {partitions} | - | - | {before} "
                  f"| {after} | {same:,}/{lines:,} | {answers:,}/{lines:,} |")  # fmt: skip
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
