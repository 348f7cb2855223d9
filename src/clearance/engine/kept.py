"""Keys' answers kept across runs: each key's record template (and the answer's columns), in the cache folder, so
that the next batch over the same order book decides and writes only the keys it has not met before.

A batch of an order book meets few keys (:mod:`clearance.engine.keyed`: 100,000 realistic lines 12,412, a
million 19,064), and the next day's batch mostly the same ones; deciding a key and making its template is most of
what a new key costs. A key is filed by what it holds, the snapshot named by its pack and its first day, under a
scope that changes with everything else a record depends on: every module of clearance (the engine, the law's
code, the JSON writer), the packs' ``data_version``, the screener's (its lists), and the versions of Python, orjson
and pydantic. A changed pack, list or module is a new scope; the file of another scope is never read, and only the
:data:`KEEP_FILES` files used last are kept. Each file carries a digest of itself: a damaged one is ignored (and
rewritten by the next batch that finishes).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Hashable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from clearance.digests import package_digest
from clearance.engine.keyed import KeyAnswer, Template
from clearance.law.regulations import Regulations

KEPT_FORMAT = 1
#: Keys kept in a file (those answered last): about 300 bytes each beside the pieces keys share.
KEEP_KEYS = 50_000
#: Files of kept answers kept in the folder (those used last): one per scope in use.
KEEP_FILES = 4
_DIGEST = 32  # bytes of sha256 heading a file

#: What a key's record is made from: its template, the destination-group step's outcome after the destination,
#: the answer's columns and destination group (:class:`~clearance.engine.keyed.KeyAnswer`).
Entry = tuple[Template, str | None, tuple[bool | None, tuple[str, ...], tuple[str, ...]], str | None]


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


def _stable(key: Any) -> Hashable:
    """A key (:meth:`~clearance.engine.keyed.Keyed.key`) as the next process meets it: the snapshot (an object of
    this process) by its pack and first day."""
    snap, *rest = key
    return (snap.regs.id, snap.when, *rest)


class KeptAnswers:
    """The keys' answers kept in ``folder`` under ``scope`` (:func:`scope`), read on first use; a batch adds the
    keys it decides (:meth:`put`) and writes them with the kept ones when it ends (:meth:`save`)."""

    def __init__(self, folder: Path, scope: str) -> None:
        self.path = folder / f"answers-{scope}.pickle"
        self._found: dict[Hashable, Entry] | None = None
        self._new: dict[Hashable, Entry] = {}

    def get(self, key: Hashable) -> KeyAnswer | None:
        """The kept answer of ``key`` (its template, without the determination), if one is."""
        if self._found is None:
            self._found = _read(self.path)
        entry = self._found.get(_stable(key))
        if entry is None:
            return None
        template, group, columns, destination_group = entry
        return KeyAnswer(None, None, None, group, columns, destination_group, template)

    def put(self, key: Hashable, answer: KeyAnswer) -> None:
        """Keep ``answer``, whose template is made, as ``key``'s."""
        assert answer.template is not None
        if len(self._new) < KEEP_KEYS:
            self._new[_stable(key)] = (answer.template, answer.group, answer.columns, answer.destination_group)

    def save(self) -> None:
        """Write the keys answered in this run with those kept (the last :data:`KEEP_KEYS`), if it answered new
        ones."""
        if not self._new:
            return
        found = _read(self.path) if self._found is None else self._found
        kept = {**found, **self._new}
        if len(kept) > KEEP_KEYS:
            kept = dict(list(kept.items())[-KEEP_KEYS:])
        body = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as out:  # the digest, then the body (not joined: a copy of a body of tens of MB)
                out.write(hashlib.sha256(body).digest())
                out.write(body)
            tmp.replace(self.path)
            files = sorted(self.path.parent.glob("answers-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in files[KEEP_FILES:]:
                old.unlink(missing_ok=True)
        except OSError:
            return  # keeping answers is an optimisation only
        self._found, self._new = kept, {}


def _read(path: Path) -> dict[Hashable, Entry]:
    """The answers kept in ``path`` (none when it is missing or damaged)."""
    try:
        stored = path.read_bytes()
        os.utime(path)  # used last
    except OSError:
        return {}
    body = memoryview(stored)[_DIGEST:]  # not sliced: a copy of the body
    if stored[:_DIGEST] != hashlib.sha256(body).digest():
        return {}
    try:
        found: Any = pickle.loads(body)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}
