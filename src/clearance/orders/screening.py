"""Every party of an order line screened against every list in use, each hit given its list's consequence
(from the policy) and its review status (from the good-guy list)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from clearance.orders.model import Effect, OrderLine, PartyScreening, Reason
from clearance.orders.policy import Policy
from clearance.screening.decisions import Decision, ReviewedHit, review
from clearance.screening.index import ScreeningIndex
from clearance.screening.matcher import Query, ScreenConfig, screen

#: The reviewer decisions on file for a screened party, by list entry id (the good-guy list).
Decisions = Callable[[Query], Mapping[str, Decision]]


def party_query(name: str, country: str | None) -> Query:
    """How a party of an order is screened (and how decisions on its hits are filed)."""
    return Query.of(name, country)


def _hit(hit: ReviewedHit, index: ScreeningIndex, policy: Policy) -> dict[str, Any]:
    c = hit.candidate
    rule = policy.list_rule(c.party.list_id, c.party.programs)
    return {
        "list_id": c.party.list_id,
        "list_version": index.versions.get(c.party.list_id),
        "list_date": index.list_dates.get(c.party.list_id),
        "entry_id": c.party.id,
        "entry_name": c.party.caption,
        "matched_name": c.matched_name,
        "programs": list(c.party.programs),
        "score": round(c.score, 4),
        "explanation": c.explanation,
        "consequence": rule.consequence,
        "list_label": rule.label,
        "why": rule.why,
        "status": hit.status,
        "decision": hit.decision.to_dict() if hit.decision else None,
    }


def _reason(role: str, data: dict[str, Any], certain: float) -> Reason:
    who = f"{role} {data['matched_name']!r}"
    entry = f"{data['entry_name']!r} ({data['entry_id']}) on the {data['list_label']}"
    keys = ("entry_id", "list_id", "list_version", "list_date", "score", "consequence", "programs")
    details = {k: data[k] for k in keys}
    if data["status"] == "suppressed":
        decision = data["decision"]
        why = f"cleared as a false positive by {decision['reviewer']}: {decision['reason']}"
        return Reason("cleared_hit", "note", f"{who} resembles {entry}; {why}", role, details)
    sure = data["status"] == "confirmed" or data["score"] >= certain
    if not sure:
        message = f"possible hit to review: {who} resembles {entry} (score {data['score']:.2f})"
        return Reason("possible_hit", "hold", message, role, details)
    how = "confirmed by a reviewer" if data["status"] == "confirmed" else f"score {data['score']:.2f}"
    why = f": {data['why']}" if data["why"] else ""
    if data["consequence"] == "catch_all":
        message = f"{who} is {entry} ({how}){why}"
        return Reason("end_user_list", "hold", message, role, details)
    effect: Effect = "block" if data["consequence"] == "block" else "hold"
    return Reason("list_entry", effect, f"{who} is {entry} ({how}){why}", role, details)


def screen_parties(
    line: OrderLine, index: ScreeningIndex, policy: Policy, decisions: Decisions | None = None
) -> tuple[list[PartyScreening], list[Reason]]:
    """Screen every party of ``line`` against every list in ``index``; the hits (matches at the policy's
    review score) of each party, and one reason per hit."""
    config = ScreenConfig(threshold=policy.screening.review_score, cutoff=policy.screening.review_score, limit=20)
    screened: list[PartyScreening] = []
    reasons: list[Reason] = []
    for role, party in line.parties():
        query = party_query(party.name, party.country)
        candidates = [c for c in screen(index, query, config) if c.match]
        reviewed = review(candidates, query, decisions(query) if decisions else {})
        hits = [_hit(h, index, policy) for h in reviewed]
        screened.append(PartyScreening(role, party.name, party.country, tuple(hits)))
        reasons.extend(_reason(role, hit, policy.screening.certain_score) for hit in hits)
    return screened, reasons
