"""The only module that touches the database: API keys, web sessions, the licence register, recorded
determinations, imported screening lists, screening hits and reviewer decisions, and the hash-chained audit trail,
over SQLAlchemy 2 with Alembic migrations (SQLite by default, PostgreSQL by URL).

    >>> store = Store(settings=Settings())   # $CLEARANCE_DATABASE_URL, else the SQLite file in the data folder
    >>> store.licences.add(terms, actor="cli:alice")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import URL

from clearance.settings import Settings
from clearance.store.audit_log import KINDS, AuditLog, Query, record_dict
from clearance.store.classifications import Classifications, StoredClassification
from clearance.store.database import Clock, Database, utcnow
from clearance.store.determinations import DeterminationLog, Recorded
from clearance.store.idempotency import IdempotencyKeys
from clearance.store.keys import ROLES, ApiKey, KeyRing, Role
from clearance.store.orders import OrderBook, StoredOrder
from clearance.store.register import Drawdown, DrawOutcome, LicenceRegister, licence_dict
from clearance.store.screening_lists import Imported, ScreeningLists
from clearance.store.screening_queue import ScreeningQueue
from clearance.store.screening_records import Screened, StoredDecision, StoredHit
from clearance.store.url import ENV, database_url, redact
from clearance.store.web_sessions import WebSession, WebSessions


class Store:
    """Everything the service keeps, over one :class:`Database` (migrated to the newest schema on opening).

    Screening uses the newest imported version of each list, else the bundled snapshot: ``bundled_lists`` limits
    which snapshots (default: all), ``cache_dir`` is where built indexes are pickled. Without ``url`` or
    ``cache_dir``, ``settings`` say (default: :class:`~clearance.settings.Settings` read from the environment)."""

    def __init__(
        self,
        url: str | URL | None = None,
        *,
        clock: Clock = utcnow,
        migrate: bool = True,
        bundled_lists: Sequence[str] | None = None,
        cache_dir: Path | None = None,
        settings: Settings | None = None,
    ) -> None:
        if url is None or cache_dir is None:
            settings = settings or Settings()
            url, cache_dir = url or settings.database, cache_dir or settings.index_cache
        self.db = Database(url, clock=clock, migrate=migrate)
        self.audit = AuditLog(self.db)
        self.keys = KeyRing(self.db, self.audit)
        self.web_sessions = WebSessions(self.db)
        self.licences = LicenceRegister(self.db, self.audit)
        self.lists = ScreeningLists(self.db, self.audit, bundled_lists, cache_dir)
        self.determinations = DeterminationLog(self.db, self.audit, self.licences, self.lists)
        self.screening = ScreeningQueue(self.db, self.audit, self.lists)
        self.classifications = Classifications(self.db, self.audit)
        self.orders = OrderBook(self.db, self.audit, self.licences, self.lists, self.screening)
        self.idempotency = IdempotencyKeys(self.db)

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()


__all__ = [
    "ENV",
    "KINDS",
    "ROLES",
    "ApiKey",
    "AuditLog",
    "Classifications",
    "Clock",
    "Database",
    "DeterminationLog",
    "DrawOutcome",
    "Drawdown",
    "IdempotencyKeys",
    "Imported",
    "KeyRing",
    "LicenceRegister",
    "OrderBook",
    "Query",
    "Recorded",
    "Role",
    "Screened",
    "ScreeningLists",
    "ScreeningQueue",
    "Store",
    "StoredClassification",
    "StoredDecision",
    "StoredHit",
    "StoredOrder",
    "WebSession",
    "WebSessions",
    "database_url",
    "licence_dict",
    "record_dict",
    "redact",
]
