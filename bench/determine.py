"""Batch determination on a realistic mix: the engine alone, end to end (JSON Lines and Parquet) and the floor.

usage: .venv/bin/python bench/determine.py [--count 100000] [--write docs/benchmarks.md]   (or: make bench)

The shipments come from bench/mix.py (dates over the packs' span, destinations weighted like trade, values around
every threshold, end users drawn from 3,000 parties with list names among them). Measured in one run, one process:
- the floor: reading the JSON Lines file and writing each line back with the same JSON library (orjson);
- end to end: the file in, each line answered and its record written as `determine --batch -o` does, from JSON Lines
  to JSON Lines (line by line, 256 records a write: ``record_slices``) and from Parquet to Parquet (row groups
  answered as columns, the records written a slice at a time: ``record_tables``, ``RecordWriter.write_many``);
- the engine alone on parsed shipments by distinct keys (clearance.engine.keyed), cold (every key answered and every
  party screened once) and warm (every key answered before: the lookup and fill-in);
- records from the JSON lines without the file (``Keyed.line_record``, what `determine --batch` does per line), cold
  and warm (every shape and key met before: no shipment model, the lookup and fill-in);
- the engine alone on columns (clearance.engine.columns: the Parquet file read into a pyarrow Table before timing),
  cold (each shape read by the model, each key decided with its record template, each party screened once; the
  records written) and warm (every key known: the
  key columns worked out and the answers looked up, the answer columns joined back), and the records from columns
  (warm, the records written as columns, a slice of lines per buffer: what `determine --batch FILE.parquet`
  writes), on ``--count`` lines and on ``--columnar-count`` (``--columns-only``: these rows alone);
- the path before distinct keys (answers memoised per snapshot and exact facts, every party screened per answer), on
  a subset, as the baseline.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gc
import hashlib
import itertools
import os
import platform
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from clearance.checks import read_shipment
from clearance.columnar import ParquetRows, RecordWriter
from clearance.engine.batch import determine_memoised, record_slices
from clearance.engine.columns import answer_table, record_tables, table_slices
from clearance.engine.encode import line_json
from clearance.engine.io import parse_shipment
from clearance.engine.keyed import Keyed
from clearance.law import load_regulations
from clearance.screening import BundledScreener
from clearance.screening.results import ResultCache
from clearance.settings import Settings
from mix import lines as mix_lines
from mix import shipments as mix_shipments

#: Where this run keeps its screening results (a new folder: the first screener finds none).
RESULTS = Path(tempfile.mkdtemp(prefix="clearance-bench-results-"))


def bundled() -> BundledScreener:
    """The screener `clearance determine` uses: the bundled lists, their indexes kept in the cache folder (read back
    as a run after the first one on a machine reads them), the screening results in this run's folder."""
    screener = BundledScreener(Settings().index_cache)
    screener.results = ResultCache(RESULTS)
    return screener


SCREENER = bundled()


def timed(run: Callable[[], Any]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``run`` (on a shared machine the CPU time is the process's own)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


class Counting:
    """A bundled screener, counting the parties it screens and the CPU time it takes."""

    def __init__(self, screener: BundledScreener) -> None:
        self.screener = screener
        self.calls, self.seconds = 0, 0.0

    def covers(self, list_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``list_ids`` the bundled screener holds."""
        return self.screener.covers(list_ids)

    def __call__(self, name: str, country: str | None, lists: frozenset[str]) -> Sequence[Any]:
        started = time.process_time()
        try:
            return self.screener(name, country, lists)
        finally:
            self.calls += 1
            self.seconds += time.process_time() - started


def as_table(rows: list[dict[str, Any]]) -> pa.Table:
    """``rows`` as a table with a column for every field of any row (``Table.from_pylist`` takes the first row's
    fields only: a first shipment without an end user dropped every end user)."""
    return pa.Table.from_struct_array(pa.array(rows))


def write_mix(path: Path, count: int) -> None:
    """``count`` lines of the mix as a Parquet file, written 100,000 at a time (flat memory)."""
    shipments, writer = mix_shipments(count), None
    while chunk := list(itertools.islice(shipments, 100_000)):
        table = as_table(chunk) if writer is None else pa.Table.from_pylist(chunk, schema=writer.schema)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    if writer is not None:
        writer.close()


def columnar_runs(
    columnar: Callable[[int, bool], Callable[[], Any]], count: int
) -> Iterator[tuple[str, Callable[[], Any]]]:
    """The columnar rows on ``count`` lines, in order (each made when the one before has run: cold, then warm)."""
    label = "columnar, cold, with records (each shape read, each key decided and templated, each party screened)"
    yield label, columnar(count, True)
    yield "engine alone, columnar, warm (keys known: key columns + lookup, answer columns)", columnar(count, False)
    yield "records from columns, warm (key columns + lookup, the records written as columns)", columnar(count, True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--baseline-count", type=int, default=5_000)
    parser.add_argument("--columnar-count", type=int, default=1_000_000, help="lines of the columnar rows' second run")
    parser.add_argument("--write", help="append the results to this markdown file")
    parser.add_argument("--columns-only", action="store_true", help="only the columnar rows (printed, not written)")
    args = parser.parse_args()

    regulations = load_regulations()
    folder = Path(tempfile.mkdtemp(prefix="clearance-bench-"))
    source, parquet = folder / "in.jsonl", folder / "in.parquet"
    source.write_bytes(b"".join(line + b"\n" for line in mix_lines(args.count)))
    pq.write_table(as_table(list(mix_shipments(args.count))), parquet)
    SCREENER("warm-up", None, frozenset({"jp-meti-eul", "jp-meti-export-ban-russia", "jp-meti-export-ban-belarus"}))

    def floor() -> None:
        with source.open("rb") as lines, (folder / "floor.jsonl").open("wb") as out:
            for line in lines:
                out.write(orjson.dumps(orjson.loads(line)) + b"\n")

    screener = Counting(SCREENER)
    warm = Counting(bundled())  # a later run's: the results the first kept, nothing screened in this process

    def jsonl(screener: Counting, out_name: str) -> Callable[[], None]:
        def run() -> None:
            with source.open("rb") as lines, (folder / out_name).open("wb") as out:
                for block in record_slices(lines, regulations, read_shipment, screener):
                    out.write(block.data)

        return run

    def to_parquet() -> None:
        with RecordWriter(folder / "out.parquet") as out:
            for records in record_tables(ParquetRows(parquet).tables(), regulations, read_shipment, SCREENER):
                out.write_many(records.lines, len(records), int(records.errors.sum()), int(records.numbers[-1]))

    shipments = [parse_shipment(line) for line in source.read_bytes().splitlines()]
    keyed = Keyed(regulations, SCREENER)

    def engine() -> None:
        for s in shipments:
            keyed.determination(s)

    raw = source.read_bytes().splitlines()
    by_lines = Keyed(regulations, SCREENER)

    def records() -> None:
        for number, line in enumerate(raw, start=1):
            by_lines.line_record(number, line, read_shipment)

    subset = raw[: args.baseline_count]
    pa.set_cpu_count(1)  # one core: pyarrow's kernels on one thread
    columns: dict[int, tuple[pa.Table, Keyed]] = {}

    def columnar(count: int, records: bool = False) -> Callable[[], Any]:
        if count not in columns:
            path = parquet
            if count != args.count:
                path = folder / f"in-{count}.parquet"
                write_mix(path, count)
            columns[count] = (pq.read_table(path), Keyed(regulations, SCREENER))
        table, by_columns = columns[count]
        if records:
            return lambda: collections.deque(table_slices(by_columns, table, read_shipment), maxlen=0)
        return lambda: answer_table(by_columns, table, read_shipment)

    def before() -> None:
        for number, line in enumerate(subset, start=1):
            line_json(number, determine_memoised(read_shipment(line), regulations, screener=SCREENER))

    load_before = os.getloadavg()
    n = args.count
    if args.columns_only:
        gc.collect()
        gc.freeze()
        for count in dict.fromkeys((n, args.columnar_count)):
            for label, run in columnar_runs(columnar, count):
                print(f"{label} | {count:,} | {'{:.2f} | {:.2f}'.format(*timed(run))}", flush=True)
            columns.pop(count)
        return
    rows = [("floor: JSON Lines read and written back (orjson), no determination", n, *timed(floor))]
    cold = timed(jsonl(screener, "out.jsonl"))
    rows.append(("end to end: JSON Lines in -> JSON Lines out (distinct keys)", n, *cold))
    assert SCREENER.results is not None
    SCREENER.results.flush()  # as at the end of a run
    label = "end to end, JSON Lines, screening results kept by the run above (a new screener: none screened again)"
    rows.append((label, n, *timed(jsonl(warm, "warm.jsonl"))))
    output = (folder / "out.jsonl").read_bytes()
    same = "identical" if output == (folder / "warm.jsonl").read_bytes() else "DIFFERENT"
    md5 = hashlib.md5(output).hexdigest()
    label = "end to end: Parquet in -> Parquet out (the CLI's path: row groups as columns, records a slice at a time)"
    rows.append((label, n, *timed(to_parquet)))
    rows.append(("engine alone, distinct keys, cold (each key decided, each party screened once)", n, *timed(engine)))
    rows.append(("engine alone, distinct keys, warm (lookup and fill-in)", n, *timed(engine)))
    rows.append(("records from JSON lines, cold (each shape read by the model, each key decided)", n, *timed(records)))
    rows.append(("records from JSON lines, warm (known shapes, no model: lookup and fill-in)", n, *timed(records)))
    rows.append(("before: memoised per snapshot and exact facts, JSON Lines end to end", len(subset), *timed(before)))
    gc.collect()
    gc.freeze()  # as batches do (clearance.engine.batch): the heap of the rows above is not scanned again
    for count in dict.fromkeys((n, args.columnar_count)):
        rows += [(label, count, *timed(run)) for label, run in columnar_runs(columnar, count)]
        columns.pop(count)
    floor_rate = n / rows[0][3]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    load = f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
    text = "\n".join(
        [
            f"### determine, realistic mix: {dt.date.today()} ({machine}; {load})",
            "",
            f"`.venv/bin/python bench/determine.py --count {n} --baseline-count {args.baseline_count}`; one process "
            f"(one core), rates per CPU second of the process. {len(keyed.answers):,} "
            f"distinct keys; {screener.calls:,} distinct parties screened, {screener.seconds:.1f} CPU s of the JSON "
            f"Lines run ({warm.seconds:.1f} CPU s with the results kept; the two outputs "
            f"{same}, md5 {md5}).",
            "",
            "| measurement | lines | wall s | CPU s | lines/s (CPU) | × floor (CPU time per line) |",
            "|---|---:|---:|---:|---:|---:|",
            *[
                f"| {label} | {c:,} | {w:.1f} | {s:.1f} | {c / s:,.0f} | {floor_rate / (c / s):.1f} |"
                for label, c, w, s in rows
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
