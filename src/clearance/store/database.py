"""The engine and transactions: one :class:`Database` per URL, with write transactions that serialise.

SQLite runs in WAL mode; a write transaction starts with ``BEGIN IMMEDIATE`` so that concurrent writers queue
instead of failing on a lock upgrade. PostgreSQL writers serialise on the rows they lock (``FOR UPDATE``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from clearance.errors import StoreError
from clearance.store.url import database_url, redact

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def timestamp(moment: dt.datetime) -> str:
    """A moment as stored: ISO 8601 in UTC with microseconds and a ``Z`` (sorts as text)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def moment(text: str) -> str:
    """An ISO date or time as a user gives it (one without an offset is UTC), as stored (see :func:`timestamp`),
    so that it compares with stored moments; ``ValueError`` if it is not a real date or time."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)") from None
    return timestamp(value if value.tzinfo else value.replace(tzinfo=dt.UTC))


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, pool_size=20)

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # the driver must not begin transactions itself: we do, below
        cursor = dbapi.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=60000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("clearance_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_engine(url: URL) -> Engine:
    """A pooled engine for a SQLite or PostgreSQL URL."""
    if url.drivername.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True, pool_timeout=60)


class Database:
    """A database: the engine, read and write transactions, and the clock that stamps records."""

    def __init__(self, url: str | URL | None = None, *, clock: Clock = utcnow, migrate: bool = True) -> None:
        self.url = url if isinstance(url, URL) else database_url(url)
        self.clock = clock
        self.engine = make_engine(self.url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(clearance_write=True), expire_on_commit=False)
        # SQLite has one writer at a time; threads of this process queue here instead of in SQLite's busy
        # handler, which sleeps and polls. Other processes still wait through busy_timeout.
        self._writer: AbstractContextManager[Any] = (
            threading.Lock() if self.url.drivername.startswith("sqlite") else nullcontext()
        )
        if migrate:
            from clearance.store.migrate import upgrade

            upgrade(self.engine)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def now(self) -> str:
        """The current time as stored."""
        return timestamp(self.clock())

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (rolled back at the end)."""
        with self._guard(), self._read() as session:
            yield session  # closing the session rolls its transaction back

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._writer, self._guard(), self._write() as session, session.begin():
            yield session

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StoreError(f"{redact(self.url)}: {str(exc.orig).strip() or exc}") from exc
        except IntegrityError:
            raise  # the caller turns a constraint violation into a ConflictError
        except SQLAlchemyError as exc:
            raise StoreError(f"{redact(self.url)}: {exc}") from exc

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
