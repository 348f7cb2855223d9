"""Web sessions: a signed, HttpOnly cookie naming a session kept in the database, never the key.

Before signing in, the cookie holds only a CSRF token (for the sign-in form). Signing in opens a session in the
store (:class:`clearance.store.WebSessions`): the cookie then holds its random token, and the key and CSRF token
stay on the server. Signing out deletes the session, so a copied cookie is dead from then on; so is every session
of a revoked key, and every session after :data:`MAX_AGE`. The cookie is also signed with itsdangerous
(HMAC-SHA1 over a timestamped payload), so forged cookies are turned away without a database lookup. Every form
carries the session's CSRF token, checked on each POST (the cookie is also ``SameSite=Lax``).
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from clearance.settings import Settings
from clearance.store import ApiKey, Store

COOKIE = "clearance_session"
#: Seconds a session lasts after signing in.
MAX_AGE = 8 * 3600
_SALT = "clearance.web.session"


@dataclass(frozen=True, slots=True)
class Session:
    """A browser session: its CSRF token; once signed in, the key and the token of its server-side record;
    ``changed`` when the cookie must be set again."""

    csrf: str
    key: ApiKey | None = None
    token: str | None = None
    changed: bool = False

    @classmethod
    def anonymous(cls) -> Session:
        """A new session before sign-in, with a new CSRF token."""
        return cls(secrets.token_urlsafe(24), changed=True)

    def checks(self, token: object) -> bool:
        """Whether a submitted CSRF token is this session's."""
        return isinstance(token, str) and hmac.compare_digest(token.encode(), self.csrf.encode())


def secret(settings: Settings) -> str:
    """The signing secret: the configured one, else one kept (mode 0600) in the data folder."""
    if settings.session_secret:
        return settings.session_secret
    path = settings.data_dir / "session.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".session.key.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # whole or not at all; workers starting together keep the first one's
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()


class Sessions:
    """Reads and writes session cookies with one serializer; signed-in sessions live in ``store``."""

    def __init__(self, signing_secret: str, store: Store) -> None:
        self._serializer = URLSafeTimedSerializer(signing_secret, salt=_SALT)
        self._store = store

    def load(self, request: Request) -> Session:
        """The request's session: anonymous (a new one if the cookie is missing, forged or expired, or names a
        session that was signed out, expired or whose key was revoked) or signed in."""
        raw = request.cookies.get(COOKIE)
        data = None
        if raw:
            try:
                data = self._serializer.loads(raw, max_age=MAX_AGE)
            except BadSignature:
                data = None
        if isinstance(data, dict) and isinstance(data.get("t"), str):
            found = self._store.web_sessions.find(data["t"])
            if found is not None:
                return Session(found.csrf, found.key, found.token)
        elif isinstance(data, dict) and isinstance(data.get("c"), str):
            return Session(data["c"])
        return Session.anonymous()

    def sign_in(self, session: Session, key: ApiKey) -> Session:
        """A new signed-in session for ``key`` (the one it replaces, if signed in, is ended)."""
        self.sign_out(session)
        opened = self._store.web_sessions.open(key, dt.timedelta(seconds=MAX_AGE))
        return Session(opened.csrf, key, opened.token, changed=True)

    def sign_out(self, session: Session) -> Session:
        """End ``session`` on the server; a new anonymous session."""
        if session.token is not None:
            self._store.web_sessions.close(session.token)
        return Session.anonymous()

    def store(self, response: Response, session: Session, request: Request) -> None:
        """Set the cookie (when the session is new or changed): the session's token, or its CSRF token before
        sign-in."""
        if not session.changed:
            return
        value = self._serializer.dumps({"t": session.token} if session.token else {"c": session.csrf})
        response.set_cookie(
            COOKIE,
            value,
            max_age=MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
