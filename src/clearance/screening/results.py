"""Screening results kept across runs: the hits of a party (its name as written and its country) against an index,
in an SQLite file in the cache folder, so that the next batch over the same customers does not screen them again.

A result is filed under a scope that changes with everything the hits depend on: the index's key (its list versions,
the algorithm, and all the screening package's code and data, the learned weights among them:
:func:`~clearance.screening.indexes.index_key`), the threshold, and which listings have expired on the day screened
(a day on which another listing has expired is a new scope). A changed list is a new scope; results of other scopes
are never read, and are pruned: only the results of the :data:`KEEP_SCOPES` scopes used last are kept (a scope is
used when a process first reads or writes it), those of older scopes deleted in the same transaction as the use that
pushes them out. The file is written in WAL mode, so two processes may read and write it at once; one that cannot be
read (a corrupt file) is ignored with a warning, and screening goes on without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import threading
import time
import warnings
import weakref
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import orjson

from clearance.screening.indexes import index_key
from clearance.screening.model import Party

RESULTS_FILE = "screening-results.sqlite"


class Listed(Protocol):
    """What results are filed under: the list versions screened against and their parties (a
    :class:`~clearance.screening.index.ScreeningIndex`, or the lists without the index over them)."""

    @property
    def versions(self) -> Mapping[str, str]: ...

    @property
    def parties(self) -> Sequence[Party]: ...


def _expiries(index: Listed) -> list[str]:
    return sorted({p.expires_on for p in index.parties if p.expires_on})


def scope(index: Listed, threshold: float, on: dt.date, expiries: list[str] | None = None) -> str:
    """What results over ``index`` at ``threshold`` on the day ``on`` are filed under (``expiries``: the index's
    sorted expiration dates, when known)."""
    expired = bisect_left(expiries if expiries is not None else _expiries(index), on.isoformat())
    text = "|".join([index_key(index.versions), repr(threshold), str(expired)])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class ResultCache:
    """Hits by (scope, name, country) in ``folder``/:data:`RESULTS_FILE`, opened on first use; a file that cannot
    be used is warned about once and left alone. New results are written together, in one transaction, once
    :data:`FLUSH_ROWS` are waiting or :data:`FLUSH_SECONDS` have passed, and when the cache is let go or the process
    ends (:meth:`flush`)."""

    def __init__(self, folder: Path) -> None:
        self._file = _File(folder / RESULTS_FILE)
        # by index, without keeping an index alive (a server's cache outlives the indexes of older list versions)
        self._expiries: dict[int, tuple[weakref.ref[Listed], list[str]]] = {}
        weakref.finalize(self, self._file.flush)

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self._file.path

    def get(self, index: Listed, name: str, country: str | None, threshold: float, on: dt.date) -> Any:
        """The hits kept for the party (as plain data), else ``None``."""
        found = self._file.get((self._scope(index, threshold, on), name, country or ""))
        return None if found is None else orjson.loads(found)

    def put(self, index: Listed, name: str, country: str | None, threshold: float, on: dt.date, hits: Any) -> None:
        """Keep the party's hits (plain data)."""
        self._file.put((self._scope(index, threshold, on), name, country or ""), orjson.dumps(hits))

    def flush(self) -> None:
        """Write the results waiting to be written."""
        self._file.flush()

    def _scope(self, index: Listed, threshold: float, on: dt.date) -> str:
        known = self._expiries.get(id(index))
        if known is None or known[0]() is not index:
            known = self._expiries[id(index)] = (weakref.ref(index), _expiries(index))
            weakref.finalize(index, self._expiries.pop, id(index), None)
        return scope(index, threshold, on, known[1])


#: New results are written once this many wait, or this many seconds after the last write.
FLUSH_ROWS = 1000
FLUSH_SECONDS = 2.0
#: The scopes whose results are kept: those used last (a run uses one per set of lists and threshold, and a new one
#: when a list version, the screening code or the listings expired change).
KEEP_SCOPES = 16

Key = tuple[str, str, str]


class _File:
    """The SQLite file and the results waiting to be written to it (kept apart from :class:`ResultCache` so that
    its finaliser can write them)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.broken = False
        self.pending: dict[Key, bytes] = {}
        self.written = time.monotonic()
        self.lock = threading.Lock()
        self.used: set[str] = set()

    def get(self, key: Key) -> bytes | None:
        with self.lock:
            self._use(key[0])
            found = self.pending.get(key)
            if found is None:
                row = self._run(lambda db: db.execute(_SELECT, key).fetchone())
                found = row[0] if row else None
            return found

    def put(self, key: Key, hits: bytes) -> None:
        with self.lock:
            self._use(key[0])
            self.pending[key] = hits
        if len(self.pending) >= FLUSH_ROWS or time.monotonic() - self.written >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            if self.pending:
                rows = [(*key, hits) for key, hits in self.pending.items()]
                scopes = [(s,) for s in {key[0] for key in self.pending}]
                # a scope pruned by another process since it was used here is listed again with its rows
                self._run(lambda db: (db.executemany(_LIST_SCOPE, scopes), db.executemany(_INSERT, rows)))
                self.pending.clear()
            self.written = time.monotonic()

    def _use(self, scope: str) -> None:
        """The first use of ``scope`` here: it becomes the scope used last, and the results of scopes older than
        the :data:`KEEP_SCOPES` used last are deleted, in one transaction."""
        if scope in self.used:
            return
        self.used.add(scope)

        def use(db: sqlite3.Connection) -> None:
            db.execute(_USE_SCOPE, (scope,))
            old = db.execute(_OLD_SCOPES, (KEEP_SCOPES,)).fetchall()
            db.executemany("DELETE FROM results WHERE scope = ?", old)
            db.executemany("DELETE FROM scopes WHERE scope = ?", old)

        self._run(use)

    def _run(self, statement: Callable[[sqlite3.Connection], Any]) -> Any:
        """``statement`` run and committed; ``None`` when the file cannot be used (warned about once)."""
        if self.broken:
            return None
        try:
            db = self.db or self._open()
            found = statement(db)
            db.commit()
        except (sqlite3.Error, OSError) as error:
            if self.db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self.db.rollback()
            self.broken = True
            warnings.warn(f"screening result cache {self.path} not used: {error}", RuntimeWarning, stacklevel=5)
            return None
        return found

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS results (scope TEXT, name TEXT, country TEXT, hits BLOB,"
            " PRIMARY KEY (scope, name, country)) WITHOUT ROWID"
        )
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'scopes'").fetchone():
            # the scopes of a file written before they were listed are the oldest, pruned first
            db.execute("CREATE TABLE IF NOT EXISTS scopes (scope TEXT PRIMARY KEY, used INTEGER) WITHOUT ROWID")
            db.execute("INSERT OR IGNORE INTO scopes SELECT DISTINCT scope, 0 FROM results")
        self.db = db
        return db


_SELECT = "SELECT hits FROM results WHERE scope = ? AND name = ? AND country = ?"
_INSERT = "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)"
_NEXT = "(SELECT coalesce(max(used), 0) + 1 FROM scopes)"
_USE_SCOPE = f"INSERT INTO scopes VALUES (?, {_NEXT}) ON CONFLICT (scope) DO UPDATE SET used = excluded.used"
_LIST_SCOPE = f"INSERT OR IGNORE INTO scopes VALUES (?, {_NEXT})"
_OLD_SCOPES = "SELECT scope FROM scopes ORDER BY used DESC LIMIT -1 OFFSET ?"
