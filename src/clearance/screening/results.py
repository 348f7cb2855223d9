"""Screening results kept across runs: the hits of a party (its name as written and its country) against an index,
in an SQLite file in the cache folder, so that the next batch over the same customers does not screen them again.

A result is filed under a scope that changes with everything the hits depend on: the index's key (its list versions,
the algorithm, and all the screening package's code and data, the learned weights among them:
:func:`~clearance.screening.indexes.index_key`), the threshold, and which listings have expired on the day screened
(a day on which another listing has expired is a new scope). A changed list is a new scope; results of other scopes
are never read. The file is written in WAL mode, so two processes may read and write it at once; one that cannot be
read (a corrupt file) is ignored with a warning, and screening goes on without it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
import warnings
from bisect import bisect_left
from pathlib import Path
from typing import Any

import orjson

from clearance.screening.index import ScreeningIndex
from clearance.screening.indexes import index_key

RESULTS_FILE = "screening-results.sqlite"


def _expiries(index: ScreeningIndex) -> list[str]:
    return sorted({p.expires_on for p in index.parties if p.expires_on})


def scope(index: ScreeningIndex, threshold: float, on: dt.date, expiries: list[str] | None = None) -> str:
    """What results over ``index`` at ``threshold`` on the day ``on`` are filed under (``expiries``: the index's
    sorted expiration dates, when known)."""
    expired = bisect_left(expiries if expiries is not None else _expiries(index), on.isoformat())
    text = "|".join([index_key(index.versions), repr(threshold), str(expired)])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class ResultCache:
    """Hits by (scope, name, country) in ``folder``/:data:`RESULTS_FILE`, opened on first use; a file that cannot
    be used is warned about once and left alone."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / RESULTS_FILE
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._lock = threading.Lock()
        self._expiries: dict[int, tuple[ScreeningIndex, list[str]]] = {}

    def get(self, index: ScreeningIndex, name: str, country: str | None, threshold: float, on: dt.date) -> Any:
        """The hits kept for the party (as plain data), else ``None``."""
        with self._lock:
            row = self._run(
                "SELECT hits FROM results WHERE scope = ? AND name = ? AND country = ?",
                (self._scope(index, threshold, on), name, country or ""),
            )
        return orjson.loads(row[0]) if row else None

    def put(
        self, index: ScreeningIndex, name: str, country: str | None, threshold: float, on: dt.date, hits: Any
    ) -> None:
        """Keep the party's hits (plain data)."""
        with self._lock:
            self._run(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                (self._scope(index, threshold, on), name, country or "", orjson.dumps(hits)),
            )

    def _scope(self, index: ScreeningIndex, threshold: float, on: dt.date) -> str:
        known = self._expiries.get(id(index))
        if known is None or known[0] is not index:
            known = self._expiries[id(index)] = (index, _expiries(index))
        return scope(index, threshold, on, known[1])

    def _run(self, sql: str, values: tuple[object, ...]) -> tuple[bytes] | None:
        """One statement, committed; ``None`` when the file cannot be used (warned about once)."""
        if self._broken:
            return None
        try:
            db = self._db or self._open()
            row = db.execute(sql, values).fetchone()
            db.commit()
        except (sqlite3.Error, OSError) as error:
            self._broken = True
            warnings.warn(f"screening result cache {self.path} not used: {error}", RuntimeWarning, stacklevel=4)
            return None
        return row  # type: ignore[no-any-return]

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS results (scope TEXT, name TEXT, country TEXT, hits BLOB,"
            " PRIMARY KEY (scope, name, country)) WITHOUT ROWID"
        )
        self._db = db
        return db
