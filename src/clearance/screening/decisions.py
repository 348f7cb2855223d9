"""Reviewer decisions on hits (the good-guy list) and delta re-screening: pure functions over plain values.

A decision is remembered for one (screened party, list entry) pair together with the fingerprints of both as they
were when the reviewer decided. A *false positive* suppresses the hit until either fingerprint changes (the list
entry gained an alias, the counterparty's name or country changed); then the hit is open again and says that its
earlier decision is stale. A *match* is shown as confirmed. Delta re-screening keeps only hits not seen before for
the party, or whose list entry changed since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from clearance.errors import DecisionError
from clearance.screening.matcher import Candidate, Query

Verdict = Literal["match", "false_positive"]
VERDICTS: tuple[str, ...] = ("match", "false_positive")
Status = Literal["open", "suppressed", "confirmed"]


def query_fingerprint(query: Query) -> str:
    """A hash of the screened party as screened: names, schema, countries, identifiers."""
    payload = orjson.dumps(
        [sorted(query.names), query.schema, sorted(query.countries), sorted(query.identifiers)],
    )
    return hashlib.sha256(payload).hexdigest()[:16]


def party_key(query: Query, party_id: str | None = None) -> str:
    """The key decisions are filed under: the caller's own id for the party, else ``q:`` and its fingerprint."""
    return party_id.strip() if party_id and party_id.strip() else f"q:{query_fingerprint(query)}"


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewer's verdict on one hit, with the fingerprints it was made against."""

    party_key: str
    entry_id: str
    verdict: Verdict
    reason: str
    reviewer: str
    party_fingerprint: str
    entry_fingerprint: str
    decided_at: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "party_key": self.party_key,
            "entry_id": self.entry_id,
            "verdict": self.verdict,
            "reason": self.reason,
            "reviewer": self.reviewer,
            "party_fingerprint": self.party_fingerprint,
            "entry_fingerprint": self.entry_fingerprint,
            "decided_at": self.decided_at,
        }


def decide(
    candidate: Candidate,
    query: Query,
    key: str,
    verdict: str,
    reason: str,
    reviewer: str,
    decided_at: str,
) -> Decision:
    """A decision on ``candidate``; a false positive needs a reason, and the verdict must be a known one."""
    if verdict not in VERDICTS:
        raise DecisionError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if verdict == "false_positive" and not reason.strip():
        raise DecisionError("a false-positive decision needs a reason")
    return Decision(
        key,
        candidate.party.id,
        "match" if verdict == "match" else "false_positive",
        reason.strip(),
        reviewer.strip(),
        query_fingerprint(query),
        candidate.party.fingerprint,
        decided_at,
    )


@dataclass(frozen=True, slots=True)
class ReviewedHit:
    """A candidate with its review status and the decision behind it, if any."""

    candidate: Candidate
    status: Status
    decision: Decision | None = None
    stale_decision: bool = False
    change: Literal["new", "changed", "seen"] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The candidate's dict with ``status``, ``decision``, ``stale_decision`` and ``change``."""
        data = self.candidate.to_dict()
        data["status"] = self.status
        data["decision"] = self.decision.to_dict() if self.decision else None
        data["stale_decision"] = self.stale_decision
        if self.change:
            data["change"] = self.change
        return data


def review(candidates: Iterable[Candidate], query: Query, decisions: Mapping[str, Decision]) -> list[ReviewedHit]:
    """Apply the decisions (keyed by entry id) filed for this party to its candidates."""
    fingerprint = query_fingerprint(query)
    out = []
    for candidate in candidates:
        decision = decisions.get(candidate.party.id)
        if decision is None:
            out.append(ReviewedHit(candidate, "open"))
            continue
        current = (
            decision.party_fingerprint == fingerprint and decision.entry_fingerprint == candidate.party.fingerprint
        )
        if not current:
            out.append(ReviewedHit(candidate, "open", decision, stale_decision=True))
        elif decision.verdict == "false_positive":
            out.append(ReviewedHit(candidate, "suppressed", decision))
        else:
            out.append(ReviewedHit(candidate, "confirmed", decision))
    return out


@dataclass(frozen=True, slots=True)
class SeenHit:
    """A hit recorded by an earlier screening of the same party."""

    entry_id: str
    entry_fingerprint: str
    list_version: str
    score: float


def mark_changes(hits: Iterable[ReviewedHit], previous: Mapping[str, SeenHit]) -> list[ReviewedHit]:
    """Tag each hit ``new`` (never seen for this party), ``changed`` (its entry changed) or ``seen``."""
    out = []
    for hit in hits:
        seen = previous.get(hit.candidate.party.id)
        if seen is None:
            change: Literal["new", "changed", "seen"] = "new"
        elif seen.entry_fingerprint != hit.candidate.party.fingerprint:
            change = "changed"
        else:
            change = "seen"
        out.append(
            ReviewedHit(hit.candidate, hit.status, hit.decision, hit.stale_decision, change),
        )
    return out


def delta(hits: Iterable[ReviewedHit], previous: Mapping[str, SeenHit]) -> list[ReviewedHit]:
    """Only what is new for the reviewer: matches that are not suppressed and were not seen (unchanged) before."""
    return [
        h
        for h in mark_changes(hits, previous)
        if h.candidate.match and h.status != "suppressed" and h.change in ("new", "changed")
    ]
