"""Impact runs: every portfolio line determined under two versions of the law, and what changed.

Pure: the law versions, the portfolio and the date the team acts on are all arguments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import ValidationError

from clearance.engine.batch import determine_memoised
from clearance.engine.keyed import KEY_LIMIT, Keyed
from clearance.engine.result import Determination, Undecided
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError, InputError
from clearance.impact.portfolio import Order, Portfolio, order_fields
from clearance.law.regulations import Regulations
from clearance.problems import first_problem
from clearance.tables import RowProblem, cell_text

Status = Literal["affected", "unaffected", "undecided", "error"]


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
    """The parts of a determination an impact report compares (``licence_required`` None: undecided)."""

    licence_required: bool | None
    basis: tuple[str, ...]
    destination_group: str | None
    options: tuple[str, ...]
    processing_days: int | None
    lead_time_days: int | None
    open_questions: tuple[str, ...] = ()

    @classmethod
    def of(cls, d: Determination) -> Answer:
        """The compared parts of a determination.

        The lead time is the shortest review among the options: 0 when no licence is needed or a licence
        type without per-shipment review (a bulk licence the exporter holds) can be used; unknown (None)
        when the answer is undecided. ``open_questions`` name what an undecided answer is missing."""
        required = d.licence_required
        lead = min((o.processing_days or 0 for o in d.licence_option_details), default=d.processing_days or 0)
        return cls(
            required,
            d.basis,
            d.destination_group,
            d.licence_options,
            d.processing_days,
            None if required is None else lead if required else 0,
            tuple(_question(u) for u in d.undecided),
        )

    def same_licensing(self, other: Answer) -> bool:
        """Whether both answers ask the same of the exporter (a new group name alone changes nothing)."""
        return (self.licence_required, self.basis, self.options, self.processing_days) == (
            other.licence_required,
            other.basis,
            other.options,
            other.processing_days,
        )


def _question(undecided: Undecided) -> str:
    """An open question of an undecided answer (``rule``, ``label``, ``missing``) as one phrase."""
    missing = ", ".join(undecided.missing)
    return f"{undecided.label} (give {missing})" if missing else str(undecided.label)


def _said(required: bool | None) -> str:
    return "undecided" if required is None else "licence required" if required else "no licence required"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference for a line, and the sources of the provisions that changed."""

    kind: str
    detail: str
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LineImpact:
    """What a change of the law does to one row of the portfolio: an order line with its answers, or an
    ``error`` line whose ``problem`` names the file, row, field and offending value.

    Order fields an unreadable row does not give are blank (``value`` and ``ship_date`` None)."""

    file: str
    row: int
    order_id: str
    part_number: str
    customer_id: str
    destination: str | None
    value: Decimal | None
    currency: str
    ship_date: dt.date | None
    status: Status
    problem: RowProblem | None = None
    before: Answer | None = None
    after: Answer | None = None
    changes: tuple[Change, ...] = ()
    apply_for: tuple[str, ...] = ()
    apply_by: dt.date | None = None
    late: bool = False

    @property
    def added_lead_time(self) -> int:
        """Days of licence review the change adds before shipping (0 when none, or for an error line)."""
        return 0 if self.before is None or self.after is None else added_lead_time(self.before, self.after)


@dataclass(frozen=True, slots=True)
class Total:
    """Lines and affected value for one product, customer or destination."""

    lines: int = 0
    affected: int = 0
    undecided: int = 0
    errors: int = 0
    affected_value: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Summary:
    """What happened to the rows read: ``read`` = ``answered`` + ``failed``; ``answered`` = ``affected`` +
    ``unaffected`` + ``undecided``; ``late`` counts lines whose longer review cannot end before shipping."""

    read: int
    answered: int
    failed: int
    affected: int
    unaffected: int
    undecided: int
    late: int


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

    def with_status(self, status: Status) -> tuple[LineImpact, ...]:
        """The lines of one status, in report order."""
        return tuple(line for line in self.lines if line.status == status)

    @property
    def affected(self) -> tuple[LineImpact, ...]:
        """The lines whose answer changed."""
        return self.with_status("affected")

    @property
    def summary(self) -> Summary:
        """How many rows were read, answered (affected, unaffected, undecided) and failed, and how many are late."""
        counts = {status: 0 for status in ("affected", "unaffected", "undecided", "error")}
        for line in self.lines:
            counts[line.status] += 1
        return Summary(
            read=len(self.lines),
            answered=len(self.lines) - counts["error"],
            failed=counts["error"],
            affected=counts["affected"],
            unaffected=counts["unaffected"],
            undecided=counts["undecided"],
            late=sum(1 for line in self.lines if line.late),
        )


def _shipment(regime: str, when: dt.date, order: Order, portfolio: Portfolio) -> Shipment:
    try:
        return Shipment.model_validate(order_fields(order, portfolio, regime, when))
    except ValidationError as exc:
        raise first_problem(exc).error() from None


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
    """The differences between two answers for one line, each with the causing citations.

    A decided answer becoming undecided (or the reverse) is a change of its own."""
    changes: list[Change] = []
    was, now = before.licence_required, after.licence_required
    if now is None and was is not None:
        questions = "; ".join(after.open_questions) or "facts are missing"
        changes.append(Change("licence_undecided", f"{_said(was)} before; now undecided: {questions}", causes))
    if was is None and now is not None:
        changes.append(Change("licence_decided", f"undecided before; now {_said(now)}", causes))
    if now is True and was is False:
        changes.append(Change("licence_newly_required", f"licence required ({', '.join(after.basis)})", causes))
    if was is True and now is False:
        changes.append(Change("licence_no_longer_required", "no licence required any more", causes))
    new_catch_all = [b for b in after.basis if b.startswith("catch_all") and b not in before.basis]
    if new_catch_all:
        changes.append(Change("catch_all_newly_applicable", ", ".join(new_catch_all), causes))
    if was is True and now is True:
        lost = [o for o in before.options if o not in after.options]
        gained = [o for o in after.options if o not in before.options]
        if lost:
            changes.append(Change("options_lost", ", ".join(lost), causes))
        if gained:
            changes.append(Change("options_gained", ", ".join(gained), causes))
    if before.destination_group != after.destination_group:
        changes.append(Change("group_changed", f"{before.destination_group} → {after.destination_group}", causes))
    added = added_lead_time(before, after)
    if added > 0:
        changes.append(Change("lead_time_added", f"+{added} days before shipping (licence review)", causes))
    return tuple(changes)


def added_lead_time(before: Answer, after: Answer) -> int:
    """Days of review the change adds before shipping (an undecided answer before counts as none)."""
    if after.lead_time_days is None:
        return 0
    return after.lead_time_days - (before.lead_time_days or 0)


def _needs_application(before: Answer, after: Answer) -> bool:
    if after.licence_required is not True:
        return False
    return before.licence_required is not True or not set(after.options) >= set(before.options)


def assess(
    regime: str,
    portfolio: Portfolio,
    before: LawVersion,
    after: LawVersion,
    acting_on: dt.date,
    advance: Callable[[], None] | None = None,
) -> ImpactReport:
    """Determine every order line under ``before`` and ``after`` (by distinct keys: :class:`Impacts`) and report
    what changed (``advance`` is called after each order line, for progress).

    ``acting_on`` is the day the team acts: a line whose review grew and would end after its ship date had
    to be applied for before then (``late``). Every row comes back: each order line affected, unaffected,
    undecided or error, then each row of the other files that could not be read as an error line."""
    impacts = Impacts(regime, portfolio, before, after, acting_on)
    lines = []
    for number, order in portfolio.orders:
        lines.append(impacts.line(number, order))
        if advance is not None:
            advance()
    lines += [failed_line(problem, portfolio) for problem in portfolio.problems]
    lines.sort(key=lambda line: (line.file != portfolio.orders_file, line.file, line.row))
    cited = citations([s for line in lines for c in line.changes for s in c.citations], before, after)
    return ImpactReport(
        regime=regime,
        before=before.label,
        after=after.label,
        acting_on=acting_on,
        data_versions=(before.regulations.data_version, after.regulations.data_version),
        lines=tuple(lines),
        by_product=_totals(lines, lambda line: line.part_number),
        by_customer=_totals(lines, lambda line: line.customer_id),
        by_destination=_totals(lines, lambda line: line.destination),
        citations=cited,
    )


def citations(source_ids: Iterable[str], *versions: LawVersion) -> dict[str, dict[str, Any]]:
    """The sources cited by the changes, each from the first version of the law that has it."""
    cited: dict[str, dict[str, Any]] = {}
    for law in (v.regulations for v in versions):
        for sid in source_ids:
            if sid in law.sources and sid not in cited:
                c = law.citation(sid)
                cited[sid] = {"title": c.title, "provision": c.provision, "url": c.url, "kind": c.kind}
    return cited


def line_impact(
    regime: str,
    number: int,
    order: Order,
    portfolio: Portfolio,
    before: LawVersion,
    after: LawVersion,
    acting_on: dt.date,
) -> LineImpact:
    """Order line ``number`` of the portfolio under ``before`` and ``after``, each side determined on its own
    (:func:`~clearance.engine.batch.determine_memoised`): affected, unaffected, undecided or an error line.
    :class:`Impacts` gives the same for each line of a portfolio, by distinct keys."""
    base = _base(number, order, portfolio)
    try:
        when_after = after.date_for(order)
        d_before = determine_memoised(_shipment(regime, before.date_for(order), order, portfolio), before.regulations)
        d_after = determine_memoised(_shipment(regime, when_after, order, portfolio), after.regulations)
    except ClearanceError as exc:
        return _error_line(base, number, order, portfolio, exc)
    return _line(base, order, _judge(d_before, d_after, after.regulations, when_after), acting_on)


class Impacts:
    """The order lines of one portfolio under two versions of the law, each side answered by distinct keys
    (:class:`~clearance.engine.keyed.Keyed`) and what changed judged once per pair of keys: a line's impact is
    :func:`line_impact`'s for it. One per run or partition; the judgements kept are bounded
    (:data:`~clearance.engine.keyed.KEY_LIMIT`)."""

    def __init__(
        self, regime: str, portfolio: Portfolio, before: LawVersion, after: LawVersion, acting_on: dt.date
    ) -> None:
        self.regime, self.portfolio, self.acting_on = regime, portfolio, acting_on
        self.before, self.after = before, after
        self.keyed = (Keyed(before.regulations), Keyed(after.regulations))
        self.judged: dict[tuple[Hashable, Hashable], _Judged] = {}

    def line(self, number: int, order: Order) -> LineImpact:
        """Order line ``number`` under both versions (:func:`line_impact`)."""
        base = _base(number, order, self.portfolio)
        first, second = self.keyed
        try:
            when_before, when_after = self.before.date_for(order), self.after.date_for(order)
            s_before = _shipment(self.regime, when_before, order, self.portfolio)
            key_before = first.key(s_before)[1]
            s_after = s_before if when_after == when_before else s_before.model_copy(update={"date": when_after})
            keys = (key_before, second.key(s_after)[1])
            judged = self.judged.get(keys)
            if judged is None:
                if len(self.judged) >= KEY_LIMIT:
                    self.judged.clear()
                d_before, d_after = first.determination(s_before), second.determination(s_after)
                judged = self.judged[keys] = _judge(d_before, d_after, self.after.regulations, when_after)
        except ClearanceError as exc:
            return _error_line(base, number, order, self.portfolio, exc)
        return _line(base, order, judged, self.acting_on)


def _base(number: int, order: Order, portfolio: Portfolio) -> dict[str, Any]:
    """The fields of a line's impact that the order line gives."""
    customer = portfolio.customers.get(order.customer_id)
    return {
        "file": portfolio.orders_file,
        "row": number,
        "order_id": order.order_id,
        "part_number": order.part_number,
        "customer_id": order.customer_id,
        "destination": customer.country if customer else None,
        "value": order.value,
        "currency": order.currency,
        "ship_date": order.ship_date,
    }


def _error_line(
    base: dict[str, Any], number: int, order: Order, portfolio: Portfolio, exc: ClearanceError
) -> LineImpact:
    """The error line of an order line that could not be answered."""
    field = exc.field if isinstance(exc, InputError) else None
    message = exc.message if isinstance(exc, InputError) else str(exc)
    values = {k: cell_text(v) for k, v in order.model_dump().items()}
    return LineImpact(**base, status="error", problem=RowProblem(portfolio.orders_file, number, field, message, values))


@dataclass(frozen=True, slots=True)
class _Judged:
    """What two answers mean for any line they are given for (the line's own dates aside)."""

    before: Answer
    after: Answer
    status: Status
    changes: tuple[Change, ...] = ()
    apply: bool = False


def _judge(d_before: Determination, d_after: Determination, law: Regulations, when: dt.date) -> _Judged:
    """The status and changes of a line answered ``d_before`` and ``d_after`` (``law``: the later version, read
    on ``when``), and whether a licence is to be applied for."""
    a_before, a_after = Answer.of(d_before), Answer.of(d_after)
    undecided = a_before.licence_required is None or a_after.licence_required is None
    if not undecided and a_before.same_licensing(a_after):
        return _Judged(a_before, a_after, "unaffected")
    changes = compare(a_before, a_after, _causes(d_before, d_after, law, when))
    status: Status = "undecided" if undecided else "affected"
    return _Judged(a_before, a_after, status, changes, _needs_application(a_before, a_after))


def _line(base: dict[str, Any], order: Order, judged: _Judged, acting_on: dt.date) -> LineImpact:
    """A line's impact: its order's fields, and the judgement with the dates to apply by."""
    a_before, a_after = judged.before, judged.after
    if judged.status == "unaffected":
        return LineImpact(**base, status="unaffected", before=a_before, after=a_after)
    apply_for: tuple[str, ...] = ()
    apply_by = None
    late = False
    if judged.apply:
        apply_for = a_after.options
        apply_by = order.ship_date - dt.timedelta(days=a_after.lead_time_days or 0)
        late = added_lead_time(a_before, a_after) > 0 and apply_by < acting_on
    return LineImpact(
        **base,
        status=judged.status,
        before=a_before,
        after=a_after,
        changes=judged.changes,
        apply_for=apply_for,
        apply_by=apply_by,
        late=late,
    )


def failed_line(problem: RowProblem, portfolio: Portfolio) -> LineImpact:
    """An error line for a row that could not be read, with what the row gives of an order line."""
    values = {k: str(v) for k, v in problem.values.items()}
    customer = portfolio.customers.get(values.get("customer_id", ""))
    return LineImpact(
        file=problem.file,
        row=problem.row,
        order_id=values.get("order_id", ""),
        part_number=values.get("part_number", ""),
        customer_id=values.get("customer_id", ""),
        destination=customer.country if customer else None,
        value=None,
        currency=values.get("currency", ""),
        ship_date=None,
        status="error",
        problem=problem,
    )


def _totals(lines: Iterable[LineImpact], key: Any) -> dict[str, Total]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    values: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in lines:
        k = key(line) or "?"
        counts[k]["lines"] += 1
        counts[k][line.status] += 1
        if line.status == "affected" and line.value is not None:
            values[k][line.currency] += line.value
    return {
        k: Total(c["lines"], c["affected"], c["undecided"], c["error"], dict(values[k]))
        for k, c in sorted(counts.items())
    }
