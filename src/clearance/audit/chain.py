"""The hash chain: each audit record's hash covers its content and the previous record's hash.

A record's content is canonical JSON of everything it holds (kind, actor, time, subject, inputs, outputs,
``data_version``, list versions, idempotency key) plus the previous hash. :class:`Verifier` walks the records in
order and names the first one that was edited, follows a gap (records deleted), or does not follow its
predecessor (records reordered or renumbered); the chain head (last sequence number and hash, kept beside the
records) catches records deleted from the end.

The head is the end of the chain: a stored record numbered past it was not appended through the audit log (it
was inserted into the table directly). The next append finds such records under the head lock, chains a
:data:`NOTICE` record listing them, numbered after the highest number in use, and then its own record, so that
writing goes on; the verifier skips the records a notice lists and names the first one still stored as
``inserted``, as it names one still past the head.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from clearance.audit.canonical import canonical

GENESIS = "0" * 64
#: The kind of the record an append chains when it finds records past the head (its outputs list them).
NOTICE = "audit.inserted"

Problem = Literal["edited", "missing", "out_of_order", "truncated", "inserted"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit record as stored: ``inputs`` and ``outputs`` are canonical JSON text."""

    seq: int
    kind: str
    actor: str
    at: str
    subject: str | None
    inputs: str
    outputs: str
    data_version: str | None
    list_versions: str
    key: str | None
    prev_hash: str
    hash: str

    def content(self) -> dict[str, Any]:
        """What the hash covers (everything but ``seq`` and ``hash``); stored JSON is embedded as is."""
        return {
            "kind": self.kind,
            "actor": self.actor,
            "at": self.at,
            "subject": self.subject,
            "inputs": orjson.Fragment(self.inputs),
            "outputs": orjson.Fragment(self.outputs),
            "data_version": self.data_version,
            "list_versions": orjson.Fragment(self.list_versions),
            "key": self.key,
            "prev": self.prev_hash,
        }

    def computed_hash(self) -> str:
        """The hash this record should carry, from its stored content."""
        return hashlib.sha256(canonical(self.content())).hexdigest()


@dataclass(frozen=True, slots=True)
class Head:
    """The chain head kept beside the records: how many were appended and the last hash."""

    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Finding:
    """The first problem found: the record it concerns, what is wrong and an explanation."""

    seq: int
    problem: Problem
    message: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of a walk over the chain."""

    checked: int
    head: Head
    finding: Finding | None

    @property
    def ok(self) -> bool:
        """Whether every record is intact and in place."""
        return self.finding is None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        found = self.finding
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head": {"seq": self.head.seq, "hash": self.head.hash},
            "first_bad": None
            if found is None
            else {"seq": found.seq, "problem": found.problem, "message": found.message},
        }


def noticed(entry: Entry) -> list[int]:
    """The sequence numbers a :data:`NOTICE` record lists (none for any other record)."""
    if entry.kind != NOTICE:
        return []
    outputs = orjson.loads(entry.outputs)
    return [int(record["seq"]) for record in outputs.get("records", [])]


def notice_content(head: Head, strays: list[Entry]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The inputs and outputs of the notice chained after ``head`` for records found past it."""
    records = [{"seq": e.seq, "hash": e.hash, "kind": e.kind, "actor": e.actor, "at": e.at} for e in strays]
    return {"head": {"seq": head.seq, "hash": head.hash}}, {"records": records}


class Verifier:
    """Feed records in sequence order; stops at the first problem in the chain. ``inserted``: the sequence
    numbers the chain's notices list (skipped; the first still stored is named). Memory stays constant."""

    def __init__(self, inserted: Iterable[int] = ()) -> None:
        self.inserted = frozenset(inserted)
        self.prev_seq = 0
        self.prev_hash = GENESIS
        self.checked = 0
        self.finding: Finding | None = None
        self.stray: Finding | None = None

    def feed(self, entry: Entry) -> bool:
        """Check one record; False once a problem has been found in the chain (feed no more)."""
        if self.finding is not None:
            return False
        self.checked += 1
        if entry.seq in self.inserted:
            if self.stray is None:
                self.stray = Finding(
                    entry.seq,
                    "inserted",
                    f"record {entry.seq} was inserted outside the audit log: it is not part of the chain (a later "
                    "append found it past the chain head and recorded it in a notice)",
                )
            return True
        jumps = entry.kind == NOTICE  # a notice is numbered after the records it lists
        if entry.computed_hash() != entry.hash:
            self.finding = Finding(
                entry.seq, "edited", f"record {entry.seq} was altered: its content does not match its hash"
            )
        elif entry.seq != self.prev_seq + 1 and entry.prev_hash != self.prev_hash:
            gone = f"{self.prev_seq + 1}" if entry.seq == self.prev_seq + 2 else f"{self.prev_seq + 1}-{entry.seq - 1}"
            self.finding = Finding(entry.seq, "missing", f"record(s) {gone} before record {entry.seq} were deleted")
        elif entry.prev_hash != self.prev_hash or (entry.seq != self.prev_seq + 1 and not jumps):
            self.finding = Finding(
                entry.seq,
                "out_of_order",
                f"record {entry.seq} does not link to record {self.prev_seq}: records were reordered or renumbered, "
                f"or record {self.prev_seq} was rewritten with a new hash",
            )
        self.prev_seq, self.prev_hash = entry.seq, entry.hash
        return self.finding is None

    def finish(self, head: Head, past_head: int | None = None) -> Verification:
        """The verdict, given the stored chain head and the first record stored past it (if any): the first
        problem by sequence number."""
        if self.finding is None and (head.seq != self.prev_seq or head.hash != self.prev_hash):
            if head.seq > self.prev_seq:
                message = f"the chain head records {head.seq} records but the last is {self.prev_seq}: records deleted"
            else:
                message = f"the chain head ({head.seq}) does not match the last record ({self.prev_seq})"
            self.finding = Finding(self.prev_seq + 1 if head.seq > self.prev_seq else head.seq, "truncated", message)
        if self.finding is None and past_head is not None:
            self.finding = Finding(
                past_head,
                "inserted",
                f"record {past_head} lies past the chain head ({head.seq}): it was inserted outside the audit log",
            )
        found = [f for f in (self.finding, self.stray) if f is not None]
        return Verification(self.checked, head, min(found, key=lambda f: f.seq, default=None))


def verify(entries: list[Entry] | tuple[Entry, ...], head: Head) -> Verification:
    """Verify a whole chain held in memory (the store streams through :class:`Verifier` instead)."""
    chain = [e for e in entries if e.seq <= head.seq]
    verifier = Verifier(seq for e in chain for seq in noticed(e))
    for entry in chain:
        if not verifier.feed(entry):
            break
    return verifier.finish(head, next((e.seq for e in entries if e.seq > head.seq), None))


def seal(
    seq: int,
    prev_hash: str,
    *,
    kind: str,
    actor: str,
    at: str,
    subject: str | None,
    inputs: str,
    outputs: str,
    data_version: str | None,
    list_versions: str,
    key: str | None,
) -> Entry:
    """A new record chained after ``prev_hash``, with its hash computed."""
    draft = Entry(seq, kind, actor, at, subject, inputs, outputs, data_version, list_versions, key, prev_hash, "")
    return Entry(
        seq,
        kind,
        actor,
        at,
        subject,
        inputs,
        outputs,
        data_version,
        list_versions,
        key,
        prev_hash,
        draft.computed_hash(),
    )
