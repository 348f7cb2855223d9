"""Impact runs: every portfolio line determined under two versions of the law, and what changed.

Pure: the law versions, the portfolio and the date the team acts on are all arguments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from clearance.classify.catalogue import resolve_product
from clearance.engine.determine import determine
from clearance.engine.result import Determination
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError, InputError
from clearance.impact.portfolio import Order, Portfolio
from clearance.law.regulations import Regulations

Status = Literal["affected", "unaffected", "error"]


@dataclass(frozen=True, slots=True)
class LawVersion:
    """One side of a comparison: a pack (possibly with a scenario laid over it) read on a date.

    ``as_of=None`` reads the law on each line's own ship date, but not before ``not_before``."""

    label: str
    regulations: Regulations
    as_of: dt.date | None
    not_before: dt.date | None = None

    def date_for(self, order: Order) -> dt.date:
        """The date this version of the law is read on for an order line."""
        if self.as_of is not None:
            return self.as_of
        return max(order.ship_date, self.not_before) if self.not_before else order.ship_date


@dataclass(frozen=True, slots=True)
class Answer:
    """The parts of a determination an impact report compares."""

    licence_required: bool | None
    basis: tuple[str, ...]
    destination_group: str | None
    options: tuple[str, ...]
    processing_days: int | None
    lead_time_days: int

    @classmethod
    def of(cls, d: Determination) -> Answer:
        """The compared parts of a determination.

        The lead time is the shortest review among the options: 0 when no licence is needed or a licence
        type without per-shipment review (a bulk licence the exporter holds) can be used."""
        lead = min((o.processing_days or 0 for o in d.licence_option_details), default=d.processing_days or 0)
        return cls(
            d.licence_required,
            d.basis,
            d.destination_group,
            d.licence_options,
            d.processing_days,
            lead if d.licence_required else 0,
        )

    def same_licensing(self, other: Answer) -> bool:
        """Whether both answers ask the same of the exporter (a new group name alone changes nothing)."""
        return (self.licence_required, self.basis, self.options, self.processing_days) == (
            other.licence_required,
            other.basis,
            other.options,
            other.processing_days,
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One difference for a line, and the sources of the provisions that changed."""

    kind: str
    detail: str
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LineImpact:
    """What a change of the law does to one order line (``error`` lines say why they could not be assessed)."""

    line: int
    order_id: str
    part_number: str
    customer_id: str
    destination: str | None
    value: Decimal
    currency: str
    ship_date: dt.date
    status: Status
    error: str | None = None
    before: Answer | None = None
    after: Answer | None = None
    changes: tuple[Change, ...] = ()
    apply_for: tuple[str, ...] = ()
    apply_by: dt.date | None = None
    late: bool = False


@dataclass(frozen=True, slots=True)
class Total:
    """Lines and affected value for one product, customer or destination."""

    lines: int = 0
    affected: int = 0
    errors: int = 0
    affected_value: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ImpactReport:
    """Every line of a portfolio under two versions of the law, with totals and what to apply for."""

    regime: str
    before: str
    after: str
    acting_on: dt.date
    data_versions: tuple[str, str]
    lines: tuple[LineImpact, ...]
    by_product: dict[str, Total]
    by_customer: dict[str, Total]
    by_destination: dict[str, Total]
    citations: dict[str, dict[str, Any]]

    @property
    def affected(self) -> tuple[LineImpact, ...]:
        """The lines whose answer changed."""
        return tuple(line for line in self.lines if line.status == "affected")


def _shipment(regime: str, when: dt.date, order: Order, portfolio: Portfolio) -> Shipment:
    customer = portfolio.customers.get(order.customer_id)
    if customer is None:
        raise InputError("customer_id", f"unknown customer {order.customer_id!r}")
    item = resolve_product(portfolio.catalogue, order.part_number, regime).item_fields()
    return Shipment.model_validate(
        {
            "ref": order.order_id,
            "regime": regime,
            "date": when,
            "destination": customer.country,
            "item": {**item, "value": order.value, "currency": order.currency},
            "end_use": customer.end_use,
            "end_user": {"name": customer.name, "country": customer.country},
            "informed": customer.informed,
        }
    )


def _values(d: Determination) -> set[tuple[str, dt.date]]:
    return {(v.id, v.effective) for step in d.steps for v in step.values}


def _causes(before: Determination, after: Determination, law: Regulations, when: dt.date) -> tuple[str, ...]:
    """Sources of the dated values that differ between the two answers (a repeal cites its own sources)."""
    new = _values(after) - _values(before)
    gone = {oid for oid, _ in _values(before) - _values(after)} - {oid for oid, _ in new}
    cited: dict[str, None] = {}
    for step in after.steps:
        for value in step.values:
            if (value.id, value.effective) in new:
                cited.update(dict.fromkeys(step.citations))
    for oid in sorted(gone):
        kind, _, name = oid.partition(".")
        obj = law.objects.get(kind, {}).get(name)
        version = obj.timeline.at(when) if obj else None
        if version is not None and version.value is None and version.repeal is not None:
            cited.update(dict.fromkeys(version.repeal.sources))
    return tuple(cited)


def compare(before: Answer, after: Answer, causes: tuple[str, ...]) -> tuple[Change, ...]:
    """The differences between two answers for one line, each with the causing citations."""
    changes: list[Change] = []
    if after.licence_required and not before.licence_required:
        changes.append(Change("licence_newly_required", f"licence required ({', '.join(after.basis)})", causes))
    if before.licence_required and not after.licence_required:
        changes.append(Change("licence_no_longer_required", "no licence required any more", causes))
    new_catch_all = [b for b in after.basis if b.startswith("catch_all") and b not in before.basis]
    if new_catch_all:
        changes.append(Change("catch_all_newly_applicable", ", ".join(new_catch_all), causes))
    if before.licence_required and after.licence_required:
        lost = [o for o in before.options if o not in after.options]
        gained = [o for o in after.options if o not in before.options]
        if lost:
            changes.append(Change("options_lost", ", ".join(lost), causes))
        if gained:
            changes.append(Change("options_gained", ", ".join(gained), causes))
    if before.destination_group != after.destination_group:
        changes.append(Change("group_changed", f"{before.destination_group} → {after.destination_group}", causes))
    added = after.lead_time_days - before.lead_time_days
    if added > 0:
        changes.append(Change("lead_time_added", f"+{added} days before shipping (licence review)", causes))
    return tuple(changes)


def _needs_application(before: Answer, after: Answer) -> bool:
    if not after.licence_required:
        return False
    return not before.licence_required or not set(after.options) >= set(before.options)


def assess(
    regime: str,
    portfolio: Portfolio,
    before: LawVersion,
    after: LawVersion,
    acting_on: dt.date,
) -> ImpactReport:
    """Determine every order line under ``before`` and ``after`` and report what changed.

    ``acting_on`` is the day the team acts: a licence whose review would end after a line's ship date had
    to be applied for before then (``late``). Every line comes back: affected, unaffected or error."""
    lines = [_line(regime, number, order, portfolio, before, after, acting_on) for number, order in portfolio.orders]
    cited: dict[str, dict[str, Any]] = {}
    for law in (before.regulations, after.regulations):
        for line in lines:
            for change in line.changes:
                for sid in change.citations:
                    if sid in law.sources and sid not in cited:
                        c = law.citation(sid)
                        cited[sid] = {"title": c.title, "provision": c.provision, "url": c.url, "kind": c.kind}
    return ImpactReport(
        regime=regime,
        before=before.label,
        after=after.label,
        acting_on=acting_on,
        data_versions=(before.regulations.data_version, after.regulations.data_version),
        lines=tuple(lines),
        by_product=_totals(lines, lambda line: line.part_number),
        by_customer=_totals(lines, lambda line: line.customer_id),
        by_destination=_totals(lines, lambda line: line.destination or "?"),
        citations=cited,
    )


def _line(
    regime: str,
    number: int,
    order: Order,
    portfolio: Portfolio,
    before: LawVersion,
    after: LawVersion,
    acting_on: dt.date,
) -> LineImpact:
    base: dict[str, Any] = {
        "line": number,
        "order_id": order.order_id,
        "part_number": order.part_number,
        "customer_id": order.customer_id,
        "value": order.value,
        "currency": order.currency,
        "ship_date": order.ship_date,
    }
    customer = portfolio.customers.get(order.customer_id)
    base["destination"] = customer.country if customer else None
    try:
        when_before = before.date_for(order)
        when_after = after.date_for(order)
        d_before = determine(_shipment(regime, when_before, order, portfolio), before.regulations)
        d_after = determine(_shipment(regime, when_after, order, portfolio), after.regulations)
    except ClearanceError as exc:
        return LineImpact(**base, status="error", error=str(exc))
    a_before, a_after = Answer.of(d_before), Answer.of(d_after)
    if a_before.same_licensing(a_after):
        return LineImpact(**base, status="unaffected", before=a_before, after=a_after)
    changes = compare(a_before, a_after, _causes(d_before, d_after, after.regulations, when_after))
    apply_for: tuple[str, ...] = ()
    apply_by = None
    if _needs_application(a_before, a_after):
        apply_for = a_after.options
        apply_by = order.ship_date - dt.timedelta(days=a_after.processing_days or 0)
    return LineImpact(
        **base,
        status="affected",
        before=a_before,
        after=a_after,
        changes=changes,
        apply_for=apply_for,
        apply_by=apply_by,
        late=apply_by is not None and apply_by < acting_on,
    )


def _totals(lines: Iterable[LineImpact], key: Any) -> dict[str, Total]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    values: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in lines:
        k = key(line)
        counts[k][0] += 1
        if line.status == "affected":
            counts[k][1] += 1
            values[k][line.currency] += line.value
        elif line.status == "error":
            counts[k][2] += 1
    return {k: Total(c[0], c[1], c[2], dict(values[k])) for k, c in sorted(counts.items())}
