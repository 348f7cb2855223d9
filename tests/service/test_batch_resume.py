"""An interrupted batch: the process is killed mid-way; what it committed stays intact, and running the same
batch again records only the rest (no duplicates)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from typing import Any

from servicedata import shipments
from sqlalchemy import text

from clearance.store import Store

N = 600
CHUNK = 20

CHILD = textwrap.dedent(
    """
    import sys, time, json
    from clearance.law import load_regulations
    from clearance.store import Store

    url, batch_id, path, CHUNK = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    items = [line for line in open(path, encoding="utf-8")]

    def slow():  # a slow upstream (an ERP export), so that the kill lands mid-batch
        for item in items:
            time.sleep(0.002)
            yield item

    store = Store(url)
    for result in store.determinations.record_batch(slow(), load_regulations(), "batch-test", batch_id, chunk=CHUNK):
        print(getattr(result, "seq", -1), flush=True)
    """
)


def _items() -> list[str]:
    base = shipments()
    return [json.dumps({**base[i % len(base)], "ref": f"B-{i + 1}"}) for i in range(N)]


def _determinations(store: Store) -> list[tuple[str, int]]:
    with store.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT key, seq FROM audit_records WHERE kind = 'determination' ORDER BY seq"))
        return [(row[0], row[1]) for row in rows]


def test_a_killed_batch_keeps_its_commits_and_resumes_without_duplicates(
    db_url: str, tmp_path: Any, regulations: Any
) -> None:
    items = _items()
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(items) + "\n", encoding="utf-8")
    Store(db_url).close()  # migrate before the child starts
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, "nightly-1", str(path), str(CHUNK)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    for seen, _ in enumerate(child.stdout, start=1):
        if seen >= 3 * CHUNK:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, "the batch finished before it could be interrupted"

    store = Store(db_url)
    try:
        committed = _determinations(store)
        assert 3 * CHUNK <= len(committed) < N
        assert len(committed) % CHUNK == 0, "a chunk is committed whole or not at all"
        assert store.audit.verify().ok

        results = list(store.determinations.record_batch(items, regulations, "batch-test", "nightly-1", chunk=CHUNK))
        repeated = [r for r in results if getattr(r, "repeated", False)]
        assert len(results) == N and len(repeated) == len(committed)
        final = _determinations(store)
        keys = [key for key, _ in final]
        assert len(final) == N and len(set(keys)) == N
        assert final[: len(committed)] == committed, "committed records are untouched"
        verification = store.audit.verify()
        assert verification.ok and verification.checked == N
    finally:
        store.close()
