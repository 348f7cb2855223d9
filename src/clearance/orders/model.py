"""An order line (a shipment plus its reference and every party to it) and the release decision on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from pydantic import Field, ValidationInfo, field_validator

from clearance.cellvalues import Number
from clearance.engine.encode import to_json
from clearance.engine.result import Determination
from clearance.engine.shipment import Party, Shipment

Decision = Literal["release", "hold", "block"]
#: What a reason does to the order: it blocks it, holds it for review, supports its release, or is a note.
Effect = Literal["block", "hold", "release", "note"]
#: The parties of an order line screened against the lists, as named in reasons.
ROLES = ("end_user", "consignee", "purchaser", "intermediaries")


class OrderLine(Shipment):
    """One order line as an ERP sends it before shipping: a shipment in the determination contract, its ``ref``
    (required: the order and line number), and optionally the other parties (``consignee``, ``purchaser``,
    ``intermediaries``, each ``{name, country}``) and the ``quantity`` shipped with its ``unit`` (checked against a
    licence's quantity limit)."""

    ref: str = Field(min_length=1, max_length=200)
    consignee: Party | None = None
    purchaser: Party | None = None
    intermediaries: list[Party] = Field(default_factory=list, max_length=20)
    quantity: Number | None = Field(default=None, gt=0, max_digits=20, decimal_places=4)
    unit: str | None = Field(default=None, min_length=1, max_length=32, validate_default=True)

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None, info: ValidationInfo) -> str | None:
        if "quantity" in info.data and (info.data["quantity"] is None) != (value is None):
            raise ValueError("quantity and unit go together: give both or neither")
        return value

    def parties(self) -> list[tuple[str, Party]]:
        """Every named party with its role (``intermediaries[0]`` …), the end user first."""
        out: list[tuple[str, Party]] = []
        if self.end_user is not None:
            out.append(("end_user", self.end_user))
        if self.consignee is not None:
            out.append(("consignee", self.consignee))
        if self.purchaser is not None:
            out.append(("purchaser", self.purchaser))
        out.extend((f"intermediaries[{i}]", party) for i, party in enumerate(self.intermediaries))
        return out


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of a decision: its ``kind`` (``licence``, ``no_licence_needed``, ``licence_needed``,
    ``licence_exhausted``, ``licence_nearly_exhausted``, ``undecided``, ``prohibited``, ``list_entry``,
    ``possible_hit``, ``cleared_hit``), what it does (``effect``), a sentence, the party it concerns and details
    (the rule, list entry, licence, citations) as plain data."""

    kind: str
    effect: Effect
    message: str
    party: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A stable key of the reason within its order (what a reviewer resolves): kind, party and subject."""
        subject = self.details.get("entry_id") or self.details.get("rule") or self.details.get("licence") or ""
        return ":".join(str(part) for part in (self.kind, self.party or "", subject))

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "key": self.key,
            "kind": self.kind,
            "effect": self.effect,
            "message": self.message,
            "party": self.party,
            "details": self.details,
        }


@dataclass(frozen=True, slots=True)
class PartyScreening:
    """One party of the order screened against every list in use: its hits with their consequence and status."""

    role: str
    name: str
    country: str | None
    hits: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"role": self.role, "name": self.name, "country": self.country, "hits": list(self.hits)}


@dataclass(frozen=True, slots=True)
class OrderDecision:
    """May this order line go? ``release``, ``hold`` (each open point a reason) or ``block``, with every reason,
    the determination it rests on, the licence that covers it (if any), the parties screened, and what makes the
    answer reproducible (law ``data_version``, list versions, policy version)."""

    ref: str
    date: dt.date
    decision: Decision
    reasons: tuple[Reason, ...]
    determination: Determination
    licence: dict[str, Any] | None
    parties: tuple[PartyScreening, ...]
    list_versions: dict[str, str]
    policy_version: str

    @property
    def open_reasons(self) -> tuple[Reason, ...]:
        """The reasons that hold or block the line."""
        return tuple(r for r in self.reasons if r.effect in ("hold", "block"))

    def to_dict(self, with_determination: bool = True) -> dict[str, Any]:
        """Plain data (the determination as its JSON contract when ``with_determination``)."""
        data: dict[str, Any] = {
            "ref": self.ref,
            "date": self.date.isoformat(),
            "decision": self.decision,
            "reasons": [r.to_dict() for r in self.reasons],
            "licence_required": self.determination.licence_required,
            "licence": self.licence,
            "parties": [p.to_dict() for p in self.parties],
            "data_version": self.determination.data_version,
            "list_versions": self.list_versions,
            "policy_version": self.policy_version,
        }
        if with_determination:
            data["determination"] = orjson.loads(to_json(self.determination))
        return data
