"""Which held licences cover a shipment, and whether a drawdown may be made: pure functions with reasons.

Every refusal has a reason code (``expired``, ``overdraw_value`` …) and a sentence; :func:`refusals` lists
them all, :func:`draw` applies the first as a :class:`LicenceRefusedError` or returns the new balances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from clearance.engine.result import Determination
from clearance.engine.shipment import Shipment
from clearance.errors import LicenceRefusedError
from clearance.law.codes import code_within, normalise_code
from clearance.licences.model import ANY, Licence, normalise_party

#: How many days before expiry a licence is flagged.
EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a licence cannot take a shipment: a reason code and a sentence."""

    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """One held licence measured against a shipment: whether it covers it, why not, and warnings."""

    licence: Licence
    refusals: tuple[Refusal, ...]
    warnings: tuple[str, ...]

    @property
    def covers(self) -> bool:
        """Whether the licence can take the shipment."""
        return not self.refusals


@dataclass(frozen=True, slots=True)
class Drawn:
    """The outcome of an accepted drawdown: the value and quantity drawn and the licence's new balances."""

    value: Decimal
    quantity: Decimal
    licence: Licence
    warnings: tuple[str, ...]


def _item_covered(licence: Licence, shipment: Shipment, determination: Determination | None) -> bool:
    entries = licence.terms.control_entries
    if ANY in entries:
        return True
    code = shipment.item.control_code
    if code:
        try:
            code = normalise_code(code)
        except ValueError:
            code = code.strip()
        if any(code_within(code, entry) for entry in entries):
            return True
    if determination is not None:
        pack_ids = {determination.control_entry.get("entry"), determination.control_entry.get("row")}
        return bool(pack_ids & set(entries))
    return False


def _party_covered(licence: Licence, shipment: Shipment) -> bool:
    parties = licence.terms.counterparties
    if ANY in parties:
        return True
    if shipment.end_user is None:
        return False
    return normalise_party(shipment.end_user.name) in {normalise_party(p) for p in parties}


def _scope(licence: Licence, shipment: Shipment, determination: Determination | None) -> Iterable[Refusal]:
    terms = licence.terms
    if licence.status != "active":
        yield Refusal("not_active", f"the licence is {licence.status}")
    if shipment.regime != terms.regime:
        yield Refusal("regime", f"the licence is under {terms.regime!r}, the shipment under {shipment.regime!r}")
    if shipment.date < terms.valid_from:
        yield Refusal("not_yet_valid", f"the licence is valid from {terms.valid_from}, the shipment is {shipment.date}")
    if shipment.date > terms.valid_to:
        yield Refusal("expired", f"the licence expired on {terms.valid_to}, the shipment is {shipment.date}")
    eligible = determination.licence_options if determination and determination.licence_required is not False else None
    if eligible is not None and terms.licence_type not in eligible:
        yield Refusal(
            "licence_type_not_eligible",
            f"a {terms.licence_type!r} licence cannot authorise it (eligible: {', '.join(eligible) or 'none'})",
        )
    if ANY not in terms.destinations and shipment.destination not in terms.destinations:
        yield Refusal("destination_not_covered", f"{shipment.destination} is not among {', '.join(terms.destinations)}")
    if not _item_covered(licence, shipment, determination):
        what = shipment.item.control_code or "an unlisted item"
        yield Refusal("item_not_covered", f"{what} is not among {', '.join(terms.control_entries)}")
    if not _party_covered(licence, shipment):
        who = repr(shipment.end_user.name) if shipment.end_user else "no end user"
        yield Refusal("counterparty_not_covered", f"the shipment names {who}, not one of the licensed counterparties")


def _amounts(licence: Licence, shipment: Shipment, quantity: Decimal | None, unit: str | None) -> Iterable[Refusal]:
    terms = licence.terms
    value = shipment.item.value
    if terms.value_limit is not None:
        left = licence.value_left or Decimal(0)
        if value is None:
            yield Refusal("value_missing", "the licence has a value limit but the shipment gives no item.value")
        elif shipment.item.currency != terms.currency:
            yield Refusal(
                "currency_mismatch",
                f"the licence is in {terms.currency}, the shipment in {shipment.item.currency or 'no currency'}",
            )
        elif value > left:
            yield Refusal("overdraw_value", f"{value} {terms.currency} exceeds the {left} {terms.currency} left")
    if terms.quantity_limit is not None:
        left = licence.quantity_left or Decimal(0)
        if quantity is None:
            yield Refusal("quantity_missing", f"the licence is limited in {terms.unit}; give the quantity shipped")
        elif unit != terms.unit:
            yield Refusal("unit_mismatch", f"the licence is limited in {terms.unit}, the drawdown is in {unit}")
        elif quantity > left:
            yield Refusal("overdraw_quantity", f"{quantity} {unit} exceeds the {left} {unit} left")


def warnings(licence: Licence, when: dt.date) -> tuple[str, ...]:
    """Expiry and exhaustion warnings about a licence as of ``when``."""
    out = []
    days = (licence.terms.valid_to - when).days
    if 0 <= days <= EXPIRY_WARNING_DAYS:
        out.append(f"licence {licence.terms.number} expires in {days} days ({licence.terms.valid_to})")
    for left, limit, what in (
        (licence.value_left, licence.terms.value_limit, licence.terms.currency),
        (licence.quantity_left, licence.terms.quantity_limit, licence.terms.unit),
    ):
        if left is not None and limit and left <= limit / 10:
            out.append(f"licence {licence.terms.number} has {left} {what} left of {limit}")
    return tuple(out)


def refusals(
    licence: Licence,
    shipment: Shipment,
    determination: Determination | None = None,
    quantity: Decimal | None = None,
    unit: str | None = None,
) -> tuple[Refusal, ...]:
    """Every reason ``licence`` cannot take ``shipment`` (empty when it can). With a ``determination``, the
    licence type must be one of its licence options and pack entries (e.g. ``3(1)``) count as items."""
    return (*_scope(licence, shipment, determination), *_amounts(licence, shipment, quantity, unit))


def cover(
    licences: Iterable[Licence], shipment: Shipment, determination: Determination | None = None
) -> list[Coverage]:
    """Each held licence measured against the shipment, those that cover it first (then by number).

    Quantity is not known from a shipment alone, so quantity limits are checked only at drawdown."""
    out = []
    for licence in licences:
        found = refusals(licence, shipment, determination)
        found = tuple(r for r in found if r.reason != "quantity_missing")
        out.append(Coverage(licence, found, warnings(licence, shipment.date)))
    out.sort(key=lambda c: (not c.covers, c.licence.terms.number))
    return out


def draw(
    licence: Licence,
    shipment: Shipment,
    determination: Determination | None = None,
    quantity: Decimal | None = None,
    unit: str | None = None,
) -> Drawn:
    """Draw ``shipment`` down against ``licence``: the new balances, or :class:`LicenceRefusedError` naming the
    first reason it cannot."""
    found = refusals(licence, shipment, determination, quantity, unit)
    if found:
        raise LicenceRefusedError(licence.terms.number, found[0].reason, found[0].message)
    value = shipment.item.value if licence.terms.value_limit is not None and shipment.item.value else Decimal(0)
    amount = quantity if licence.terms.quantity_limit is not None and quantity else Decimal(0)
    after = licence.model_copy(
        update={"value_used": licence.value_used + value, "quantity_used": licence.quantity_used + amount}
    )
    return Drawn(value, amount, after, warnings(after, shipment.date))


def expiring(licences: Iterable[Licence], today: dt.date, within_days: int = EXPIRY_WARNING_DAYS) -> list[Licence]:
    """Active licences that expire within ``within_days`` of ``today`` (not yet expired), soonest first."""
    found = [
        licence
        for licence in licences
        if licence.status == "active" and 0 <= (licence.terms.valid_to - today).days <= within_days
    ]
    return sorted(found, key=lambda licence: (licence.terms.valid_to, licence.terms.number))


def coverage_dict(coverage: Coverage) -> dict[str, object]:
    """A coverage as plain data (decimals as strings) for answers and the audit trail."""
    licence = coverage.licence
    left_value, left_quantity = licence.value_left, licence.quantity_left
    return {
        "licence": licence.id,
        "number": licence.terms.number,
        "licence_type": licence.terms.licence_type,
        "covers": coverage.covers,
        "refusals": [{"reason": r.reason, "message": r.message} for r in coverage.refusals],
        "value_left": None if left_value is None else str(left_value),
        "currency": licence.terms.currency,
        "quantity_left": None if left_quantity is None else str(left_quantity),
        "unit": licence.terms.unit,
        "valid_to": licence.terms.valid_to.isoformat(),
        "warnings": list(coverage.warnings),
    }
