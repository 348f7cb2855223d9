"""Web sessions kept in the database: opened at sign-in, deleted at sign-out, dead once their API key is revoked
or their time is up. The browser holds a random token; only its SHA-256 is stored (as for API keys)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select

from clearance.store.database import Database, timestamp
from clearance.store.keys import ApiKey, digest, key_of
from clearance.store.tables import ApiKeyRow, WebSessionRow


@dataclass(frozen=True, slots=True)
class WebSession:
    """A live session: the token the browser holds, the key it was opened with and its CSRF token."""

    token: str
    key: ApiKey
    csrf: str


class WebSessions:
    """The signed-in sessions of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open(self, key: ApiKey, lifetime: dt.timedelta) -> WebSession:
        """A new session for ``key`` lasting ``lifetime`` (expired sessions are cleared out on the way)."""
        now = self.db.clock()
        opened = WebSession(secrets.token_urlsafe(32), key, secrets.token_urlsafe(24))
        with self.db.write() as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= timestamp(now)))
            session.add(
                WebSessionRow(
                    token_hash=digest(opened.token),
                    key_id=key.key_id,
                    csrf=opened.csrf,
                    created_at=timestamp(now),
                    expires_at=timestamp(now + lifetime),
                )
            )
        return opened

    def find(self, token: str) -> WebSession | None:
        """The session behind ``token`` if it is open, unexpired and its key is not revoked; else None."""
        stmt = (
            select(WebSessionRow, ApiKeyRow)
            .join(ApiKeyRow, ApiKeyRow.key_id == WebSessionRow.key_id)
            .where(
                WebSessionRow.token_hash == digest(token),
                WebSessionRow.expires_at > self.db.now(),
                ApiKeyRow.revoked_at.is_(None),
            )
        )
        with self.db.read() as session:
            found = session.execute(stmt).first()
            if found is None:
                return None
            row, key_row = found
            return WebSession(token, key_of(key_row), row.csrf)

    def close(self, token: str) -> None:
        """End the session behind ``token`` (signing out; nothing happens if it is already gone)."""
        with self.db.write() as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == digest(token)))
