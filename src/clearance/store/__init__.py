"""The only module that touches the database: API keys, the licence register, recorded determinations, screening
hits and reviewer decisions, and the hash-chained audit trail, over SQLAlchemy 2 with Alembic migrations (SQLite
by default, PostgreSQL by URL).

    >>> store = Store()                      # $CLEARANCE_DATABASE_URL or the SQLite file in the user data dir
    >>> store.licences.add(terms, actor="cli:alice")
"""

from __future__ import annotations

from sqlalchemy.engine import URL

from clearance.store.audit_log import KINDS, AuditLog, Query, record_dict
from clearance.store.database import Clock, Database, utcnow
from clearance.store.determinations import BatchError, DeterminationLog, Recorded
from clearance.store.keys import ROLES, ApiKey, KeyRing, Role
from clearance.store.register import Drawdown, DrawOutcome, LicenceRegister, licence_dict
from clearance.store.screening_queue import Screened, ScreeningQueue, StoredDecision, StoredHit
from clearance.store.url import ENV, database_url, default_path, redact


class Store:
    """Everything the service keeps, over one :class:`Database` (migrated to the newest schema on opening)."""

    def __init__(self, url: str | URL | None = None, *, clock: Clock = utcnow, migrate: bool = True) -> None:
        self.db = Database(url, clock=clock, migrate=migrate)
        self.audit = AuditLog(self.db)
        self.keys = KeyRing(self.db, self.audit)
        self.licences = LicenceRegister(self.db, self.audit)
        self.determinations = DeterminationLog(self.db, self.audit, self.licences)
        self.screening = ScreeningQueue(self.db, self.audit)

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()


__all__ = [
    "ENV",
    "KINDS",
    "ROLES",
    "ApiKey",
    "AuditLog",
    "BatchError",
    "Clock",
    "Database",
    "DeterminationLog",
    "DrawOutcome",
    "Drawdown",
    "KeyRing",
    "LicenceRegister",
    "Query",
    "Recorded",
    "Role",
    "Screened",
    "ScreeningQueue",
    "Store",
    "StoredDecision",
    "StoredHit",
    "database_url",
    "default_path",
    "licence_dict",
    "record_dict",
    "redact",
]
