"""Which database: a SQLite or PostgreSQL URL, checked (the URL to use comes from the settings,
:attr:`clearance.settings.Settings.database`)."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from clearance.errors import StoreError

#: The variable that names the database (see :mod:`clearance.settings`).
ENV = "CLEARANCE_DATABASE_URL"


def database_url(text: str) -> URL:
    """The database URL ``text``, checked: ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver."""
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise StoreError(f"{ENV}: {text.split('@')[-1]!r} is not a database URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("sqlite", "postgresql")):
        raise StoreError(f"{redact(parsed)}: only SQLite and PostgreSQL databases are supported")
    return parsed


def redact(url: URL) -> str:
    """The URL with any password hidden, for messages and logs."""
    return url.render_as_string(hide_password=True)
