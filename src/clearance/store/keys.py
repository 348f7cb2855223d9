"""API keys: created with a role, stored as a SHA-256 of the key (the key itself is shown once), revoked."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal, get_args

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from clearance.errors import AuthenticationError, InputError, NotFoundError
from clearance.store.audit_log import AuditLog
from clearance.store.database import Database
from clearance.store.tables import ApiKeyRow, WebSessionRow

Role = Literal["viewer", "analyst", "officer", "admin"]
#: Roles from least to most privileged; each includes what the ones before it may do.
ROLES: tuple[Role, ...] = get_args(Role)
PREFIX = "clr"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key's public description (never its secret)."""

    key_id: str
    name: str
    role: Role
    created_at: str
    created_by: str
    revoked_at: str | None
    #: The language its user chose for the web pages, if any.
    language: str | None = None

    @property
    def actor(self) -> str:
        """How the audit trail names requests made with this key."""
        return f"key:{self.key_id}:{self.name}"

    def allows(self, role: Role) -> bool:
        """Whether this key's role includes ``role``."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "key_id": self.key_id,
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "revoked_at": self.revoked_at,
            "language": self.language,
        }


def digest(token: str) -> str:
    """What is stored of a key: the SHA-256 of the whole key (keys are 256-bit random, so no slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_role(role: str) -> Role:
    """``role`` if it is one of :data:`ROLES`, else :class:`InputError` naming ``role``."""
    if role not in ROLES:
        raise InputError("role", f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    return role


def key_of(row: ApiKeyRow) -> ApiKey:
    """The public description of a stored key."""
    return ApiKey(
        row.key_id, row.name, check_role(row.role), row.created_at, row.created_by, row.revoked_at, row.language
    )


class KeyRing:
    """The API keys of one database; creation and revocation are audited."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit

    def create(self, name: str, role: str, actor: str) -> tuple[ApiKey, str]:
        """A new key: its description and the key itself (``clr_<key_id>_<secret>``), which is not kept."""
        checked = check_role(role)
        if not name.strip() or len(name) > 200:
            raise InputError("name", "give a name of 1 to 200 characters saying who or what uses the key")
        for _ in range(3):
            key_id = secrets.token_hex(6)
            token = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
            try:
                with self.db.write() as session:
                    row = ApiKeyRow(
                        key_id=key_id,
                        name=name.strip(),
                        role=checked,
                        secret_hash=digest(token),
                        created_at=self.db.now(),
                        created_by=actor,
                    )
                    session.add(row)
                    session.flush()
                    key = key_of(row)
                    self.audit.append(
                        session,
                        kind="key.created",
                        actor=actor,
                        subject=key_id,
                        inputs={"name": key.name, "role": key.role},
                        outputs=key.to_dict(),
                    )
                return key, token
            except IntegrityError:
                continue  # a key id collision (48 random bits): draw again
        raise InputError("name", "could not allocate a key id; try again")

    def authenticate(self, token: str) -> ApiKey:
        """The live key matching ``token``, or :class:`AuthenticationError`."""
        parts = token.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            raise AuthenticationError("malformed API key (expected clr_<id>_<secret>)")
        with self.db.read() as session:
            row = session.execute(select(ApiKeyRow).where(ApiKeyRow.key_id == parts[1])).scalar_one_or_none()
            if row is None or not hmac.compare_digest(row.secret_hash, digest(token.strip())):
                raise AuthenticationError("unknown API key")
            if row.revoked_at is not None:
                raise AuthenticationError(f"API key {row.key_id} was revoked on {row.revoked_at}")
            return key_of(row)

    def list(self, include_revoked: bool = True) -> list[ApiKey]:
        """Every key, oldest first."""
        stmt = select(ApiKeyRow).order_by(ApiKeyRow.id)
        if not include_revoked:
            stmt = stmt.where(ApiKeyRow.revoked_at.is_(None))
        with self.db.read() as session:
            return [key_of(row) for row in session.execute(stmt).scalars()]

    def choose_language(self, key_id: str, language: str | None) -> None:
        """Remember the language the key's user chose for the web pages (a language code such as ``ja``; None
        forgets the choice, so the browser's language applies again)."""
        if language is not None and not re.fullmatch(r"[a-z]{2,3}", language):
            raise InputError("language", f"expected a language code such as ja, ko or en, got {language!r}")
        with self.db.write() as session:
            row = session.execute(select(ApiKeyRow).where(ApiKeyRow.key_id == key_id)).scalar_one_or_none()
            if row is None:
                raise NotFoundError(f"API key {key_id!r} does not exist")
            row.language = language

    def revoke(self, key_id: str, actor: str) -> ApiKey:
        """Revoke a key (idempotent: revoking a revoked key changes nothing)."""
        with self.db.write() as session:
            row = session.execute(select(ApiKeyRow).where(ApiKeyRow.key_id == key_id)).scalar_one_or_none()
            if row is None:
                raise NotFoundError(f"API key {key_id!r} does not exist")
            if row.revoked_at is None:
                row.revoked_at = self.db.now()
                session.execute(delete(WebSessionRow).where(WebSessionRow.key_id == key_id))  # signed out
                session.flush()
                self.audit.append(
                    session,
                    kind="key.revoked",
                    actor=actor,
                    subject=key_id,
                    inputs={"key_id": key_id},
                    outputs=key_of(row).to_dict(),
                )
            return key_of(row)
