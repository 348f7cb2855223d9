"""The retrospective audit of what was shipped: each shipped line checked against the law in force on its ship
date (as it was known then, flagged where today's packs answer otherwise), the licence register as it stood that
day (valid, covering, within what earlier lines had drawn) and the lists, with one finding per line:

``ok`` (with the licence or the reason none was needed), ``unlicensed`` (a licence, or an approval, was required
and none covered the line: the rule and its citations), ``exceeded`` (a licence covered it but not the amount
left), ``undecided`` (facts missing: which) or ``blocked_party`` (a party is the entry of a list whose
consequence is a block).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from clearance.engine.determine import Screener, determine
from clearance.errors import ClearanceError, InputError
from clearance.law import BUNDLED, load_pack
from clearance.law.regulations import Regulations
from clearance.licences.model import Licence
from clearance.orders.check import check_order
from clearance.orders.model import OrderDecision, OrderLine
from clearance.orders.policy import Policy, default_policy
from clearance.orders.read import Read
from clearance.orders.screening import Decisions
from clearance.screening.index import ScreeningIndex

Kind = Literal["ok", "unlicensed", "exceeded", "undecided", "blocked_party"]
FINDINGS: tuple[Kind, ...] = ("ok", "unlicensed", "exceeded", "undecided", "blocked_party")


@dataclass(frozen=True, slots=True)
class Finding:
    """One shipped line's finding, with what it rests on."""

    position: int
    ref: str
    date: dt.date
    destination: str
    finding: Kind
    message: str
    rules: tuple[str, ...]
    citations: tuple[dict[str, Any], ...]
    licence: str | None
    missing: tuple[str, ...]
    value: Decimal | None
    currency: str | None
    data_version: str
    corrected: str | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data (decimals as strings)."""
        return {
            "position": self.position,
            "ref": self.ref,
            "date": self.date.isoformat(),
            "destination": self.destination,
            "finding": self.finding,
            "message": self.message,
            "rules": list(self.rules),
            "citations": list(self.citations),
            "licence": self.licence,
            "missing": list(self.missing),
            "value": None if self.value is None else str(self.value),
            "currency": self.currency,
            "data_version": self.data_version,
            "corrected": self.corrected,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class HistoryAudit:
    """Every line's finding (or why it could not be read), in input order."""

    findings: tuple[Finding, ...]
    errors: tuple[tuple[int, InputError], ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """Lines per finding (every kind, zero included)."""
        found = Counter(f.finding for f in self.findings)
        return {kind: found.get(kind, 0) for kind in FINDINGS}

    def summary(self) -> str:
        """The summary line an auditor quotes (e.g. "4 lines shipped without the licence they needed")."""
        counts = self.counts()
        parts = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        total = len(self.findings) + len(self.errors)
        head = f"{total} shipped lines checked: {parts}" + (f", {len(self.errors)} unreadable" if self.errors else "")
        lacking = counts["unlicensed"]
        tail = f"{lacking} line{'s' if lacking != 1 else ''} shipped without the licence they needed"
        if counts["exceeded"]:
            tail += f"; {counts['exceeded']} beyond what the licence left"
        return f"{head}. {tail}."

    def by_month(self) -> dict[str, dict[str, int]]:
        """Findings per ship month (``YYYY-MM`` → kind → lines)."""
        out: dict[str, dict[str, int]] = {}
        for f in self.findings:
            month = out.setdefault(f.date.strftime("%Y-%m"), dict.fromkeys(FINDINGS, 0))
            month[f.finding] += 1
        return dict(sorted(out.items()))

    def by_rule(self) -> dict[str, int]:
        """Lines that were not ``ok`` per rule they fell foul of (a line may count under several rules)."""
        found: Counter[str] = Counter()
        for f in self.findings:
            if f.finding != "ok":
                found.update(f.rules or (f.finding,))
        return dict(found.most_common())


@cache
def _known_dates(root: Path) -> tuple[dt.date, ...]:
    """Every date on which what is known of a pack changes: effective, announced and published dates."""
    regs = load_pack(root)
    dates = set(regs.change_dates)
    for objects in regs.objects.values():
        for obj in objects.values():
            for version in obj.timeline.versions:
                value = version.value
                dates.update(d for d in (getattr(value, "announced", None), getattr(value, "published", None)) if d)
    return tuple(sorted(dates))


@cache
def _known_pack(root: Path, day: dt.date) -> Regulations:
    return load_pack(root, known_on=day)


def law_as_known(root: Path = BUNDLED) -> Callable[[str, dt.date], Regulations]:
    """The pack of a regime as it was known on a day (values in force, announced or published by then), loaded
    once per day on which that knowledge changed."""

    def known(regime: str, day: dt.date) -> Regulations:
        folder = root / regime
        dates = _known_dates(folder)
        at = bisect_right(dates, day)
        return _known_pack(folder, dates[at - 1] if at else day)

    return known


def _rules_and_citations(decision: OrderDecision) -> tuple[tuple[str, ...], tuple[dict[str, Any], ...]]:
    det = decision.determination
    rules = [s.rule for s in det.steps if s.rule.startswith("requirements.") and s.applies is True]
    rules += [r.details["rule"] for r in decision.reasons if r.kind == "prohibited"]
    cited = {sid for s in det.steps if s.rule in rules for sid in s.citations}
    citations = tuple(
        {"id": c.id, "title": c.title, "provision": c.provision, "url": c.url} for c in det.citations if c.id in cited
    )
    return tuple(dict.fromkeys(rules)), citations


def _finding(position: int, line: OrderLine, decision: OrderDecision, corrected: str | None) -> Finding:
    kinds = {r.kind: r for r in decision.reasons if r.effect in ("hold", "block")}
    rules, citations = _rules_and_citations(decision)
    licence = decision.licence["number"] if decision.licence else None
    notes = tuple(r.message for r in decision.reasons if r.effect in ("hold", "note") and r.kind not in kinds)
    blocked = [r for r in decision.reasons if r.kind == "list_entry" and r.effect == "block"]
    missing: tuple[str, ...] = ()
    if blocked:
        kind: Kind = "blocked_party"
        message = "; ".join(r.message for r in blocked)
        dates = {str(r.details["list_date"]) for r in blocked if r.details.get("list_date")}
        later = sorted(d for d in dates if d > line.date.isoformat())
        if later:
            notes += (
                f"the list version screened is of {', '.join(later)}, after the ship date: verify the party was "
                f"listed on {line.date}",
            )
    elif "prohibited" in kinds or "licence_needed" in kinds:
        kind = "unlicensed"
        message = "; ".join(r.message for r in decision.reasons if r.kind in ("prohibited", "licence_needed"))
        nearest = kinds["licence_needed"].details.get("nearest", []) if "licence_needed" in kinds else []
        if nearest and nearest[0]["refusals"]:
            message += f" (nearest: licence {nearest[0]['number']}: {nearest[0]['refusals'][0]['message']})"
    elif "licence_exhausted" in kinds:
        kind = "exceeded"
        message = kinds["licence_exhausted"].message
    elif "undecided" in kinds:
        kind = "undecided"
        open_points = [r for r in decision.reasons if r.kind == "undecided" and r.effect == "hold"]
        missing = tuple(sorted({m for r in open_points for m in r.details.get("missing", [])}))
        message = "; ".join(r.message for r in open_points)
    else:
        kind = "ok"
        message = next((r.message for r in decision.reasons if r.effect == "release"), "nothing held the line")
        notes = tuple(r.message for r in decision.reasons if r.effect != "release")
    return Finding(
        position,
        line.ref,
        line.date,
        line.destination,
        kind,
        message,
        rules if kind != "ok" else (),
        citations if kind != "ok" else (),
        licence,
        missing,
        line.item.value,
        line.item.currency,
        decision.determination.data_version,
        corrected,
        notes,
    )


def _drawn(licence: Licence, line: OrderLine) -> Licence:
    """The licence after ``line`` was shipped under it."""
    terms = licence.terms
    value = line.item.value if terms.value_limit is not None and line.item.value else Decimal(0)
    quantity = line.quantity if terms.quantity_limit is not None and line.quantity else Decimal(0)
    update = {"value_used": licence.value_used + value, "quantity_used": licence.quantity_used + quantity}
    return licence.model_copy(update=update)


def audit_history(
    reads: Iterable[Read],
    law: Mapping[str, Regulations],
    *,
    index: ScreeningIndex,
    screener: Screener,
    licences: Sequence[Licence] = (),
    policy: Policy | None = None,
    decisions: Decisions | None = None,
    known: Callable[[str, dt.date], Regulations] | None = None,
) -> HistoryAudit:
    """Audit shipped lines (each ``date`` its ship date), oldest first for the licences' drawdown.

    ``licences`` are the licences as issued: active, each valid within its dates, their drawdown counted afresh
    from the lines themselves in ship date order (the register as it stood on each date). ``known`` gives the
    pack as known on a day (default: :func:`law_as_known` over the bundled packs); ``law`` holds today's packs,
    against which each answer is compared (``corrected`` says where they differ)."""
    policy = policy or default_policy()
    known = known or law_as_known()
    register = {
        lic.id: lic.model_copy(update={"value_used": Decimal(0), "quantity_used": Decimal(0)}) for lic in licences
    }
    lines: list[tuple[int, OrderLine]] = []
    errors: list[tuple[int, InputError]] = []
    for position, line in reads:
        if isinstance(line, InputError):
            errors.append((position, line))
        else:
            lines.append((position, line))
    findings: list[Finding] = []
    for position, line in sorted(lines, key=lambda item: (item[1].date, item[0])):
        try:
            pack = known(line.regime, line.date)
            decision = check_order(
                line,
                pack,
                index=index,
                screener=screener,
                licences=register.values(),
                policy=policy,
                decisions=decisions,
            )
            today = determine(line, law, screener=screener)
        except InputError as exc:
            errors.append((position, exc))
            continue
        except (ClearanceError, KeyError) as exc:
            errors.append((position, InputError("regime" if isinstance(exc, KeyError) else "input", str(exc))))
            continue
        corrected = None
        if today.licence_required != decision.determination.licence_required:
            said = {True: "required", False: "not required", None: "undecided"}
            corrected = (
                f"the packs as known today answer {said[today.licence_required]} (law version {today.data_version}),"
                f" as known then {said[decision.determination.licence_required]}"
            )
        finding = _finding(position, line, decision, corrected)
        findings.append(finding)
        if finding.finding == "ok" and decision.licence is not None:
            number = decision.licence["licence"]
            register[number] = _drawn(register[number], line)
    findings.sort(key=lambda f: f.position)
    errors.sort(key=lambda e: e[0])
    return HistoryAudit(tuple(findings), tuple(errors))
