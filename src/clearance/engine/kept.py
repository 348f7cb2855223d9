"""Keys' answers kept across runs: each key's record template (and the answer's columns), in the cache folder, so
that the next batch over the same order book decides and writes only the keys it has not met before.

A batch of an order book meets few keys (:mod:`clearance.engine.keyed`: 100,000 realistic lines 12,412, a
million 19,064), and the next day's batch mostly the same ones; deciding a key and making its template is most of
what a new key costs. A key is filed by what it holds, the snapshot named by its pack and its first day, under a
scope that changes with everything else a record depends on: every module of clearance (the engine, the law's
code, the JSON writer), the packs' ``data_version``, the screener's (its lists), and the versions of Python, orjson
and pydantic. A changed pack, list or module is a new scope; the file of another scope is never read, and only the
:data:`KEEP_FILES` files used last are kept.

A file is an SQLite database: a batch reads the keys it meets, one at a time, not the whole file, and writes the
keys it decides :data:`CHUNK` at a time as it goes (each chunk one transaction), so that it holds neither the file
nor its new keys. Templates share most of their pieces: each piece is stored once and a key's row names its pieces.
Each row carries a digest of itself: a damaged row is not read (its key is decided again), and a file SQLite cannot
read is deleted and written afresh. The keys' digests in the file are read once, when it is opened: a key not among
them (most of a first batch's) is not looked up (a query each cost 40-70 µs, 0.8 CPU s over a first batch of
100,000 lines).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import sys
from collections.abc import Hashable, Mapping
from contextlib import closing, suppress
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from clearance.digests import package_digest
from clearance.engine.keyed import KeyAnswer
from clearance.law.regulations import Regulations

KEPT_FORMAT = 2
#: Keys kept in a file (those written last), and new keys a batch writes at most.
KEEP_KEYS = 50_000
#: Distinct template pieces kept in a file (past them, when a batch ends, the pieces no kept key names are deleted)
#: and in memory: 50,000 keys of the realistic mix name 4,915 (7.6 MB).
KEEP_PIECES = 20_000
#: Files of kept answers kept in the folder (those used last): one per scope in use.
KEEP_FILES = 4
#: New keys' answers written at a time (one transaction): all a batch holds of them.
CHUNK = 1_000
_CHECK = 16  # bytes of the digest heading each row

_SCHEMA = (
    # numbers never used again (AUTOINCREMENT): a row names its pieces by number, and pieces no key names are deleted
    "CREATE TABLE IF NOT EXISTS pieces (id INTEGER PRIMARY KEY AUTOINCREMENT, digest BLOB UNIQUE, piece BLOB)",
    # a key by the digest of its name, its row headed by the digest of its name and the row
    "CREATE TABLE IF NOT EXISTS keys (id INTEGER PRIMARY KEY AUTOINCREMENT, key BLOB UNIQUE, entry BLOB)",
)
#: Adds a piece unless the file has it, giving its number when it adds it (``RETURNING``, from SQLite 3.35: one
#: query for a new piece; before, and for a piece the file has, its number is looked up).
_ADD_PIECE = "INSERT OR IGNORE INTO pieces (digest, piece) VALUES (?, ?)" + (
    " RETURNING id" if sqlite3.sqlite_version_info >= (3, 35) else ""
)
#: What a key's row holds besides its template's pieces: the template's slots, the destination-group step's outcome
#: after the destination, the answer's columns and destination group (:class:`~clearance.engine.keyed.KeyAnswer`).
_Row = tuple[tuple[int, ...], Any, str | None, tuple[bool | None, tuple[str, ...], tuple[str, ...]], str | None]


@cache
def _code() -> str:
    """Every module of clearance and the libraries that write the records."""
    versions = "|".join(f"{d}={metadata.version(d)}" for d in ("orjson", "pydantic", "pydantic-core"))
    text = f"{KEPT_FORMAT}|{package_digest(Path(__file__).resolve().parents[1])}|{sys.version}|{versions}"
    return hashlib.sha256(text.encode()).hexdigest()


def scope(regulations: Mapping[str, Regulations] | Regulations, screener: str) -> str:
    """What keys' answers over ``regulations`` with the screener ``screener`` (a text that changes with its lists)
    are filed under."""
    packs = [regulations] if isinstance(regulations, Regulations) else list(regulations.values())
    versions = sorted(f"{regs.id}={regs.data_version}" for regs in packs)
    return hashlib.sha256("|".join([_code(), screener, *versions]).encode()).hexdigest()[:24]


def _name(key: Any) -> bytes | None:
    """A key (:meth:`~clearance.engine.keyed.Keyed.key`) as bytes the next process writes for it: the snapshot (an
    object of this process) by its pack and first day (``None`` for a key of other values than marshal writes)."""
    snap, *rest = key
    try:
        return marshal.dumps((snap.regs.id, snap.when.toordinal(), *rest), 2)  # version 2: no references
    except ValueError:
        return None


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECK).digest()


def _checked(signed: bytes, name: bytes) -> bytes | None:
    """A key's row without its digest, ``None`` when it does not match it (a damaged row, or another key's)."""
    row = signed[_CHECK:]
    return row if _digest(name + row) == signed[:_CHECK] else None


class KeptAnswers:
    """The keys' answers kept in ``folder`` under ``scope`` (:func:`scope`), the file opened on first use; a batch
    adds the keys it decides (:meth:`put`), written as it goes and when it ends (:meth:`save`)."""

    def __init__(self, folder: Path, scope: str) -> None:
        self.path = folder / f"answers-{scope}.sqlite"
        self._db: sqlite3.Connection | None = None
        self._broken = self._damaged = False
        self._pieces: dict[int, bytes] = {}  # read or written, by id
        self._ids: dict[bytes, int] = {}  # written, by piece
        self._new: list[tuple[bytes, KeyAnswer]] = []
        self._written = 0
        self._filed: set[bytes] = set()  # the keys' digests in the file (read when it is opened, and written since)

    def get(self, key: Hashable) -> KeyAnswer | None:
        """The kept answer of ``key`` (its template, without the determination), if one is."""
        name, db = _name(key), self._open()
        if name is None or db is None:
            return None
        digest = _digest(name)
        if digest not in self._filed:
            return None
        try:
            found = db.execute("SELECT entry FROM keys WHERE key = ?", (digest,)).fetchone()
            row = None if found is None else _checked(found[0], name)
            if row is None:
                return None
            ids, slots, group, columns, destination_group = marshal.loads(row)
            template = (tuple(self._piece(db, i) for i in ids), slots)
        except (ValueError, EOFError, TypeError, KeyError):  # a row not written by this format
            return None
        except sqlite3.Error as error:
            self._failed(error)
            return None
        return KeyAnswer(None, None, None, group, columns, destination_group, template)

    def _piece(self, db: sqlite3.Connection, number: int) -> bytes:
        """The piece ``number`` (``KeyError`` when it is missing or damaged)."""
        found = self._pieces.get(number)
        if found is None:
            row = db.execute("SELECT digest, piece FROM pieces WHERE id = ?", (number,)).fetchone()
            if row is None or _digest(row[1]) != row[0]:
                raise KeyError(number)
            found = row[1]
            self._keep(number, found)
        return found

    def _keep(self, number: int, piece: bytes) -> None:
        """Keep ``piece`` as the piece ``number`` of the file (at most :data:`KEEP_PIECES`)."""
        if len(self._pieces) >= KEEP_PIECES:
            self._pieces.clear()
        self._pieces[number] = piece

    def put(self, key: Hashable, answer: KeyAnswer) -> None:
        """Keep ``answer``, whose template is made, as ``key``'s (at most :data:`KEEP_KEYS` a batch)."""
        assert answer.template is not None
        name = _name(key)
        if name is not None and self._written + len(self._new) < KEEP_KEYS:
            self._new.append((name, answer))
            if len(self._new) >= CHUNK:
                self._write()

    def _write(self) -> None:
        """Write the new keys' answers (one transaction)."""
        new, self._new = self._new, []
        db = self._open()
        if db is None:
            return
        try:
            with db:
                rows = [(_digest(name), self._row(db, name, answer)) for name, answer in new]
                db.executemany("INSERT OR REPLACE INTO keys (key, entry) VALUES (?, ?)", rows)
        except sqlite3.Error as error:
            self._failed(error)
            return
        self._filed.update(digest for digest, _ in rows)
        self._written += len(new)

    def _row(self, db: sqlite3.Connection, name: bytes, answer: KeyAnswer) -> bytes:
        """The row of the key named ``name``, headed by its digest."""
        assert answer.template is not None
        pieces, slots = answer.template
        ids = tuple(self._id(db, piece) for piece in pieces)
        row: _Row = (ids, slots, answer.group, answer.columns, answer.destination_group)
        data = marshal.dumps(row)
        return _digest(name + data) + data

    def _id(self, db: sqlite3.Connection, piece: bytes) -> int:
        """The number of ``piece`` in the file (added if it is new)."""
        found = self._ids.get(piece)
        if found is None:
            if len(self._ids) >= KEEP_PIECES:
                self._ids.clear()
            digest = _digest(piece)
            numbers = db.execute(_ADD_PIECE, (digest, piece)).fetchall()  # [(number,)] if the file did not have it
            if not numbers:
                numbers = db.execute("SELECT id FROM pieces WHERE digest = ?", (digest,)).fetchall()
            found = self._ids[piece] = numbers[0][0]
            self._keep(found, piece)  # a key written is read with this piece, not a copy read from the file
        return found

    def save(self) -> None:
        """Write the keys answered in this run not written yet, keep the last :data:`KEEP_KEYS` of the file and the
        pieces they name, and the files used last; a file that could not be read is deleted."""
        if self._new:
            self._write()
        if self._db is not None and self._written and not self._broken:
            try:
                with self._db as db:
                    db.execute(
                        "DELETE FROM keys WHERE id < (SELECT id FROM keys ORDER BY id DESC LIMIT 1 OFFSET ?)",
                        (KEEP_KEYS - 1,),
                    )
                    if db.execute("SELECT count(*) FROM pieces").fetchone()[0] > KEEP_PIECES:
                        _prune_pieces(db)
            except sqlite3.Error as error:
                self._failed(error)
        self._close()
        with suppress(OSError):  # keeping answers is an optimisation only
            if self._damaged:
                self.path.unlink(missing_ok=True)  # written afresh by the next batch
            files = sorted(self.path.parent.glob("answers-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in files[KEEP_FILES:]:
                old.unlink(missing_ok=True)

    def _failed(self, error: sqlite3.Error) -> None:
        """Stop using the file (until the next batch), which is deleted when the batch ends if it is damaged
        (not when another batch held it too long)."""
        self._broken = True
        self._damaged |= _damaged(error)

    def _open(self) -> sqlite3.Connection | None:
        """The file, opened on first use and marked used last (``None`` once it cannot be used: a file that is not
        a database is deleted and created afresh)."""
        if self._broken:
            return None
        if self._db is None:
            try:
                self._db = _connect(self.path)
            except sqlite3.Error as error:
                if _damaged(error):
                    with suppress(OSError, sqlite3.Error):
                        self.path.unlink()
                        self._db = _connect(self.path)
            except OSError:
                pass  # keeping answers is an optimisation only
            self._broken = self._db is None
            if self._db is not None:
                try:
                    self._filed = {key for (key,) in self._db.execute("SELECT key FROM keys")}
                except sqlite3.Error as error:
                    self._failed(error)
                    return None
        return self._db

    def _close(self) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
        self._db, self._pieces, self._ids, self._filed = None, {}, {}, set()

    def __len__(self) -> int:
        """The keys kept in the file."""
        db = self._open()
        return 0 if db is None else int(db.execute("SELECT count(*) FROM keys").fetchone()[0])


def _damaged(error: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged or not a database."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _connect(path: Path) -> sqlite3.Connection:
    """The file at ``path`` (created if missing; ``sqlite3.DatabaseError`` if it is not a database)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=10)
    db.text_factory = bytes  # a damaged row of text is read as bytes (and not matched by its digest)
    try:
        db.execute("PRAGMA synchronous=OFF")  # a cache: a file damaged by a crash of the machine is not read
        with db:
            for statement in _SCHEMA:
                db.execute(statement)
        os.utime(path)  # used last
    except (sqlite3.Error, OSError):
        db.close()
        raise
    return db


def _prune_pieces(db: sqlite3.Connection) -> None:
    """Delete the pieces no key names."""
    named: set[int] = set()
    for (signed,) in db.execute("SELECT entry FROM keys"):
        with suppress(ValueError, EOFError, TypeError):  # a damaged row, not read anyway
            named.update(marshal.loads(signed[_CHECK:])[0])
    with closing(db.execute("SELECT id FROM pieces")) as ids:
        unnamed = [(number,) for (number,) in ids if number not in named]
    db.executemany("DELETE FROM pieces WHERE id = ?", unnamed)
