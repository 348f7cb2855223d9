"""The output of a determination: the answer, its ordered steps, citations and warnings."""

# Citation is defined with the law it cites; re-exported here as part of the output model.

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from clearance.law.citations import Citation as Citation


@dataclass(frozen=True, slots=True)
class ValueUsed:
    """A dated value a step read: the object, the date its version took effect, and whether it is verified."""

    id: str
    effective: dt.date
    verified: bool


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a determination: the rule applied, its outcome, the facts and dated values it read.

    ``applies`` is ``None`` when the rule cannot be decided from the facts given (the outcome says why)."""

    rule: str
    outcome: str
    applies: bool | None
    facts: dict[str, Any]
    values: tuple[ValueUsed, ...]
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LicenceOption:
    """A licence type that can authorise the export, with what it takes.

    ``requires`` names facts not given on which it depends (e.g. ``exporter.cp_grade``): the option is
    available if they qualify, per ``conditions``."""

    id: str
    label: str
    label_local: str | None
    processing_days: int | None
    validity_months: int | None
    conditions: tuple[str, ...]
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Undecided:
    """An open question: a rule that could change the answer, and the input fields it needs to be decided."""

    rule: str
    label: str
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Determination:
    """The answer to "is a licence needed for this shipment, which, and how long will it take?".

    ``licence_required`` is three-valued: ``True`` (a requirement applies and no exemption lifts it),
    ``False`` (every rule is decided and none requires one, or an exemption lifts it) or ``None`` (undecided:
    some requirement or exemption that could change the answer turns on facts not given; ``undecided`` names
    each open question, also when a licence is required anyway)."""

    regime: str
    date: dt.date
    destination: str
    destination_group: str | None
    control_entry: dict[str, Any]
    licence_required: bool | None
    basis: tuple[str, ...]
    licence_options: tuple[str, ...]
    licence_option_details: tuple[LicenceOption, ...]
    exemptions: tuple[str, ...]
    processing_days: int | None
    steps: tuple[Step, ...]
    citations: tuple[Citation, ...]
    data_version: str
    warnings: tuple[str, ...] = field(default=())
    ref: str | None = None
    list_versions: dict[str, str] = field(default_factory=dict)
    undecided: tuple[Undecided, ...] = ()
