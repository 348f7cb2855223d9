"""Held licences and drawdown requests: validated terms, balances, and what a drawdown asks for."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from clearance.cellvalues import Day, Number
from clearance.engine.shipment import Shipment
from clearance.errors import InputError
from clearance.law.codes import normalise_code
from clearance.law.countries import check_country
from clearance.law.regulations import Regulations

ANY = "*"
Status = Literal["active", "suspended", "revoked"]
_ENTRY = re.compile(r"^[0-9A-Za-z][0-9A-Za-z().\-]{0,39}$")


def normalise_party(name: str) -> str:
    """A counterparty name for comparison: NFKC, case-folded, punctuation and spacing collapsed."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _no_controls(value: object) -> object:
    """Refuse text holding control characters (NUL and the like: no licence term has them)."""
    texts = value if isinstance(value, tuple | list) else (value,)
    for text in texts:
        if isinstance(text, str) and any(ch < " " or ch == "\x7f" for ch in text):
            raise ValueError("must not contain control characters")
    return value


def _entry(raw: str) -> str:
    text = raw.strip()
    if text == ANY:
        return text
    try:
        return normalise_code(text)
    except ValueError:
        pass
    if not _ENTRY.match(text):
        raise ValueError(f"{raw!r} is neither a control code like 3C002.a.2, a pack entry like 3(1), nor '*'")
    return text


def _destination(value: str) -> str:
    return ANY if value.strip() == ANY else check_country(value)


#: A country a licence covers: an ISO 3166-1 alpha-2 code (see :data:`clearance.law.countries.CountryCode`) or ``"*"``.
Destination = Annotated[str, AfterValidator(_destination)]


def _paired(value: str | None, info: ValidationInfo, limit: str, name: str) -> str | None:
    """``name`` (a currency or unit) is given exactly when ``limit`` is; checked on ``name``."""
    if limit not in info.data and value is None:
        return value  # the limit itself was invalid: that error is reported on the limit
    if (info.data.get(limit) is None) != (value is None):
        raise ValueError(f"{limit} and {name} go together: give both or neither")
    return value


class LicenceTerms(BaseModel):
    """What a licence authorises, as issued: scope (destinations, control entries, counterparties), validity
    and limits. ``"*"`` in a scope list means "any"; an empty scope list is refused (say ``"*"`` explicitly)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    regime: str = Field(min_length=1, max_length=16)
    licence_type: str = Field(min_length=1, max_length=64)
    number: str = Field(min_length=1, max_length=128)
    authority: str = Field(min_length=1, max_length=256)
    holder: str = Field(min_length=1, max_length=256)
    valid_from: Day
    valid_to: Day
    destinations: tuple[Destination, ...] = Field(min_length=1, max_length=300)
    control_entries: tuple[str, ...] = Field(min_length=1, max_length=500)
    counterparties: tuple[str, ...] = Field(min_length=1, max_length=500)
    value_limit: Number | None = Field(default=None, gt=0, max_digits=20, decimal_places=4)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", validate_default=True)
    quantity_limit: Number | None = Field(default=None, gt=0, max_digits=20, decimal_places=4)
    unit: str | None = Field(default=None, min_length=1, max_length=32, validate_default=True)
    conditions: tuple[str, ...] = Field(default=(), max_length=100)

    _text = field_validator("*", mode="before")(classmethod(lambda cls, v: _no_controls(v)))

    @field_validator("control_entries")
    @classmethod
    def _entries(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_entry(v) for v in values)

    @field_validator("counterparties")
    @classmethod
    def _parties(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        out = tuple(v.strip() for v in values)
        if any(v != ANY and not normalise_party(v) for v in out):
            raise ValueError("a counterparty needs a name with letters or digits (or '*' for any)")
        return out

    @field_validator("valid_to")
    @classmethod
    def _validity(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("valid_from")
        if start is not None and value < start:
            raise ValueError(f"valid_to {value} is before valid_from {start}")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _paired(value, info, "value_limit", "currency")

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _paired(value, info, "quantity_limit", "unit")


def check_terms(terms: LicenceTerms, regulations: Mapping[str, Regulations]) -> LicenceTerms:
    """``terms`` if its regime has a loaded pack and its licence type is one that pack defines (on any date);
    :class:`InputError` naming ``regime`` or ``licence_type`` otherwise."""
    try:
        regs = regulations[terms.regime]
    except KeyError:
        known = ", ".join(sorted(regulations))
        raise InputError("regime", f"unknown regime {terms.regime!r} (known: {known})") from None
    types = regs.objects["licence_types"]
    if terms.licence_type not in types:
        known = ", ".join(types)
        raise InputError(
            "licence_type", f"{terms.licence_type!r} is not a licence type of the {regs.id} pack (known: {known})"
        )
    return terms


class LicenceAmendment(BaseModel):
    """A change to a held licence: extended or shortened validity, new limits, conditions or status."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    valid_to: Day | None = None
    value_limit: Number | None = Field(default=None, gt=0, max_digits=20, decimal_places=4)
    quantity_limit: Number | None = Field(default=None, gt=0, max_digits=20, decimal_places=4)
    conditions: tuple[str, ...] | None = Field(default=None, max_length=100)
    status: Status | None = None
    reason: str = Field(min_length=1, max_length=1000)

    _text = field_validator("*", mode="before")(classmethod(lambda cls, v: _no_controls(v)))


class Licence(BaseModel):
    """A held licence: its terms, its store id, status and what has been drawn so far."""

    model_config = ConfigDict(frozen=True)

    id: int
    terms: LicenceTerms
    status: Status = "active"
    value_used: Decimal = Decimal(0)
    quantity_used: Decimal = Decimal(0)

    @property
    def value_left(self) -> Decimal | None:
        """The value still available, or None when the licence has no value limit."""
        limit = self.terms.value_limit
        return None if limit is None else limit - self.value_used

    @property
    def quantity_left(self) -> Decimal | None:
        """The quantity still available, or None when the licence has no quantity limit."""
        limit = self.terms.quantity_limit
        return None if limit is None else limit - self.quantity_used


class DrawRequest(BaseModel):
    """Recording a shipment against a licence: the shipment, the quantity shipped, and an idempotency ``key``
    (e.g. the shipment or invoice number) so that a retried request never draws twice."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    shipment: Shipment
    quantity: Number | None = Field(default=None, gt=0, max_digits=20, decimal_places=4)
    unit: str | None = Field(default=None, min_length=1, max_length=32, validate_default=True)
    key: str | None = Field(default=None, min_length=1, max_length=200)

    _text = field_validator("key", mode="before")(classmethod(lambda cls, v: _no_controls(v)))

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None, info: ValidationInfo) -> str | None:
        return _paired(value, info, "quantity", "unit")
