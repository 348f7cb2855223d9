"""Answers kept under an ``Idempotency-Key``: a successful answer is remembered for a while, per caller, so that
a repeat of the same request is answered the same way instead of being recorded again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from clearance.store.database import Database, timestamp
from clearance.store.tables import IdempotencyRow


@dataclass(frozen=True, slots=True)
class Answer:
    """A remembered answer: the SHA-256 ``fingerprint`` of the request, and the response's status, headers
    and body."""

    fingerprint: str
    status: int
    headers: dict[str, str]
    body: bytes


class IdempotencyKeys:
    """The answers remembered in one database, each under its caller (``owner``) and key."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _since(self, retention: dt.timedelta) -> str:
        return timestamp(self.db.clock() - retention)

    def recall(self, owner: str, key: str, retention: dt.timedelta) -> Answer | None:
        """The answer remembered under ``key`` for ``owner`` within ``retention``, if any."""
        stmt = select(IdempotencyRow).where(
            IdempotencyRow.owner == owner,
            IdempotencyRow.key == key,
            IdempotencyRow.created_at >= self._since(retention),
        )
        with self.db.read() as session:
            row = session.execute(stmt).scalar_one_or_none()
            return None if row is None else Answer(row.fingerprint, row.status, dict(row.headers), row.body)

    def remember(self, owner: str, key: str, answer: Answer, retention: dt.timedelta) -> None:
        """Keep ``answer`` under ``key`` for ``owner`` (answers older than ``retention`` are cleared out on the way,
        and one of them under the same key is replaced)."""
        with self.db.write() as session:
            session.execute(delete(IdempotencyRow).where(IdempotencyRow.created_at < self._since(retention)))
            session.merge(
                IdempotencyRow(
                    owner=owner,
                    key=key,
                    fingerprint=answer.fingerprint,
                    status=answer.status,
                    headers=answer.headers,
                    body=answer.body,
                    created_at=self.db.now(),
                )
            )
