"""Crash tests with real processes and kill -9: ``clearance determine --batch``, ``clearance screen --batch`` and
``clearance serve`` killed during a batch, at several moments, then resumed (``--resume``) or the batch sent again:
exactly one answer per input line, in input order, no audit record twice, and ``clearance audit verify`` ok.

Kills land when enough output is visible (polled), or, for screening, exactly in the two windows that matter:
between writing a row's record and committing its screening, and between that commit and keeping the record (a
child process that kills itself there)."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

import pytest
from servicedata import shipments

from clearance.checks import SCREENER
from clearance.engine.batch import determine_lines
from clearance.engine.encode import line_json
from clearance.store import Store

CLI = str(Path(sys.executable).parent / "clearance")
DEADLINE = 60.0  # seconds any one process may take before the test gives up on it


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches (screening indexes) and the web session secret of the processes under test stay in tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CLEARANCE_DATABASE_URL", raising=False)


def _kill_when(child: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    """Send SIGKILL to ``child`` as soon as ``ready()`` holds; fail if the child ends first."""
    deadline = time.monotonic() + DEADLINE
    while not ready():
        if child.poll() is not None:
            pytest.fail(f"the process ended (status {child.returncode}) before it could be killed")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the process never reached the moment to kill it")
        time.sleep(0.002)
    child.kill()
    child.wait(timeout=DEADLINE)
    assert child.returncode == -signal.SIGKILL


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=DEADLINE)


def _audit_verified(url: str) -> None:
    result = _run("audit", "verify", "--database", url)
    assert result.returncode == 0 and result.stdout.startswith("ok: "), result.stdout + result.stderr


# determine --batch ------------------------------------------------------------------------------------------------


def test_determine_batch_killed_twice_then_resumed_answers_each_line_once(tmp_path: Path, regulations: Any) -> None:
    base = shipments()
    lines = [json.dumps({**base[i % len(base)], "ref": f"D-{i + 1}"}) for i in range(1200)]
    lines[7] = '{"regime": "jp", "destination": "XX"}'  # an error record, kept like an answer
    lines[600] = ""  # a blank line: not answered
    source = tmp_path / "orders.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    answers = determine_lines([line.encode() for line in lines], regulations, screener=SCREENER)
    whole = b"".join(line_json(number, answer) + b"\n" for number, answer in answers)  # as an uninterrupted run
    out = tmp_path / "answers.jsonl"
    command = [CLI, "determine", "--batch", str(source), "-o", str(out)]

    for resume, size in (([], 1), (["--resume"], len(whole) // 3)):  # at the first record, then a third in
        child = subprocess.Popen([*command, *resume], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _kill_when(child, lambda size=size: out.exists() and out.stat().st_size >= size)
        assert whole.startswith(out.read_bytes()[: out.read_bytes().rfind(b"\n") + 1])
    assert 0 < _lines(out) < 1199

    finished = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=DEADLINE)
    assert finished.returncode == 2 and " 1199 lines answered " in finished.stderr  # line 8 is an error
    assert out.read_bytes() == whole, "the output of an uninterrupted run, byte for byte"
    numbers = [json.loads(line)["position"] for line in whole.splitlines()]
    assert numbers == [n for n in range(1, 1201) if n != 601]


# screen --batch ---------------------------------------------------------------------------------------------------

KILLING = textwrap.dedent(
    """
    import os, signal, sys
    from clearance import batchfile
    from clearance.cli import app

    method, at, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    original = getattr(batchfile.BatchOutput, method)
    calls = 0

    def killing(self, *a, **kw):
        global calls
        calls += 1
        if calls == at and method == "write":
            os.kill(os.getpid(), signal.SIGKILL)  # the row's screening committed, its record not yet kept
        original(self, *a, **kw)
        if calls == at:
            os.kill(os.getpid(), signal.SIGKILL)  # the row's record written, its screening not yet committed

    setattr(batchfile.BatchOutput, method, killing)
    app(args, prog_name="clearance")
    """
)

NAMES = ("Beihang University", "Toyota Motor Corporation", "Harbin Institute of Technology", "Sunrise Trading LLC")


def _screenings(url: str) -> list[tuple[int, str]]:
    store = Store(url)
    try:
        with store.db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT seq, hash FROM audit_records WHERE kind = 'screening' ORDER BY seq")
            return [(int(seq), str(digest)) for seq, digest in rows]
    finally:
        store.close()


def test_screen_batch_killed_at_each_moment_then_resumed_screens_each_row_once(tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    rows = [f"p{n},{NAMES[n % len(NAMES)]} {n},CN" for n in range(25)]
    rows[5] = "p5,,CN"  # no name: an error record
    parties.write_text("id,name,country\n" + "\n".join(rows) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'clearance.db'}"
    out = tmp_path / "results.jsonl"
    args = ["screen", "--batch", str(parties), "-o", str(out), "--list", "jp-meti-eul", "--database", url]

    # killed after writing row 4's record, before committing its screening
    killed = subprocess.run([sys.executable, "-c", KILLING, "stage", "3", *args], timeout=DEADLINE)
    assert killed.returncode == -signal.SIGKILL and _lines(out) == 3 and len(_screenings(url)) == 2
    # resumed (row 4 screened again), and killed after committing row 8's screening, before keeping its record
    killed = subprocess.run([sys.executable, "-c", KILLING, "write", "5", *args, "--resume"], timeout=DEADLINE)
    assert killed.returncode == -signal.SIGKILL and _lines(out) == 7 and len(_screenings(url)) == 6

    finished = _run(*args, "--resume")
    assert finished.returncode == 2, finished.stderr  # row 7 has no name
    assert finished.stderr.startswith("25 rows screened ("), finished.stderr
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["position"] for r in records] == list(range(2, 27)), "one record per row, in input order"
    assert [r["party_key"] for r in records if "message" not in r] == [f"p{n}" for n in range(25) if n != 5]
    assert records[5]["position"] == 7 and records[5]["field"] == "name"
    reported = [(r["audit_seq"], r["audit_hash"]) for r in records if "message" not in r]
    assert sorted(reported) == _screenings(url), "each screening audited once, and each audit record reported"
    store = Store(url)
    try:
        assert store.audit.verify().ok  # what `clearance audit verify` runs (run as a command in the server test)
    finally:
        store.close()


# clearance serve --------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    """``clearance serve`` on a free loopback port, as a child process."""

    def __init__(self, url: str, tmp_path: Path) -> None:
        self.port = _free_port()
        self.log = (tmp_path / f"serve-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [CLI, "serve", "--port", str(self.port), "--database", url, "--max-body", "10000000"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + DEADLINE
        while not self._healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"clearance serve did not start: {Path(self.log.name).read_text()}")
            time.sleep(0.05)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def post(self, path: str, body: Any, headers: dict[str, str]) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **headers},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=DEADLINE) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=DEADLINE)
        self.log.close()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[_Server]]:
    started: list[_Server] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=DEADLINE)
        server.log.close()


def _determinations(db: Path) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        rows = conn.execute("SELECT seq, key FROM audit_records WHERE kind = 'determination' ORDER BY seq")
        return [(int(seq), str(key)) for seq, key in rows]


def test_server_killed_during_a_batch_then_sent_again_records_each_shipment_once(
    tmp_path: Path, servers: list[_Server]
) -> None:
    db = tmp_path / "clearance.db"
    url = f"sqlite:///{db}"
    store = Store(url)
    try:
        key, token = store.keys.create("nightly-erp", "analyst", "test")
    finally:
        store.close()
    base = shipments()
    items: list[dict[str, Any]] = [{**base[i % len(base)], "ref": f"S-{i + 1}"} for i in range(300)]
    items[10] = {**items[10], "destination": "XX"}  # answered with an error naming the field
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "nightly-2026-12-06"}
    body = {"shipments": items}

    server = _Server(url, tmp_path)  # killed when a third of the batch is committed
    servers.append(server)
    sending = threading.Thread(target=_send_ignoring_failure, args=(server, body, headers), daemon=True)
    sending.start()
    _kill_when(server.process, lambda: len(_determinations(db)) >= 100)
    sending.join(timeout=DEADLINE)
    committed = _determinations(db)
    assert 100 <= len(committed) < 299

    server = _Server(url, tmp_path)
    servers.append(server)
    results = server.post("/determinations/batch", body, headers)["results"]
    server.stop()
    assert len(results) == 300
    assert results[10]["position"] == 10 and results[10]["field"] == "destination"
    answers = [r for i, r in enumerate(results) if i != 10]
    assert [r["determination"]["ref"] for r in answers] == [items[i]["ref"] for i in range(300) if i != 10]
    assert sum(r["repeated"] for r in answers) == len(committed), "what was committed is returned, not redone"
    final = _determinations(db)
    assert final[: len(committed)] == committed
    assert sorted(seq for seq, _ in final) == sorted(r["id"] for r in answers), "one audit record per answer"
    expected = {f"batch:{key.key_id}:nightly-2026-12-06:{n}" for n in range(1, 301) if n != 11}
    assert len(final) == 299 and {k for _, k in final} == expected
    _audit_verified(url)


def _send_ignoring_failure(server: _Server, body: Any, headers: dict[str, str]) -> None:
    with suppress(OSError):  # the server is killed mid-request
        server.post("/determinations/batch", body, headers)
