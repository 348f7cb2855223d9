"""The records of stored screening, as the review queue (:mod:`clearance.store.screening_queue`) hands them out:
a decision, a hit with the decision in force, a screening as filed, and what one screening files; each read from
its table row and written as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from clearance.screening import Candidate, Decision, Query, ReviewedHit
from clearance.screening.decisions import SeenHit
from clearance.store.tables import ScreeningDecisionRow, ScreeningHitRow


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """A decision as stored: the verdict with its fingerprints, the hit, the list version and the audit record."""

    id: int
    hit_id: int
    list_id: str
    list_version: str
    audit_seq: int
    decision: Decision

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "id": self.id,
            "hit_id": self.hit_id,
            **self.decision.to_dict(),
            "list_id": self.list_id,
            "list_version": self.list_version,
            "audit_seq": self.audit_seq,
        }


@dataclass(frozen=True, slots=True)
class StoredHit:
    """A hit in the queue: the party as screened, the list entry with its score breakdown, and its status."""

    id: int
    party_key: str
    query: Query
    subject: str | None
    entry: dict[str, Any]
    list_version: str
    list_date: str | None
    status: str
    stale_decision: bool
    decision: StoredDecision | None
    first_seen_at: str
    last_seen_at: str
    screened_by: str
    audit_seq: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``party`` (the query), ``entry`` (the candidate as screening returns it) and the review."""
        return {
            "id": self.id,
            "party_key": self.party_key,
            "party": self.query.to_dict(),
            "subject": self.subject,
            "entry_id": self.entry["id"],
            "entry_name": self.entry.get("caption") or self.entry["id"],
            "list_id": self.entry["list_id"],
            "list_version": self.list_version,
            "list_date": self.list_date,
            "score": self.entry["score"],
            "entry": self.entry,
            "status": self.status,
            "stale_decision": self.stale_decision,
            "decision": self.decision.to_dict() if self.decision else None,
            "first_seen_at": self.first_seen_at,
            "last_seen_at": self.last_seen_at,
            "screened_by": self.screened_by,
            "audit_seq": self.audit_seq,
        }


@dataclass(frozen=True, slots=True)
class Screened:
    """One screening of a party: its audit record (``seq``, ``hash``), every candidate reviewed, the queue ids of the
    matches, and the party's hits as filed before it (by entry id: what delta re-screening compares with)."""

    seq: int
    hash: str
    party_key: str
    query: Query
    subject: str | None
    results: tuple[tuple[ReviewedHit, int | None], ...]
    algorithm: str
    threshold: float
    lists: dict[str, dict[str, str | None]]
    previous: Mapping[str, SeenHit] = field(default_factory=dict)

    @property
    def versions(self) -> dict[str, str]:
        """The list versions screened against (list id → version)."""
        return {list_id: str(about["version"]) for list_id, about in self.lists.items()}

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``results`` are the reviewed candidates, each with ``hit_id`` (None for a near miss)."""
        return {
            "id": self.seq,
            "party_key": self.party_key,
            "party": self.query.to_dict(),
            "subject": self.subject,
            "matched": any(h.candidate.match and h.status != "suppressed" for h, _ in self.results),
            "results": [{**hit.to_dict(), "hit_id": hit_id} for hit, hit_id in self.results],
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "lists": self.lists,
        }


def decision_of(row: ScreeningDecisionRow) -> StoredDecision:
    """A decision read from its row."""
    verdict: Any = row.verdict
    decision = Decision(
        row.party_key,
        row.entry_id,
        verdict,
        row.reason,
        row.reviewer,
        row.party_fingerprint,
        row.entry_fingerprint,
        row.decided_at,
    )
    return StoredDecision(row.id, row.hit_id, row.list_id, row.list_version, row.audit_seq, decision)


def hit_of(row: ScreeningHitRow, decision: StoredDecision | None) -> StoredHit:
    """A hit read from its row, with the decision in force on it."""
    return StoredHit(
        row.id,
        row.party_key,
        Query.from_dict(orjson.loads(row.party)),
        row.subject,
        orjson.loads(row.candidate),
        row.list_version,
        row.list_date,
        row.status,
        row.stale_decision,
        decision,
        row.first_seen_at,
        row.last_seen_at,
        row.screened_by,
        row.audit_seq,
    )


@dataclass(frozen=True, slots=True)
class ScreenedParty:
    """A party as last screened: the query, its subject, and the lists it was screened against."""

    query: Query
    subject: str | None
    lists: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Filing:
    """What one screening files: the party, its candidates and what produced them (:meth:`ScreeningQueue.prepare`)."""

    query: Query
    party_key: str
    candidates: tuple[Candidate, ...]
    versions: Mapping[str, str]
    list_dates: Mapping[str, str | None]
    algorithm: str
    threshold: float
    subject: str | None
