"""The stored licence register: add, amend, look up, and draw down atomically (row lock, then audit)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import orjson
from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearance.audit.canonical import canonical_text
from clearance.engine.result import Determination
from clearance.errors import ConflictError, InputError, NotFoundError, PreconditionFailedError
from clearance.law.regulations import Regulations
from clearance.licences import rules
from clearance.licences.model import DrawRequest, Licence, LicenceAmendment, LicenceTerms, check_terms
from clearance.store.audit_log import AuditLog, subject_of
from clearance.store.database import Database
from clearance.store.tables import DrawdownRow, LicenceRow


@dataclass(frozen=True, slots=True)
class Drawdown:
    """A recorded drawdown."""

    id: int
    licence_id: int
    key: str | None
    shipment_ref: str | None
    shipment_date: dt.date
    destination: str
    value: Decimal
    currency: str | None
    quantity: Decimal
    unit: str | None
    actor: str
    at: str
    audit_seq: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (decimals as strings)."""
        return {
            "id": self.id,
            "licence": self.licence_id,
            "key": self.key,
            "shipment_ref": self.shipment_ref,
            "shipment_date": self.shipment_date.isoformat(),
            "destination": self.destination,
            "value": str(self.value),
            "currency": self.currency,
            "quantity": str(self.quantity),
            "unit": self.unit,
            "actor": self.actor,
            "at": self.at,
            "audit_seq": self.audit_seq,
        }


@dataclass(frozen=True, slots=True)
class DrawOutcome:
    """A drawdown, the licence after it, warnings, and whether it repeats an earlier request with the same key."""

    drawdown: Drawdown
    licence: Licence
    warnings: tuple[str, ...]
    repeated: bool


def licence_etag(licence: Licence) -> str:
    """The entity tag of a licence's current state (terms, status, used and left): changes whenever any of it does."""
    return '"' + hashlib.sha256(canonical_text(licence_dict(licence)).encode()).hexdigest()[:32] + '"'


def licence_dict(licence: Licence) -> dict[str, Any]:
    """A licence as plain data: terms, status, used and left."""
    left_value, left_quantity = licence.value_left, licence.quantity_left
    return {
        "id": licence.id,
        **licence.terms.model_dump(mode="json"),
        "status": licence.status,
        "value_used": str(licence.value_used),
        "quantity_used": str(licence.quantity_used),
        "value_left": None if left_value is None else str(left_value),
        "quantity_left": None if left_quantity is None else str(left_quantity),
    }


def _licence(row: Any) -> Licence:
    """A licence from its ORM row or a plain result row (same attribute names)."""
    terms = LicenceTerms.model_construct(
        regime=row.regime,
        licence_type=row.licence_type,
        number=row.number,
        authority=row.authority,
        holder=row.holder,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        destinations=tuple(row.destinations),
        control_entries=tuple(row.control_entries),
        counterparties=tuple(row.counterparties),
        value_limit=row.value_limit,
        currency=row.currency,
        quantity_limit=row.quantity_limit,
        unit=row.unit,
        conditions=tuple(row.conditions),
    )
    status: Any = row.status
    return Licence(id=row.id, terms=terms, status=status, value_used=row.value_used, quantity_used=row.quantity_used)


def _drawdown(row: DrawdownRow) -> Drawdown:
    return Drawdown(
        row.id,
        row.licence_id,
        row.key,
        row.shipment_ref,
        row.shipment_date,
        row.destination,
        row.value,
        row.currency,
        row.quantity,
        row.unit,
        row.actor,
        row.at,
        row.audit_seq,
    )


class LicenceRegister:
    """Held licences and their drawdowns in one database; every change is audited in the same transaction."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def add(self, terms: LicenceTerms, actor: str, regulations: Mapping[str, Regulations]) -> Licence:
        """Register a held licence whose regime and licence type are those of a loaded pack (``InputError``
        otherwise, see :func:`clearance.licences.check_terms`); :class:`ConflictError` if its regime and number
        are already registered."""
        check_terms(terms, regulations)
        now = self.db.now()
        row = LicenceRow(
            **terms.model_dump(
                mode="python", exclude={"destinations", "control_entries", "counterparties", "conditions"}
            ),
            destinations=list(terms.destinations),
            control_entries=list(terms.control_entries),
            counterparties=list(terms.counterparties),
            conditions=list(terms.conditions),
            status="active",
            value_used=Decimal(0),
            quantity_used=Decimal(0),
            created_at=now,
            updated_at=now,
        )
        try:
            with self.db.write() as session:
                session.add(row)
                session.flush()
                licence = _licence(row)
                self.audit.append(
                    session,
                    kind="licence.created",
                    actor=actor,
                    subject=f"licence:{licence.id}",
                    inputs=terms.model_dump(mode="json"),
                    outputs=licence_dict(licence),
                )
        except IntegrityError:
            raise ConflictError(f"licence {terms.number!r} ({terms.regime}) is already registered") from None
        return licence

    def get(self, licence_id: int) -> Licence:
        """Licence ``licence_id``, or :class:`NotFoundError`."""
        with self.db.read() as session:
            return _licence(self._row(session, licence_id))

    @staticmethod
    def _row(session: Session, licence_id: int, lock: bool = False) -> LicenceRow:
        stmt = select(LicenceRow).where(LicenceRow.id == licence_id)
        row = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"licence {licence_id} does not exist")
        return row

    def page(
        self, after: int = 0, limit: int = 50, regime: str | None = None, status: str | None = None
    ) -> tuple[list[Licence], int | None]:
        """Licences after id ``after`` (optionally of one regime or status), and the next cursor."""
        stmt = select(LicenceRow).where(LicenceRow.id > after)
        if regime:
            stmt = stmt.where(LicenceRow.regime == regime)
        if status:
            stmt = stmt.where(LicenceRow.status == status)
        with self.db.read() as session:
            rows = session.execute(stmt.order_by(LicenceRow.id).limit(limit + 1)).scalars().all()
            found = [_licence(row) for row in rows[:limit]]
        return found, (found[-1].id if len(rows) > limit else None)

    def all(self) -> list[Licence]:
        """Every licence registered, by id (whatever its status now)."""
        with self.db.read() as session:
            return [_licence(row) for row in session.execute(select(LicenceRow).order_by(LicenceRow.id)).scalars()]

    def in_force(self, session: Session, regime: str, on: dt.date) -> list[Licence]:
        """Active licences of ``regime`` valid on ``on`` (inside the caller's transaction)."""
        table = cast(Table, LicenceRow.__table__)
        stmt = select(table).where(
            table.c.regime == regime, table.c.status == "active", table.c.valid_from <= on, table.c.valid_to >= on
        )
        return [_licence(row) for row in session.connection().execute(stmt.order_by(table.c.id))]

    def expiring(self, today: dt.date, within_days: int = rules.EXPIRY_WARNING_DAYS) -> list[Licence]:
        """Active licences expiring within ``within_days`` of ``today``, soonest first."""
        stmt = select(LicenceRow).where(
            LicenceRow.status == "active",
            LicenceRow.valid_to >= today,
            LicenceRow.valid_to <= today + dt.timedelta(days=within_days),
        )
        with self.db.read() as session:
            return rules.expiring([_licence(r) for r in session.execute(stmt).scalars()], today, within_days)

    def amend(self, licence_id: int, amendment: LicenceAmendment, actor: str, if_match: str | None = None) -> Licence:
        """Change a licence's validity, limits, conditions or status; audited with the reason. With ``if_match``
        (a :func:`licence_etag`), only if the licence is still in that state (else :class:`PreconditionFailedError`)."""
        with self.db.write() as session:
            row = self._row(session, licence_id, lock=True)
            if if_match is not None and if_match not in ("*", licence_etag(_licence(row))):
                raise PreconditionFailedError(
                    f"licence {licence_id} has changed since {if_match} was read: read it again (its ETag) and retry"
                )
            before = licence_dict(_licence(row))
            if amendment.valid_to is not None:
                if amendment.valid_to < row.valid_from:
                    raise InputError("valid_to", f"{amendment.valid_to} is before valid_from {row.valid_from}")
                row.valid_to = amendment.valid_to
            for field, used, unit in (
                ("value_limit", row.value_used, row.currency),
                ("quantity_limit", row.quantity_used, row.unit),
            ):
                limit = getattr(amendment, field)
                if limit is None:
                    continue
                if unit is None:
                    raise InputError(field, f"the licence has no {field}; register a new licence to add one")
                if limit < used:
                    raise InputError(field, f"{limit} is below the {used} already drawn")
                setattr(row, field, limit)
            if amendment.conditions is not None:
                row.conditions = list(amendment.conditions)
            if amendment.status is not None:
                row.status = amendment.status
            row.updated_at = self.db.now()
            session.flush()
            licence = _licence(row)
            self.audit.append(
                session,
                kind="licence.amended",
                actor=actor,
                subject=f"licence:{licence_id}",
                inputs=amendment.model_dump(mode="json", exclude_none=True),
                outputs={"before": before, "after": licence_dict(licence)},
            )
            return licence

    def draw(
        self, licence_id: int, request: DrawRequest, determination: Determination | None, actor: str
    ) -> DrawOutcome:
        """Draw a shipment down against a licence, atomically: the licence row is locked, the rules checked
        (:func:`clearance.licences.draw`), balances updated, the drawdown and its audit record written, in one
        transaction. A request repeating an earlier ``key`` returns the earlier drawdown; with other content,
        :class:`ConflictError`."""
        body = canonical_text(request.model_dump(mode="json"))
        with self.db.write() as session:
            row = self._row(session, licence_id, lock=True)
            if request.key is not None:
                stmt = select(DrawdownRow).where(DrawdownRow.licence_id == licence_id, DrawdownRow.key == request.key)
                earlier = session.execute(stmt).scalar_one_or_none()
                if earlier is not None:
                    if earlier.request != body:
                        raise ConflictError(f"drawdown key {request.key!r} was already used for another shipment")
                    return DrawOutcome(_drawdown(earlier), _licence(row), (), True)
            drawn = rules.draw(_licence(row), request.shipment, determination, request.quantity, request.unit)
            row.value_used = drawn.licence.value_used
            row.quantity_used = drawn.licence.quantity_used
            row.updated_at = self.db.now()
            shipment = request.shipment
            entry = self.audit.append(
                session,
                kind="drawdown",
                actor=actor,
                subject=f"licence:{licence_id}",
                inputs=orjson.loads(body),
                outputs={
                    "value": str(drawn.value),
                    "quantity": str(drawn.quantity),
                    "licence": licence_dict(drawn.licence),
                },
                data_version=determination.data_version if determination else None,
                key=None if request.key is None else f"drawdown:{licence_id}:{request.key}",
            )
            drawdown = DrawdownRow(
                licence_id=licence_id,
                key=request.key,
                request=body,
                shipment_ref=subject_of(shipment.ref),
                shipment_date=shipment.date,
                destination=shipment.destination,
                value=drawn.value,
                currency=shipment.item.currency if drawn.value else None,
                quantity=drawn.quantity,
                unit=request.unit if drawn.quantity else None,
                actor=actor,
                at=entry.at,
                audit_seq=entry.seq,
            )
            session.add(drawdown)
            session.flush()
            return DrawOutcome(_drawdown(drawdown), drawn.licence, drawn.warnings, False)

    def drawdowns(self, licence_id: int, after: int = 0, limit: int = 50) -> tuple[list[Drawdown], int | None]:
        """The drawdowns of a licence, oldest first, and the next cursor."""
        with self.db.read() as session:
            self._row(session, licence_id)
            stmt = select(DrawdownRow).where(DrawdownRow.licence_id == licence_id, DrawdownRow.id > after)
            rows = session.execute(stmt.order_by(DrawdownRow.id).limit(limit + 1)).scalars().all()
            found = [_drawdown(row) for row in rows[:limit]]
        return found, (found[-1].id if len(rows) > limit else None)
