"""The database schema as SQLAlchemy models (the migrations in ``migrations/versions`` create it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine


def plain_decimal(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``8000000.0000`` → ``8000000``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class Money(TypeDecorator[Decimal]):
    """An exact decimal: NUMERIC(24, 4) on PostgreSQL, text on SQLite (whose numbers are floats)."""

    impl = Numeric(24, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(24, 4))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else plain_decimal(Decimal(str(value)))


class Base(DeclarativeBase):
    """The declarative base of clearance's tables."""


class ApiKeyRow(Base):
    """An API key: its public id, a SHA-256 of the whole key (never the key), role and revocation."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(256))
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: The language its user chose for the web pages (``ja``, ``ko``, ``en``), if any.
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)


class WebSessionRow(Base):
    """A signed-in web session: a SHA-256 of its token (the browser holds the token), the API key it was opened
    with, its CSRF token and when it expires. Signing out deletes it; it ends with its key's revocation."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.key_id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[str] = mapped_column(String(32), index=True)


class LicenceRow(Base):
    """A held licence: its terms, status and running balances."""

    __tablename__ = "licences"
    __table_args__ = (UniqueConstraint("regime", "number", name="uq_licences_regime_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    regime: Mapped[str] = mapped_column(String(16), index=True)
    licence_type: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(128))
    authority: Mapped[str] = mapped_column(String(256))
    holder: Mapped[str] = mapped_column(String(256))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date, index=True)
    destinations: Mapped[list[str]] = mapped_column(JSON)
    control_entries: Mapped[list[str]] = mapped_column(JSON)
    counterparties: Mapped[list[str]] = mapped_column(JSON)
    value_limit: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    quantity_limit: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(32), nullable=True)
    conditions: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    value_used: Mapped[Decimal] = mapped_column(Money)
    quantity_used: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class DrawdownRow(Base):
    """One shipment drawn against a licence, with the audit record that holds it in full."""

    __tablename__ = "drawdowns"
    __table_args__ = (UniqueConstraint("licence_id", "key", name="uq_drawdowns_licence_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request: Mapped[str] = mapped_column(Text)
    shipment_ref: Mapped[str | None] = mapped_column(Text, nullable=True)
    shipment_date: Mapped[dt.date] = mapped_column(Date)
    destination: Mapped[str] = mapped_column(String(2))
    value: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    quantity: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(256))
    at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer)


class AuditRecordRow(Base):
    """An append-only audit record; ``hash`` chains it to the record before (see :mod:`clearance.audit.chain`)."""

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(256), index=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str | None] = mapped_column(String(256), nullable=True, index=True)
    inputs: Mapped[str] = mapped_column(Text)
    outputs: Mapped[str] = mapped_column(Text)
    data_version: Mapped[str | None] = mapped_column(String(128), nullable=True)
    list_versions: Mapped[str] = mapped_column(Text)
    key: Mapped[str | None] = mapped_column(String(256), nullable=True, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row holding the chain head: the last sequence number and hash (locked by each append)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_audit_records_kind_seq", AuditRecordRow.kind, AuditRecordRow.seq)


class ScreeningHitRow(Base):
    """A list entry a screened party matched: the party and the entry as screened, and the review status.

    One row per (party, list entry); screening the party again updates it. ``status`` is what
    :func:`clearance.screening.review` makes of the latest decision: ``open``, ``suppressed`` or ``confirmed``."""

    __tablename__ = "screening_hits"
    __table_args__ = (UniqueConstraint("party_key", "entry_id", name="uq_screening_hits_party_entry"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    party_key: Mapped[str] = mapped_column(String(256), index=True)
    party_name: Mapped[str] = mapped_column(String(512))
    party: Mapped[str] = mapped_column(Text)
    party_fingerprint: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(256), nullable=True)
    entry_id: Mapped[str] = mapped_column(String(256))
    entry_name: Mapped[str] = mapped_column(String(512))
    list_id: Mapped[str] = mapped_column(String(64), index=True)
    list_version: Mapped[str] = mapped_column(String(128))
    list_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    entry_fingerprint: Mapped[str] = mapped_column(String(64))
    candidate: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    algorithm: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    stale_decision: Mapped[bool] = mapped_column(Boolean)
    decision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    first_seen_at: Mapped[str] = mapped_column(String(32))
    last_seen_at: Mapped[str] = mapped_column(String(32))
    screened_by: Mapped[str] = mapped_column(String(256))
    audit_seq: Mapped[int] = mapped_column(Integer)


class ScreeningDecisionRow(Base):
    """A reviewer's decision on a hit (append-only; the newest for a hit is the one in force)."""

    __tablename__ = "screening_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hit_id: Mapped[int] = mapped_column(ForeignKey("screening_hits.id"), index=True)
    party_key: Mapped[str] = mapped_column(String(256), index=True)
    entry_id: Mapped[str] = mapped_column(String(256))
    list_id: Mapped[str] = mapped_column(String(64))
    list_version: Mapped[str] = mapped_column(String(128))
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(256))
    party_fingerprint: Mapped[str] = mapped_column(String(64))
    entry_fingerprint: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer)


class ScreeningListRow(Base):
    """An imported version of a screening list: immutable, identified by its content hash (``version``).

    ``id`` numbers the imports: a list's newest import is the version screening uses. ``payload`` is the version
    (:func:`clearance.screening.model.list_to_dict`) as gzip-compressed JSON."""

    __tablename__ = "screening_lists"
    __table_args__ = (
        UniqueConstraint("version", name="uq_screening_lists_version"),
        Index("ix_screening_lists_list_id_id", "list_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(128))
    list_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    list_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    source: Mapped[str] = mapped_column(Text)
    entries: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(256))
    audit_seq: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class OrderRow(Base):
    """An order line filed for release: the line as given, its state (``released``, ``held``, ``blocked``,
    ``shipped``), the latest check (the decision as JSON) and who requested it (the four-eyes rule)."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ref: Mapped[str] = mapped_column(String(200), unique=True)
    regime: Mapped[str] = mapped_column(String(16))
    ship_date: Mapped[dt.date] = mapped_column(Date)
    line: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    checked: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(256))
    submitted_by: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer)


class ClassificationRow(Base):
    """A product's 該非判定 (classification) as recorded: the request and the assessment (JSON), its verdict and
    the entry and catch-all part it found, who classified it and who approved it (the four-eyes rule)."""

    __tablename__ = "classifications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    part_number: Mapped[str] = mapped_column(String(200), index=True)
    regime: Mapped[str] = mapped_column(String(16))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    verdict: Mapped[str] = mapped_column(String(16))
    entry: Mapped[str | None] = mapped_column(String(64), nullable=True)
    catch_all: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data_version: Mapped[str] = mapped_column(String(128))
    request: Mapped[str] = mapped_column(Text)
    assessment: Mapped[str] = mapped_column(Text)
    classified_by: Mapped[str] = mapped_column(String(256))
    classified_at: Mapped[str] = mapped_column(String(32))
    approved_by: Mapped[str | None] = mapped_column(String(256), nullable=True)
    approved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    audit_seq: Mapped[int] = mapped_column(Integer)


class OrderResolutionRow(Base):
    """A reason of an order resolved by a reviewer (accepted with a note, a hit cleared, a block lifted)."""

    __tablename__ = "order_resolutions"
    __table_args__ = (UniqueConstraint("order_id", "reason_key", name="uq_order_resolutions_order_reason"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    reason_key: Mapped[str] = mapped_column(String(400))
    action: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(256))
    at: Mapped[str] = mapped_column(String(32))
    audit_seq: Mapped[int] = mapped_column(Integer)


class IdempotencyRow(Base):
    """A successful answer to a request sent with an ``Idempotency-Key``: the caller's key id and the key, a
    SHA-256 of the request, and the status, headers and body to answer a repeat with."""

    __tablename__ = "idempotency_keys"

    owner: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict[str, str]] = mapped_column(JSON)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[str] = mapped_column(String(32), index=True)
