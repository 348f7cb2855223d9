"""Which database: ``CLEARANCE_DATABASE_URL``, or a SQLite file under the user's data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from clearance.errors import StoreError

ENV = "CLEARANCE_DATABASE_URL"


def default_path() -> Path:
    """The default SQLite file: ``clearance.db`` in the user's data directory (created on first use)."""
    return Path(user_data_dir("clearance", appauthor=False)) / "clearance.db"


def database_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """The database to use: ``url`` if given, else ``$CLEARANCE_DATABASE_URL``, else the default SQLite file.

    ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver."""
    env = os.environ if environ is None else environ
    text = url or env.get(ENV) or f"sqlite:///{default_path()}"
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
