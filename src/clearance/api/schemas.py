"""Request and response models of the HTTP API (they document the OpenAPI schema; tests check answers fit)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator

from clearance.engine.shipment import Shipment
from clearance.licences.model import DrawRequest
from clearance.orders import OrderLine
from clearance.store import ROLES, Role

_ID = r"^[^\x00-\x1f\x7f]*$"


def _json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object")
    return value


#: A shipment as sent: documented as :class:`Shipment`, passed on as parsed JSON because its ``item.product`` is
#: resolved against the server's catalogue before it is validated (:func:`clearance.checks.read_shipment`).
ShipmentJson = Annotated[dict[str, Any], PlainValidator(_json_object, json_schema_input_type=Shipment)]
#: A drawdown request as sent: documented as :class:`DrawRequest`, read by :func:`clearance.checks.read_drawdown`.
#: An order line as sent: documented as :class:`OrderLine`, read by :func:`clearance.orders.read.read_line`.
OrderLineJson = Annotated[dict[str, Any], PlainValidator(_json_object, json_schema_input_type=OrderLine)]
DrawRequestJson = Annotated[dict[str, Any], PlainValidator(_json_object, json_schema_input_type=DrawRequest)]


class ProblemFieldOut(BaseModel):
    """One bad field: its dotted path (``input`` for the input as a whole), the value given and what is wrong."""

    field: str
    value: Any = None
    message: str


class ProblemOut(BaseModel):
    """Every error answer, as RFC 9457 problem details (``application/problem+json``): ``type`` names the problem
    (``urn:clearance:problem:`` and the error class), ``title`` says what it means, ``status`` is the HTTP status,
    ``detail`` describes this occurrence and ``errors`` lists every bad field; a refused drawdown adds ``licence``
    and ``reason``."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemFieldOut]
    licence: str | None = None
    reason: str | None = None


class LicenceOptionOut(BaseModel):
    """A licence type that can authorise the export."""

    id: str
    label: str
    label_local: str | None
    processing_days: int | None
    validity_months: int | None
    conditions: list[str]
    requires: list[str]


class StepOut(BaseModel):
    """One step of the explanation (``applies`` is null when the rule cannot be decided)."""

    rule: str
    outcome: str
    applies: bool | None
    facts: dict[str, Any]
    values: list[dict[str, Any]]
    citations: list[str]


class UndecidedOut(BaseModel):
    """An open question: the rule that cannot be decided and the input fields it needs."""

    rule: str
    label: str
    missing: list[str]


class DeterminationOut(BaseModel):
    """The engine's answer, as in ``clearance determine --json``: ``licence_required`` is true, false or null
    (undecided: ``undecided`` names each open question and the facts it needs)."""

    regime: str
    date: str
    destination: str
    destination_group: str | None
    control_entry: dict[str, Any]
    licence_required: bool | None
    basis: list[str]
    licence_options: list[str]
    licence_option_details: list[LicenceOptionOut]
    exemptions: list[str]
    processing_days: int | None
    steps: list[StepOut]
    citations: list[dict[str, Any]]
    data_version: str
    warnings: list[str]
    ref: str | None
    list_versions: dict[str, str]
    undecided: list[UndecidedOut]


class RefusalOut(BaseModel):
    """Why a licence cannot take a shipment."""

    reason: str
    message: str


class CoverageOut(BaseModel):
    """A held licence measured against the shipment."""

    licence: int
    number: str
    licence_type: str
    covers: bool
    refusals: list[RefusalOut]
    value_left: str | None
    currency: str | None
    quantity_left: str | None
    unit: str | None
    valid_to: str
    warnings: list[str]


class RecordedOut(BaseModel):
    """A recorded determination: ``id`` is its audit record; ``licences`` the held licences measured against it
    (when a licence is required); ``repeated`` when an earlier request with the same key is returned."""

    id: int
    repeated: bool
    determination: DeterminationOut
    licences: list[CoverageOut]


class BatchIn(BaseModel):
    """Shipments to determine in one request. With a ``batch_id``, sending the same batch again (after an
    interruption) returns what was recorded and records only the rest."""

    model_config = ConfigDict(extra="forbid")

    shipments: list[dict[str, Any]] = Field(
        description="Shipments as `POST /determinations` takes them; one that does not validate gets its own error."
    )
    batch_id: str | None = Field(default=None, min_length=1, max_length=100, pattern=_ID)


class BatchErrorOut(BaseModel):
    """A batch item that could not be answered: its ``position`` in ``shipments`` (counted from 0), the ``field``
    (a dotted path; ``input`` for the item as a whole), the ``value`` given and the ``message``."""

    position: int
    field: str
    value: Any
    message: str


class BatchOut(BaseModel):
    """One result per shipment, in order."""

    results: list[RecordedOut | BatchErrorOut]


class LicenceOut(BaseModel):
    """A held licence: terms, status, used and left (amounts as decimal strings)."""

    id: int
    regime: str
    licence_type: str
    number: str
    authority: str
    holder: str
    valid_from: str
    valid_to: str
    destinations: list[str]
    control_entries: list[str]
    counterparties: list[str]
    value_limit: str | None
    currency: str | None
    quantity_limit: str | None
    unit: str | None
    conditions: list[str]
    status: Literal["active", "suspended", "revoked"]
    value_used: str
    quantity_used: str
    value_left: str | None
    quantity_left: str | None


class LicencePage(BaseModel):
    """A page of licences; pass ``next_after`` as ``after`` for the next page (null: no more)."""

    items: list[LicenceOut]
    next_after: int | None


class DrawdownOut(BaseModel):
    """A recorded drawdown."""

    id: int
    licence: int
    key: str | None
    shipment_ref: str | None
    shipment_date: str
    destination: str
    value: str
    currency: str | None
    quantity: str
    unit: str | None
    actor: str
    at: str
    audit_seq: int


class DrawdownPage(BaseModel):
    """A page of drawdowns."""

    items: list[DrawdownOut]
    next_after: int | None


class DrawOut(BaseModel):
    """An accepted drawdown, the licence after it, and warnings (expiry, little left)."""

    drawdown: DrawdownOut
    licence: LicenceOut
    warnings: list[str]
    repeated: bool


class AuditRecordOut(BaseModel):
    """An audit record as stored."""

    seq: int
    kind: str
    actor: str
    at: str
    subject: str | None
    inputs: Any
    outputs: Any
    data_version: str | None
    list_versions: dict[str, Any]
    key: str | None
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    """A page of audit records, oldest first."""

    items: list[AuditRecordOut]
    next_after: int | None


class HeadOut(BaseModel):
    """The chain head."""

    seq: int
    hash: str


class FindingOut(BaseModel):
    """The first bad record."""

    seq: int
    problem: Literal["edited", "missing", "out_of_order", "truncated", "inserted"]
    message: str


class VerificationOut(BaseModel):
    """The outcome of verifying the chain."""

    ok: bool
    checked: int
    head: HeadOut
    first_bad: FindingOut | None


class DifferenceOut(BaseModel):
    """A field whose recorded value differs from today's."""

    path: str
    then: Any
    now: Any


class ReplayOut(BaseModel):
    """A recorded determination re-run today."""

    seq: int
    same: bool
    data_version_then: str | None
    data_version_now: str
    differences: list[DifferenceOut]
    now: DeterminationOut


class KeyOut(BaseModel):
    """An API key's public description."""

    key_id: str
    name: str
    role: Role
    created_at: str
    created_by: str
    revoked_at: str | None
    language: str | None = Field(description="The web pages' language its user chose (en, ja, ko), if any.")


class KeyIn(BaseModel):
    """A key to create: who or what uses it, and its role."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$")
    role: Role


class KeyCreatedOut(BaseModel):
    """A new key: ``token`` is the key itself, shown this once."""

    key: KeyOut
    token: str


class KeyList(BaseModel):
    """Every API key."""

    items: list[KeyOut]


class HealthOut(BaseModel):
    """Liveness and what the service answers with."""

    status: Literal["ok"]
    database: str
    data_versions: dict[str, str]
    roles: list[str] = Field(default_factory=lambda: [str(r) for r in ROLES])


class LicenceList(BaseModel):
    """Licences (not paged)."""

    items: list[LicenceOut]


class OrderReasonOut(BaseModel):
    """One reason of an order decision: what it does to the line (``effect``), its kind, a sentence, the party."""

    key: str
    kind: str
    effect: Literal["block", "hold", "release", "note"]
    message: str
    party: str | None
    details: dict[str, Any]


class OrderPartyOut(BaseModel):
    """A party of the order screened against every list in use, with its hits."""

    role: str
    name: str
    country: str | None
    hits: list[dict[str, Any]]


class OrderDecisionOut(BaseModel):
    """May the order line go: ``release``, ``hold`` or ``block``, with every reason and what it rests on."""

    ref: str
    date: str
    decision: Literal["release", "hold", "block"]
    reasons: list[OrderReasonOut]
    licence_required: bool | None
    licence: dict[str, Any] | None
    parties: list[OrderPartyOut]
    data_version: str
    list_versions: dict[str, str]
    policy_version: str
    determination: dict[str, Any]


class OrderBatchIn(BaseModel):
    """Order lines to check in one request."""

    model_config = ConfigDict(extra="forbid")

    lines: list[dict[str, Any]] = Field(
        description="Order lines as `POST /orders/check` takes them; one that does not validate gets its own error."
    )


class OrderBatchItemOut(OrderDecisionOut):
    """A checked line of a batch, with its ``position`` in ``lines`` (counted from 0)."""

    position: int


class OrderBatchOut(BaseModel):
    """One result per line, in order."""

    results: list[OrderBatchItemOut | BatchErrorOut]


class StoredOrderOut(BaseModel):
    """An order filed for release: its state, the open reasons, resolutions, who requested it, the latest check."""

    id: int
    ref: str
    state: Literal["released", "held", "blocked", "shipped"]
    decision: Literal["release", "hold", "block"]
    open_reasons: list[OrderReasonOut]
    resolutions: list[dict[str, Any]]
    requested_by: str
    submitted_by: str
    created_at: str
    updated_at: str
    line: dict[str, Any]
    check: dict[str, Any]
    history: list[dict[str, Any]] | None = None


class OrderPage(BaseModel):
    """A page of orders and the cursor of the next."""

    items: list[StoredOrderOut]
    next_after: int | None


class ResolutionIn(BaseModel):
    """How a reviewer resolves one open reason of a held order (see docs/orders.md)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=400, pattern=_ID, description="The reason's `key`.")
    action: Literal["false_positive", "confirmed_match", "accepted", "recheck"]
    note: str = Field(default="", max_length=4000, pattern=_ID)
    facts: dict[str, Any] | None = Field(default=None, description="Fields of the line supplied (with `recheck`).")


class ReleaseIn(BaseModel):
    """A release (by an officer who did not request the order), with an optional note."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=4000, pattern=_ID)


class LiftIn(BaseModel):
    """Lifting a block: an admin's written reason."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=4000, pattern=_ID)


class RecheckItemOut(BaseModel):
    """An open order checked again: state and decision before and after, the new reasons, or why it could not be."""

    id: int
    ref: str
    changed: bool
    state_before: str
    state: str
    decision_before: str
    decision: str
    new_reasons: list[dict[str, Any]]
    error: str | None


class RecheckOut(BaseModel):
    """Every open order checked again."""

    results: list[RecheckItemOut]
