"""Bounded loopback load test of the HTTP service: recorded single determinations on SQLite and PostgreSQL.

usage: .venv/bin/python bench/service.py [--backends sqlite,postgresql] [--concurrency 50,200] [--seconds 10]
                                         [--rate 200] [--write docs/benchmarks-service.md]

For each backend it starts `uvicorn clearance.api.app:from_environment` on 127.0.0.1 (one worker) over a fresh
database (a temporary SQLite file; a throw-away PostgreSQL schema), creates an analyst key, and runs from a
second process on the same machine:
- closed loop: N concurrent clients each sending `POST /determinations` back to back, for --seconds;
- open loop: requests started at a fixed --rate per second (the issue's target: p99 < 50 ms at 200 req/s).
Both `POST /determinations` and `POST /match` are measured; every request is recorded (audit record, chain-head
lock, commit). Throughput counts completed 200 answers; latency is from send to full response. The whole run
takes about 2 × (len(concurrency) + 1) × --seconds per backend, plus warm-ups.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clearance.store import Store

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("CLEARANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _shipments() -> list[bytes]:
    lines = (ROOT / "examples" / "shipments.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.dumps(json.loads(line)).encode() for line in lines if line.strip()]


@contextmanager
def _database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="clearance-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    schema = f"clr_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _server(url: str) -> Iterator[tuple[str, str]]:
    store = Store(url)
    token = store.keys.create("bench", "analyst", "bench")[1]
    store.close()
    port = _free_port()
    env = {**os.environ, "CLEARANCE_DATABASE_URL": url}
    command = [sys.executable, "-m", "uvicorn", "clearance.api.app:from_environment", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        else:
            raise RuntimeError("the server did not start")
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def _queries() -> list[bytes]:
    """yente-shaped /match bodies: names in several scripts, some on the lists and some not."""
    names = [
        ("Company", "Hong Kong Electronics", "hk"),
        ("Company", "ホン・コン・エレクトロニクス", None),
        ("Company", "Acme Trading GmbH", "de"),
        ("Person", "Kim Jong Un", "kp"),
        ("Company", "Sharif University of Technology", "ir"),
        ("Company", "Tokyo Precision Instruments KK", "jp"),
    ]
    out = []
    for schema, name, country in names:
        properties: dict[str, list[str]] = {"name": [name]}
        if country:
            properties["country"] = [country]
        out.append(json.dumps({"queries": {"q": {"schema": schema, "properties": properties}}}).encode())
    return out


ENDPOINTS = {"/determinations": _shipments, "/match": _queries}


async def _closed(
    base: str, token: str, concurrency: int, seconds: float, path: str = "/determinations"
) -> dict[str, Any]:
    bodies = ENDPOINTS[path]()
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=base, limits=limits, headers=headers, timeout=60) as client:
        stop = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            nonlocal errors
            n = offset
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await client.post(path, content=bodies[n % len(bodies)])
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1
                n += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - began
    return _summary(f"`{path}` closed loop, {concurrency} concurrent", latencies, errors, elapsed)


async def _open(base: str, token: str, rate: float, seconds: float, path: str = "/determinations") -> dict[str, Any]:
    bodies = ENDPOINTS[path]()
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=base, limits=limits, headers=headers, timeout=60) as client:

        async def one(n: int) -> None:
            nonlocal errors
            started = time.perf_counter()
            response = await client.post(path, content=bodies[n % len(bodies)])
            if response.status_code == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

        tasks = []
        began = time.perf_counter()
        total = int(rate * seconds)
        for n in range(total):
            delay = began + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    return _summary(f"`{path}` open loop, {rate:g} req/s offered", latencies, errors, elapsed)


def _summary(label: str, latencies: list[float], errors: int, elapsed: float) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")

    return {
        "label": label,
        "requests": len(ordered),
        "errors": errors,
        "throughput": len(ordered) / elapsed,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "mean": statistics.fmean(ordered) * 1000 if ordered else float("nan"),
    }


def run(backends: list[str], concurrency: list[int], seconds: float, rate: float) -> list[tuple[str, dict[str, Any]]]:
    """Every scenario on every backend."""
    rows = []
    for backend in backends:
        with _database(backend) as url, _server(url) as (base, token):
            for path in ENDPOINTS:
                # warm up: imports, pools, snapshots; the screening index is built (or loaded) on the first /match
                asyncio.run(_closed(base, token, 10, min(3.0, seconds), path))
                for n in concurrency:
                    rows.append((backend, asyncio.run(_closed(base, token, n, seconds, path))))
                    print(backend, rows[-1][1], flush=True)
                rows.append((backend, asyncio.run(_open(base, token, rate, seconds, path))))
                print(backend, rows[-1][1], flush=True)
    return rows


def markdown(rows: list[tuple[str, dict[str, Any]]], command: str) -> str:
    """The results page."""
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
    )
    out = [
        "# Service benchmarks",
        "",
        "_Written by `bench/service.py`; numbers from one run, not asserted by any test._",
        "",
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {machine} ({platform.platform()})",
        f"- command: `{command}`",
        "- server: `uvicorn clearance.api.app:from_environment --factory`, one worker, 127.0.0.1; client: httpx "
        "(asyncio) in a second process on the same machine (they share the cores)",
        "- `POST /determinations`: one of the sample shipments (examples/shipments.jsonl): parse, determine, "
        "measure held licences, append a hash-chained audit record, commit",
        "- `POST /match`: one yente-shaped query (names in Latin and Japanese script, on the lists or not) against "
        "the bundled lists (METI End User List, MOF asset freeze, US CSL: about 30,000 parties), recorded likewise",
        "",
        "| backend | scenario | completed | errors | throughput (req/s) | p50 (ms) | p99 (ms) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for backend, r in rows:
        out.append(
            f"| {backend} | {r['label']} | {r['requests']} | {r['errors']} | {r['throughput']:.0f} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} |"
        )
    out += [
        "",
        "How to read it: in the closed loop every client waits for its answer before sending the next, so the "
        "server is saturated and latency is mostly queueing (Little's law: mean latency ≈ clients / throughput). "
        "One uvicorn worker is one Python process: requests run in its thread pool but determinations and "
        "audit appends share one interpreter lock, and every append also serialises on the chain head. The open "
        "loop is the service-level figure: requests arrive at a steady rate below saturation, and p99 is what "
        "a caller sees. More throughput comes from `clearance serve --workers N` on a machine with more cores "
        "(appends still serialise on the chain head: one commit at a time per database).",
        "",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--concurrency", default="50,200")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    if args.seconds > 60:
        parser.error("--seconds: at most 60 (the load test is bounded)")
    rows = run(args.backends.split(","), [int(c) for c in args.concurrency.split(",")], args.seconds, args.rate)
    command = "python bench/service.py " + " ".join(sys.argv[1:])
    page = markdown(rows, command.strip())
    if args.write:
        args.write.write_text(page, encoding="utf-8")
    print(page)


if __name__ == "__main__":
    main()
