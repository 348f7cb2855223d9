"""Web sessions: a signed, HttpOnly cookie holding the signed-in key's id (never the key) and a CSRF token.

The cookie is signed with itsdangerous (HMAC-SHA1 over a timestamped payload) and expires after
:data:`MAX_AGE`; a session whose key was revoked ends on the next request. Every form carries the session's
CSRF token, checked on each POST (the cookie is also ``SameSite=Lax``).
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from platformdirs import user_data_dir
from starlette.requests import Request
from starlette.responses import Response

from clearance.api.settings import Settings

COOKIE = "clearance_session"
#: Seconds a session lasts after signing in.
MAX_AGE = 8 * 3600
_SALT = "clearance.web.session"


@dataclass(frozen=True, slots=True)
class Session:
    """A browser session: the key id once signed in (None before), its CSRF token, and whether it changed."""

    key_id: str | None
    csrf: str
    changed: bool = False

    @classmethod
    def fresh(cls, key_id: str | None = None) -> Session:
        """A new session with a new CSRF token (signing in or out always starts one)."""
        return cls(key_id, secrets.token_urlsafe(24), changed=True)

    def checks(self, token: object) -> bool:
        """Whether a submitted CSRF token is this session's."""
        return isinstance(token, str) and hmac.compare_digest(token.encode(), self.csrf.encode())


def secret(settings: Settings) -> str:
    """The signing secret: the configured one, else one kept (mode 0600) in the user data directory."""
    if settings.session_secret:
        return settings.session_secret
    path = Path(user_data_dir("clearance", appauthor=False)) / "session.key"
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
    """Reads and writes session cookies with one serializer."""

    def __init__(self, signing_secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(signing_secret, salt=_SALT)

    def load(self, request: Request) -> Session:
        """The request's session (a fresh anonymous one if the cookie is missing, forged or expired)."""
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = self._serializer.loads(raw, max_age=MAX_AGE)
            except BadSignature:
                data = None
            if isinstance(data, dict) and isinstance(data.get("c"), str):
                key_id = data.get("k")
                return Session(key_id if isinstance(key_id, str) else None, data["c"])
        return Session.fresh()

    def store(self, response: Response, session: Session, request: Request) -> None:
        """Set the cookie (when the session is new or changed)."""
        if not session.changed:
            return
        value = self._serializer.dumps({"k": session.key_id, "c": session.csrf})
        response.set_cookie(
            COOKIE,
            value,
            max_age=MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
