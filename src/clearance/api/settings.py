"""Service settings: the database, request limits, the API-key cache, and what the web pages use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    """What the HTTP service is configured with (defaults suit one team on one machine)."""

    database_url: str | None = None
    #: Largest request body accepted, in bytes (larger: 413).
    max_body_bytes: int = 1_048_576
    #: Most shipments in one batch request (more: 413).
    max_batch: int = 1000
    #: How long a verified API key is trusted before it is looked up again (0: every request). A key revoked
    #: through the API stops at once on the server that revoked it; elsewhere within this many seconds.
    key_cache_seconds: float = 5.0
    #: Signs the web sessions' cookies (default: a secret kept in the user data directory, see
    #: :func:`clearance.web.session.secret`); set ``CLEARANCE_SESSION_SECRET`` when several hosts serve.
    session_secret: str | None = None
    #: The product catalogue (CSV or XLSX) the web form offers and ``{"product": PART}`` items resolve against.
    catalogue: str | None = None
    #: The portfolio folder impact runs use (catalogue, customers, orders; see docs/impact.md).
    portfolio: str | None = None
    #: Demo mode: the sign-in page offers one-click sign-in with the demo keys (``clearance serve --demo``).
    demo: bool = False
