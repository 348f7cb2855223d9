"""Load-independent A/B measures of the screening's hot path: digests of results and instruction counts.

CPU time of the same code moves by up to 50 % between runs on a shared machine; instruction counts (cachegrind)
do not. Run from the repository root with ../shared beside it::

    # the 3,000 real queries (1,000 yente negatives of each file, 1,000 names of the three lists; no schema)
    PYTHONPATH=src:bench .venv/bin/python bench/screening_replay.py digest --queries real
    # bench/screening.py's 1,000 queries against N synthetic names (its --scale-only index, same seeds)
    PYTHONPATH=src:bench .venv/bin/python bench/screening_replay.py digest --queries scale --scale 200000

    # record the arguments of every matcher._score call once (under one code), replay them under each code
    PYTHONPATH=src:bench .venv/bin/python bench/screening_replay.py record --queries real --out /tmp/real.calls
    PYTHONPATH=src:bench .venv/bin/python bench/screening_replay.py replay /tmp/real.calls
    # instructions of the replayed calls after the warm-up: Ir(replay) - Ir(warm-up only), both under cachegrind
    PYTHONPATH=src:bench .venv/bin/python bench/screening_replay.py ir /tmp/real.calls
    # instructions of the whole query loop (blocking, readings, scoring, results): Ir(queries) - Ir(no queries)
    PYTHONPATH=src:bench .venv/bin/python bench/screening_replay.py ir-queries --queries scale --scale 200000

``digest`` prints the md5 of every candidate's ``to_dict()`` (party, score, match, every feature's part), the
numbers of candidates and matches, and the CPU seconds of the query loop; two codes that print the same digest
screened the same. ``replay`` prints the md5 of every replayed ``_score`` result. ``PYTHONHASHSEED`` is set to 0
for the runs under cachegrind.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import pickle
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from clearance.collector import long_lived
from clearance.screening import Query, ScreeningIndex, matcher, screen
from clearance.screening.bundled import load_bundled
from clearance.screening.model import ListVersion, Party

ROOT = Path(__file__).resolve().parent.parent
NEGATIVES = ROOT.parent / "shared" / "data" / "name-matching-eval" / "yente-negatives"
LISTS = ("us-csl", "jp-meti-eul", "jp-mof-asset-freeze")
WARM_QUERIES = 50
IR = re.compile(r"I\s+refs:\s+([\d,]+)")


def real_workload() -> tuple[ScreeningIndex, list[str]]:
    """The bundled three lists' index and 3,000 real queries (seed 2026), shuffled."""
    versions = [load_bundled(i) for i in LISTS]
    with long_lived():
        index = ScreeningIndex.build(versions)
    rng = random.Random(2026)
    names = sorted({n for v in versions for p in v.parties for n in p.all_names})
    queries = rng.sample(names, 1000)
    for file in ("negatives_global.csv", "negatives_us.csv"):
        with (NEGATIVES / file).open(encoding="utf-8") as f:
            queries += [row["full_name"] for row in csv.DictReader(f)][:1000]
    rng.shuffle(queries)
    return index, queries


def scale_workload(size: int) -> tuple[ScreeningIndex, list[str]]:
    """bench/screening.py's synthetic index of ``size`` names and its 1,000 perturbed queries (the same seeds)."""
    from screening import perturb, synthetic

    names, _ = synthetic(size, [load_bundled(i) for i in LISTS])
    parties = tuple(Party("synthetic", str(i), "LegalEntity", (n,)) for i, n in enumerate(names))
    version = ListVersion("synthetic", "synthetic", None, "bench", parties, version="synthetic")
    with long_lived():
        index = ScreeningIndex.build([version])
    rng = random.Random(43)
    return index, [perturb(names[i], rng) for i in rng.sample(range(len(names)), 1000)]


def workload(args: argparse.Namespace) -> tuple[ScreeningIndex, list[str]]:
    return real_workload() if args.queries == "real" else scale_workload(args.scale)


def run_queries(index: ScreeningIndex, queries: list[str]) -> dict[str, Any]:
    """Screen every query after the warm-up; the digest of every candidate and the loop's CPU seconds."""
    for q in queries[:WARM_QUERIES]:
        screen(index, Query((q,)))
    digest = hashlib.md5()
    candidates = matches = 0
    cpu = time.process_time()
    for q in queries:
        for c in screen(index, Query((q,))):
            digest.update(orjson.dumps(c.to_dict(), option=orjson.OPT_SORT_KEYS))
            candidates += 1
            matches += c.match
    cpu = time.process_time() - cpu
    return {"md5": digest.hexdigest(), "candidates": candidates, "matches": matches, "cpu_s": round(cpu, 3)}


@contextmanager
def recording(calls: list[tuple[Any, ...]]) -> Iterator[None]:
    """Keep the arguments of every ``matcher._score`` call made within."""
    original: Callable[..., Any] = matcher._score

    def kept(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    matcher._score = kept  # type: ignore[assignment]
    try:
        yield
    finally:
        matcher._score = original  # type: ignore[assignment]


def replay(path: Path, warm: int, measured: bool) -> dict[str, Any]:
    """Call ``_score`` with each recorded call's arguments; the first ``warm`` calls warm up, the rest (when
    ``measured``) are digested."""
    calls = pickle.loads(path.read_bytes())
    for args in calls[:warm]:
        matcher._score(*args)
    digest = hashlib.md5()
    rest = calls[warm:] if measured else []
    for args in rest:
        result = matcher._score(*args)
        digest.update(orjson.dumps(None if result is None else result.to_dict(), option=orjson.OPT_SORT_KEYS))
    return {"calls": len(calls), "measured": len(rest), "md5": digest.hexdigest()}


def instructions(argv: list[str]) -> int:
    """Instructions this script executes with ``argv``, under cachegrind (no cache simulation)."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        *argv,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"}
    )
    found = IR.search(done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("digest", "record", "ir-queries"):
        sub = commands.add_parser(name)
        sub.add_argument("--queries", choices=("real", "scale"), default="real")
        sub.add_argument("--scale", type=int, default=200_000, help="synthetic names for --queries scale")
        if name == "record":
            sub.add_argument("--out", type=Path, required=True)
        if name == "digest":
            sub.add_argument("--no-queries", action="store_true", help="build the index only (for ir-queries)")
    for name in ("replay", "ir"):
        sub = commands.add_parser(name)
        sub.add_argument("calls", type=Path)
        sub.add_argument("--warm", type=int, default=2000, help="calls that warm up, not measured")
        if name == "replay":
            sub.add_argument("--warm-only", action="store_true", help="only the warm-up (for ir)")
    args = parser.parse_args()
    if args.command == "digest":
        index, queries = workload(args)
        print(orjson.dumps({} if args.no_queries else run_queries(index, queries)).decode())
    elif args.command == "record":
        index, queries = workload(args)
        calls: list[tuple[Any, ...]] = []
        with recording(calls):
            run_queries(index, queries)
        args.out.write_bytes(pickle.dumps(calls, protocol=pickle.HIGHEST_PROTOCOL))
        print(f"{len(calls):,} calls recorded in {args.out}")
    elif args.command == "replay":
        print(orjson.dumps(replay(args.calls, args.warm, not args.warm_only)).decode())
    elif args.command == "ir":
        base = ["replay", str(args.calls), "--warm", str(args.warm)]
        total, warm = instructions(base), instructions([*base, "--warm-only"])
        print(f"Ir {total - warm:,} (replay {total:,}, warm-up only {warm:,})")
    else:
        base = ["digest", "--queries", args.queries, "--scale", str(args.scale)]
        total, build = instructions(base), instructions([*base, "--no-queries"])
        print(f"Ir {total - build:,} (queries {total:,}, index and start only {build:,})")


if __name__ == "__main__":
    main()
