"""``check_order``: may this order line go? The determination, the licence register, the measures in force and
the screening of every party against every list, combined into ``release``, ``hold`` or ``block`` with reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from clearance.engine.determine import Screener, determine
from clearance.engine.result import Determination
from clearance.law.regulations import Regulations
from clearance.licences.model import Licence
from clearance.licences.rules import Coverage, coverage_dict, refusals, warnings
from clearance.orders.model import Decision, OrderDecision, OrderLine, Reason
from clearance.orders.policy import Policy, default_policy
from clearance.orders.screening import Decisions, screen_parties
from clearance.screening.index import ScreeningIndex

#: Refusals that mean a licence would cover the line but has too little left.
_EXHAUSTED = frozenset({"overdraw_value", "overdraw_quantity"})


def _pack(line: OrderLine, regulations: Mapping[str, Regulations] | Regulations) -> Regulations:
    return regulations if isinstance(regulations, Regulations) else regulations[line.regime]


def _basis_of(regs: Regulations, rule: str) -> str | None:
    """The basis a requirement (``requirements.<id>``) gives, or None for another kind of rule."""
    kind, _, oid = rule.partition(".")
    obj = regs.objects.get(kind, {}).get(oid) if kind == "requirements" else None
    return None if obj is None else str(obj.model.basis)


def _prohibitions(det: Determination, regs: Regulations, policy: Policy) -> list[Reason]:
    """Bases the policy blocks on (e.g. an approval ban), decided or still open."""
    out: list[Reason] = []
    for step in det.steps:
        basis = _basis_of(regs, step.rule)
        rule = policy.bases.get(basis or "")
        if rule is None or step.applies is False:
            continue
        details = {"rule": step.rule, "basis": basis, "citations": list(step.citations)}
        if step.applies:
            out.append(Reason("prohibited", rule.consequence, f"{rule.label}: {step.outcome}", None, details))
        else:
            message = f"{rule.label} may apply: {step.outcome}"
            out.append(Reason("undecided", "hold", message, None, details))
    return out


def _no_licence(det: Determination) -> Reason:
    if det.exemptions:
        why = f"exempted ({', '.join(det.exemptions)})"
    else:
        entry = det.control_entry.get("entry") or det.control_entry.get("row")
        where = f"item under {entry}" if entry else "item not listed"
        why = f"no requirement applies ({where}, destination group {det.destination_group})"
    return Reason(
        "no_licence_needed", "release", f"No licence needed: {why}", None, {"exemptions": list(det.exemptions)}
    )


def _licence_reasons(
    line: OrderLine, det: Determination, licences: Iterable[Licence], policy: Policy
) -> tuple[list[Reason], dict[str, object] | None]:
    """Reasons from the licence register, and the covering licence (as plain data) if one covers the line."""
    measured = []
    for licence in licences:
        found = refusals(licence, line, det, line.quantity, line.unit)
        if line.quantity is None:
            found = tuple(r for r in found if r.reason != "quantity_missing")
        measured.append(Coverage(licence, found, warnings(licence, line.date)))
    measured.sort(key=lambda c: (not c.covers, len(c.refusals), c.licence.terms.number))
    covering = next((c for c in measured if c.covers), None)
    if covering is not None:
        terms = covering.licence.terms
        details = coverage_dict(covering)
        message = (
            f"licence {terms.number} ({terms.licence_type}, {terms.authority}, valid to {terms.valid_to}) covers it"
        )
        reasons = [Reason("licence", "release", message, None, details)]
        low = _nearly_exhausted(covering.licence, line, policy)
        if low:
            reasons.append(Reason("licence_nearly_exhausted", policy.licences.nearly_exhausted, low, None, details))
        return reasons, details
    basis = ", ".join(det.basis) or "possibly, see the open questions"
    exhausted = [c for c in measured if c.refusals and {r.reason for r in c.refusals} <= _EXHAUSTED]
    if exhausted:
        c = exhausted[0]
        message = f"licence {c.licence.terms.number} would cover it but is exhausted: {c.refusals[0].message}"
        return [Reason("licence_exhausted", "hold", message, None, coverage_dict(c))], None
    if det.licence_required:
        options = ", ".join(det.licence_options) or "none available"
        message = f"a licence is required ({basis}) and none held covers it (licence types: {options})"
        nearest = [coverage_dict(c) for c in measured[:3]]
        return [Reason("licence_needed", "hold", message, None, {"basis": list(det.basis), "nearest": nearest})], None
    return [], None


def _nearly_exhausted(licence: Licence, line: OrderLine, policy: Policy) -> str | None:
    share = Decimal(str(policy.licences.nearly_exhausted_share))
    terms = licence.terms
    for limit, left, used, unit in (
        (terms.value_limit, licence.value_left, line.item.value, terms.currency),
        (terms.quantity_limit, licence.quantity_left, line.quantity, terms.unit),
    ):
        if limit is None or left is None or used is None:
            continue
        after = left - used
        if after < limit * share:
            return f"licence {terms.number} is nearly exhausted: {after} {unit} of {limit} left after this line"
    return None


def _undecided(det: Determination, regs: Regulations, policy: Policy, covered: bool) -> list[Reason]:
    """Open questions of the determination (those on a blocking basis are reported by :func:`_prohibitions`):
    they hold the line unless a licence covers it anyway, or a licence is required whatever their answer."""
    moot = covered or det.licence_required is True
    out = []
    for q in det.undecided:
        if _basis_of(regs, q.rule) in policy.bases:
            continue
        message = f"undecided: {q.label}: needs {', '.join(q.missing)}"
        if moot:
            message += (
                " (a licence covers the line whatever the answer)" if covered else " (a licence is required anyway)"
            )
        details = {"rule": q.rule, "missing": list(q.missing)}
        out.append(Reason("undecided", "note" if moot else "hold", message, None, details))
    return out


def _decision(reasons: Iterable[Reason]) -> Decision:
    effects = {r.effect for r in reasons}
    return "block" if "block" in effects else "hold" if "hold" in effects else "release"


def check_order(
    line: OrderLine,
    regulations: Mapping[str, Regulations] | Regulations,
    *,
    index: ScreeningIndex,
    screener: Screener,
    licences: Iterable[Licence] = (),
    policy: Policy | None = None,
    decisions: Decisions | None = None,
) -> OrderDecision:
    """Decide whether ``line`` may be released (pure: everything it reads is passed in).

    ``screener`` serves the determination's catch-all (end user on the lists the law refers to); ``index`` holds
    every list in use, against which every party is screened; ``licences`` are the held licences; ``policy``
    gives each list's consequence and the bases that block (default: :func:`default_policy`); ``decisions``
    looks up the good-guy list. Bad input raises :class:`~clearance.errors.InputError` naming the field."""
    policy = policy or default_policy()
    regs = _pack(line, regulations)
    det = determine(line, regulations, screener=screener)
    parties, hits = screen_parties(line, index, policy, decisions)
    reasons = _prohibitions(det, regs, policy)
    licence_reasons, licence = (
        _licence_reasons(line, det, licences, policy) if det.licence_required is not False else ([], None)
    )
    if det.licence_required is False:
        licence_reasons = [_no_licence(det)]
    reasons += licence_reasons
    reasons += _undecided(det, regs, policy, licence is not None)
    for hit in hits:
        if hit.kind == "end_user_list" and licence is not None:
            hit = Reason(hit.kind, "note", f"{hit.message}; the licence covers the line", hit.party, hit.details)
        reasons.append(hit)
    reasons.sort(key=lambda r: ("block", "hold", "release", "note").index(r.effect))
    return OrderDecision(
        ref=line.ref,
        date=line.date,
        decision=_decision(reasons),
        reasons=tuple(reasons),
        determination=det,
        licence=licence,
        parties=tuple(parties),
        list_versions={**det.list_versions, **index.versions},
        policy_version=policy.digest,
    )
