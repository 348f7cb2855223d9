"""The one module that touches storage for screening: a small SQLite file (stdlib ``sqlite3``).

It keeps imported list versions (immutable, by content hash), reviewer decisions, and the hits each party had at
its last screening (for delta re-screening). Timestamps are passed in by the caller; nothing here reads the clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from clearance.errors import ScreeningError, UnknownListError
from clearance.screening.decisions import Decision, ReviewedHit, SeenHit
from clearance.screening.model import ListDiff, ListVersion, diff_lists, list_from_dict, list_to_dict

SCHEMA = """
CREATE TABLE IF NOT EXISTS list_versions (
    version TEXT PRIMARY KEY,
    list_id TEXT NOT NULL,
    title TEXT NOT NULL,
    list_date TEXT,
    source TEXT NOT NULL,
    entries INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS list_versions_by_list ON list_versions (list_id, seq);
CREATE TABLE IF NOT EXISTS decisions (
    party_key TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    party_fingerprint TEXT NOT NULL,
    entry_fingerprint TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (party_key, entry_id)
);
CREATE TABLE IF NOT EXISTS seen_hits (
    party_key TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    entry_fingerprint TEXT NOT NULL,
    list_version TEXT NOT NULL,
    score REAL NOT NULL,
    screened_at TEXT NOT NULL,
    PRIMARY KEY (party_key, entry_id)
);
"""


class ScreeningStore:
    """Imported lists, decisions and seen hits in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ScreeningError(f"{path}: cannot open the screening store: {exc}") from exc

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._db:
            yield self._db

    # --- lists -------------------------------------------------------------------------------------------------

    def save_list(self, version: ListVersion, imported_at: str) -> ListDiff:
        """Store a list version (a no-op if that exact version is there) and diff it against the previous latest."""
        previous = self.latest(version.list_id)
        if previous is not None and previous.version == version.version:
            return diff_lists(previous, version)
        exists = self._db.execute("SELECT 1 FROM list_versions WHERE version = ?", (version.version,)).fetchone()
        if not exists:
            seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM list_versions").fetchone()[0]
            with self._tx() as db:
                db.execute(
                    "INSERT INTO list_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        version.version,
                        version.list_id,
                        version.title,
                        version.list_date.isoformat() if version.list_date else None,
                        version.source,
                        len(version.parties),
                        imported_at,
                        seq,
                        orjson.dumps(list_to_dict(version)),
                    ),
                )
        return diff_lists(previous, version)

    def list_ids(self) -> list[str]:
        """Ids of every list with at least one stored version."""
        return [r[0] for r in self._db.execute("SELECT DISTINCT list_id FROM list_versions ORDER BY list_id")]

    def versions(self, list_id: str | None = None) -> list[dict[str, Any]]:
        """Stored versions (newest last), optionally of one list, without their entries."""
        sql = "SELECT list_id, version, title, list_date, source, entries, imported_at FROM list_versions"
        args: tuple[str, ...] = ()
        if list_id:
            sql += " WHERE list_id = ?"
            args = (list_id,)
        keys = ("list_id", "version", "title", "list_date", "source", "entries", "imported_at")
        return [dict(zip(keys, row, strict=True)) for row in self._db.execute(sql + " ORDER BY seq", args)]

    def latest(self, list_id: str) -> ListVersion | None:
        """The newest stored version of a list, or None."""
        row = self._db.execute(
            "SELECT payload FROM list_versions WHERE list_id = ? ORDER BY seq DESC LIMIT 1", (list_id,)
        ).fetchone()
        return list_from_dict(orjson.loads(row[0])) if row else None

    def get(self, version: str) -> ListVersion:
        """One stored version by its content hash (a unique prefix is enough)."""
        rows = self._db.execute(
            "SELECT payload FROM list_versions WHERE version LIKE ? ORDER BY seq", (version.rstrip("%") + "%",)
        ).fetchall()
        if len(rows) != 1:
            raise UnknownListError(
                f"{'no' if not rows else 'more than one'} stored list version matches {version!r}",
            )
        return list_from_dict(orjson.loads(rows[0][0]))

    def previous(self, list_id: str, version: str) -> ListVersion | None:
        """The version stored just before ``version`` of the same list."""
        row = self._db.execute(
            "SELECT payload FROM list_versions WHERE list_id = ? AND seq < "
            "(SELECT seq FROM list_versions WHERE version = ?) ORDER BY seq DESC LIMIT 1",
            (list_id, version),
        ).fetchone()
        return list_from_dict(orjson.loads(row[0])) if row else None

    # --- decisions ---------------------------------------------------------------------------------------------

    def add_decision(self, decision: Decision) -> None:
        """Record (or replace) the decision for one (party, entry) pair."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    decision.party_key,
                    decision.entry_id,
                    decision.verdict,
                    decision.reason,
                    decision.reviewer,
                    decision.party_fingerprint,
                    decision.entry_fingerprint,
                    decision.decided_at,
                ),
            )

    def decisions(self, party_key: str | None = None) -> list[Decision]:
        """Every decision, or those for one party."""
        sql = "SELECT * FROM decisions"
        args: tuple[str, ...] = ()
        if party_key:
            sql += " WHERE party_key = ?"
            args = (party_key,)
        return [Decision(*row) for row in self._db.execute(sql + " ORDER BY decided_at, party_key, entry_id", args)]

    def decisions_for(self, party_key: str) -> dict[str, Decision]:
        """A party's decisions keyed by list entry id."""
        return {d.entry_id: d for d in self.decisions(party_key)}

    # --- seen hits (delta) -------------------------------------------------------------------------------------

    def seen_hits(self, party_key: str) -> dict[str, SeenHit]:
        """The hits recorded at the party's previous screenings, by entry id."""
        rows = self._db.execute(
            "SELECT entry_id, entry_fingerprint, list_version, score FROM seen_hits WHERE party_key = ?", (party_key,)
        )
        return {r[0]: SeenHit(r[0], r[1], r[2], r[3]) for r in rows}

    def record_hits(
        self, party_key: str, hits: Iterable[ReviewedHit], versions: dict[str, str], screened_at: str
    ) -> None:
        """Remember the party's matching hits, so that the next delta screening reports only what is new."""
        with self._tx() as db:
            for hit in hits:
                if not hit.candidate.match:
                    continue
                entry = hit.candidate.party
                db.execute(
                    "INSERT OR REPLACE INTO seen_hits VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        party_key,
                        entry.id,
                        entry.fingerprint,
                        versions.get(entry.list_id, ""),
                        hit.candidate.score,
                        screened_at,
                    ),
                )
