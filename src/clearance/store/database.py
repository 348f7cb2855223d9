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

from alembic.util import CommandError
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
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
        folder = Path(url.database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{redact(url)}: cannot create its folder {folder}: {exc.strerror}") from exc
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

    def __init__(self, url: str | URL, *, clock: Clock = utcnow, migrate: bool = True) -> None:
        self.url = url if isinstance(url, URL) else database_url(url)
        self.clock = clock
        with self._guard():
            self.engine = make_engine(self.url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(clearance_write=True), expire_on_commit=False)
        # SQLite has one writer at a time; threads of this process queue here instead of in SQLite's busy
        # handler, which sleeps and polls. Other processes still wait through busy_timeout.
        self._writer: AbstractContextManager[Any] = (
            threading.Lock() if self.url.drivername.startswith("sqlite") else nullcontext()
        )
        if migrate:
            self.migrate()

    def migrate(self, revision: str = "head") -> str | None:
        """Migrate the schema to ``revision`` (default: the newest); the revision it is at afterwards."""
        from clearance.store.migrate import upgrade

        with self._guard():
            return upgrade(self.engine, revision)

    def revision(self) -> str | None:
        """The schema revision the database is at (None before its first migration)."""
        from clearance.store.migrate import current

        with self._guard():
            return current(self.engine)

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
        """Database failures (unreachable, unreadable, corrupted, an unknown schema) as one-line StoreErrors
        naming the database."""
        try:
            yield
        except IntegrityError:
            raise  # the caller turns a constraint violation into a ConflictError
        except DBAPIError as exc:
            raise StoreError(self._problem(str(exc.orig) or type(exc.orig).__name__)) from exc
        except SQLAlchemyError as exc:
            raise StoreError(self._problem(str(exc))) from exc
        except CommandError as exc:
            raise StoreError(self._problem(f"cannot migrate the schema: {exc}")) from exc

    def _problem(self, text: str) -> str:
        """One line: the database (never its password) and the problem (SQLAlchemy's background links dropped)."""
        first = text.split("(Background on this error")[0]
        return f"{redact(self.url)}: {' '.join(first.split())}"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
