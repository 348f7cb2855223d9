"""The good-guy list and delta re-screening, pure (through the store: tests/service/test_screening_lists.py)."""

from __future__ import annotations

import pytest

from clearance.errors import DecisionError
from clearance.screening import Query, ScreeningIndex, decide, review, screen
from clearance.screening.decisions import SeenHit, delta, party_key
from clearance.screening.model import ListVersion, Party

ACME = Party.build("t", "1", "Organization", ["Acme Trading LLC"], countries=["ae"])
ACME_CHANGED = Party.build("t", "1", "Organization", ["Acme Trading LLC"], aliases=["Acme General Trading"])
BETA = Party.build("t", "2", "Organization", ["Acme Trading Holdings"])


def _index(*parties: Party) -> ScreeningIndex:
    return ScreeningIndex.build([ListVersion("t", "Test", None, "test", parties)])


def test_false_positive_is_suppressed_until_the_entry_changes() -> None:
    query = Query.of("Acme Trading", "AE")
    [hit] = [c for c in screen(_index(ACME), query) if c.party.id == "t:1"]
    decision = decide(hit, query, party_key(query), "false_positive", "different company, other address", "ana", "t0")
    assert review([hit], query, {"t:1": decision})[0].status == "suppressed"
    [changed] = [c for c in screen(_index(ACME_CHANGED), query) if c.party.id == "t:1"]
    reviewed = review([changed], query, {"t:1": decision})[0]
    assert reviewed.status == "open" and reviewed.stale_decision
    other_party = Query.of("Acme Trading", "OM")
    assert review([hit], other_party, {"t:1": decision})[0].stale_decision


def test_confirmed_matches_and_bad_decisions() -> None:
    query = Query.of("Acme Trading")
    hit = screen(_index(ACME), query)[0]
    confirmed = decide(hit, query, "cust-1", "match", "", "ana", "t0")
    assert review([hit], query, {"t:1": confirmed})[0].status == "confirmed"
    with pytest.raises(DecisionError, match="reason"):
        decide(hit, query, "cust-1", "false_positive", "  ", "ana", "t0")
    with pytest.raises(DecisionError, match="verdict"):
        decide(hit, query, "cust-1", "maybe", "x", "ana", "t0")


def test_delta_reports_only_new_or_changed_hits() -> None:
    query = Query.of("Acme Trading")
    hits = review(screen(_index(ACME, BETA), query), query, {})
    seen = {"t:1": SeenHit("t:1", ACME.fingerprint, "v1", 0.9)}
    assert [h.candidate.party.id for h in delta(hits, seen) if h.candidate.match] == [
        h.candidate.party.id for h in hits if h.candidate.match and h.candidate.party.id != "t:1"
    ]
    changed = review(screen(_index(ACME_CHANGED), query), query, {})
    assert [h.change for h in delta(changed, seen)] == ["changed"]
