"""Classifications (該非判定) kept in the database: each assessment recorded with its request, approved by a second
person (four eyes), every step in the audit trail. The store keeps what the classification library produced; it
computes nothing itself."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select

from clearance.audit.canonical import canonical_text
from clearance.errors import ConflictError, NotFoundError, PermissionDeniedError
from clearance.store.audit_log import AuditLog
from clearance.store.database import Database
from clearance.store.tables import ClassificationRow


@dataclass(frozen=True, slots=True)
class StoredClassification:
    """A recorded classification: the assessment and its request, its verdict, entry and catch-all part, and who
    classified and approved it (``approved_by`` is None while it is a draft)."""

    id: str
    part_number: str
    regime: str
    assessed_on: dt.date
    verdict: str
    entry: str | None
    catch_all: str | None
    data_version: str
    request: dict[str, Any]
    assessment: dict[str, Any]
    classified_by: str
    classified_at: str
    approved_by: str | None
    approved_at: str | None
    audit_seq: int

    @property
    def approved(self) -> bool:
        """Whether a second person approved it."""
        return self.approved_by is not None

    def signatures(self) -> dict[str, Any]:
        """Its identity and signatures (what the certificate prints)."""
        return {
            "id": self.id,
            "part_number": self.part_number,
            "classified_by": self.classified_by,
            "classified_at": self.classified_at,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
        }


def _stored(row: ClassificationRow) -> StoredClassification:
    return StoredClassification(
        row.id,
        row.part_number,
        row.regime,
        row.assessed_on,
        row.verdict,
        row.entry,
        row.catch_all,
        row.data_version,
        orjson.loads(row.request),
        orjson.loads(row.assessment),
        row.classified_by,
        row.classified_at,
        row.approved_by,
        row.approved_at,
        row.audit_seq,
    )


def _summary(assessment: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "verdict": assessment["verdict"],
        "entries": {e["ref"]: e["verdict"] for e in assessment["entries"]},
        "catch_all": assessment["catch_all"],
    }


class Classifications:
    """The classifications of one database."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def record(
        self, request: Mapping[str, Any], assessment: Mapping[str, Any], part_number: str, actor: str
    ) -> StoredClassification:
        """Record an assessment of ``part_number`` (a draft until approved), audited as ``classification.recorded``."""
        cid = f"C{dt.date.today():%Y%m%d}-{secrets.token_hex(4).upper()}"
        listed = [e["ref"] for e in assessment["entries"] if e["verdict"] == "listed"]
        with self.db.write() as session:
            entry = self.audit.append(
                session,
                kind="classification.recorded",
                actor=actor,
                subject=part_number,
                inputs=dict(request),
                outputs={"id": cid, **_summary(assessment)},
                data_version=assessment["data_version"],
            )
            row = ClassificationRow(
                id=cid,
                part_number=part_number,
                regime=assessment["regime"],
                assessed_on=dt.date.fromisoformat(assessment["date"]),
                verdict=assessment["verdict"],
                entry=listed[0] if listed else None,
                catch_all=assessment["catch_all"],
                data_version=assessment["data_version"],
                request=canonical_text(dict(request)),
                assessment=canonical_text(dict(assessment)),
                classified_by=actor,
                classified_at=entry.at,
                approved_by=None,
                approved_at=None,
                audit_seq=entry.seq,
            )
            session.add(row)
            session.flush()
            return _stored(row)

    def approve(self, cid: str, actor: str) -> StoredClassification:
        """Approve a draft: by someone other than who classified it, and only a decided one (listed or not
        listed). Audited as ``classification.approved``."""
        with self.db.write() as session:
            row = session.get(ClassificationRow, cid)
            if row is None:
                raise NotFoundError(f"no classification {cid!r}")
            if row.approved_by is not None:
                raise ConflictError(f"classification {cid} was approved by {row.approved_by} at {row.approved_at}")
            if row.classified_by == actor:
                raise PermissionDeniedError(f"{actor} classified {cid}: a second person must approve it")
            if row.verdict == "undecided":
                raise ConflictError(f"classification {cid} is undecided: answer its open questions and assess again")
            entry = self.audit.append(
                session,
                kind="classification.approved",
                actor=actor,
                subject=row.part_number,
                inputs={"id": cid},
                outputs={"id": cid, "verdict": row.verdict, "entry": row.entry, "catch_all": row.catch_all},
                data_version=row.data_version,
            )
            row.approved_by, row.approved_at = actor, entry.at
            session.flush()
            return _stored(row)

    def get(self, cid: str) -> StoredClassification:
        """One classification; :class:`NotFoundError` if there is none."""
        with self.db.read() as session:
            row = session.get(ClassificationRow, cid)
            if row is None:
                raise NotFoundError(f"no classification {cid!r}")
            return _stored(row)

    def find(self, part_number: str | None = None, approved_only: bool = False) -> list[StoredClassification]:
        """Classifications, newest first (of one part number, or approved ones only, when asked)."""
        stmt = select(ClassificationRow).order_by(ClassificationRow.classified_at.desc(), ClassificationRow.id)
        if part_number is not None:
            stmt = stmt.where(ClassificationRow.part_number == part_number)
        if approved_only:
            stmt = stmt.where(ClassificationRow.approved_by.is_not(None))
        with self.db.read() as session:
            return [_stored(row) for row in session.scalars(stmt)]

    def current(self) -> list[StoredClassification]:
        """The newest approved classification of each part number and regime."""
        seen: set[tuple[str, str]] = set()
        out = []
        for c in self.find(approved_only=True):
            if (c.part_number, c.regime) not in seen:
                seen.add((c.part_number, c.regime))
                out.append(c)
        return out
