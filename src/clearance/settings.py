"""The one configuration of clearance: every setting, its ``CLEARANCE_*`` environment variable and its default.

An edge reads it once (``clearance serve`` from its options and the environment, a CLI command that opens the
store, the app factory of a server's workers) and passes it down; nothing below the edges reads the environment.

- ``CLEARANCE_DATABASE_URL``: the database, a SQLite or PostgreSQL URL (default: ``clearance.db`` in the data
  folder).
- ``CLEARANCE_DATA_DIR``: the data folder, for the default database, the demo database and the web session key
  (default: the user data folder, e.g. ``~/.local/share/clearance``).
- ``CLEARANCE_CACHE_DIR``: where built screening indexes, screening results, the parsed regulation packs and the
  keys' answers of ``determine --batch`` (:mod:`clearance.engine.kept`) are kept (default:
  ``cache`` in ``CLEARANCE_DATA_DIR`` when that is set, else the user cache folder, e.g. ``~/.cache/clearance``).
- ``CLEARANCE_MAX_BODY_BYTES`` (1 MiB), ``CLEARANCE_MAX_BATCH`` (1000): request limits (beyond them: 413).
- ``CLEARANCE_IDEMPOTENCY_HOURS`` (24): how long the answer to a request sent with an ``Idempotency-Key`` is
  kept to answer a repeat with.
- ``CLEARANCE_KEY_CACHE_SECONDS`` (5): how long a verified API key is trusted before it is looked up again.
- ``CLEARANCE_SESSION_SECRET``: signs the web session cookies; set it when several hosts serve (default: a
  secret kept in ``session.key`` in the data folder).
- ``CLEARANCE_CATALOGUE``, ``CLEARANCE_PORTFOLIO``: the product catalogue ``{"product": PART}`` items resolve
  against, and the portfolio folder impact runs use (default: none).
- ``CLEARANCE_DEMO``: demo mode, one-click sign-in with the demo keys (default: off).

An empty variable counts as unset.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "CLEARANCE_"


def _data_dir() -> Path:
    return Path(user_data_dir("clearance", appauthor=False))


class Settings(BaseSettings):
    """What clearance is configured with (defaults suit one team on one machine); keyword arguments win over
    the ``CLEARANCE_*`` environment variables, which win over the defaults."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True, frozen=True, extra="forbid")

    database_url: str | None = None
    data_dir: Path = Field(default_factory=_data_dir)
    cache_dir: Path | None = None
    #: Largest request body accepted, in bytes (larger: 413).
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    #: Most shipments in one batch request (more: 413).
    max_batch: int = Field(default=1000, ge=1)
    #: How long the answer to a request sent with an ``Idempotency-Key`` answers its repeats, in hours.
    idempotency_hours: float = Field(default=24.0, gt=0)
    #: How long a verified API key is trusted before it is looked up again (0: every request). A key revoked
    #: through the API stops at once on the server that revoked it; elsewhere within this many seconds.
    key_cache_seconds: float = Field(default=5.0, ge=0)
    #: Signs the web sessions' cookies (default: a secret kept in the data folder, see
    #: :func:`clearance.web.session.secret`); set it when several hosts serve.
    session_secret: str | None = None
    #: The product catalogue (CSV or XLSX) the web form offers and ``{"product": PART}`` items resolve against.
    catalogue: str | None = None
    #: The portfolio folder impact runs use (catalogue, customers, orders; see docs/impact.md).
    portfolio: str | None = None
    #: Demo mode: the sign-in page offers one-click sign-in with the demo keys (``clearance serve --demo``).
    demo: bool = False

    @property
    def index_cache(self) -> Path:
        """Where built screening indexes and the parsed packs are kept (see the module's table)."""
        if self.cache_dir is not None:
            return self.cache_dir
        if "data_dir" in self.model_fields_set:
            return self.data_dir / "cache"
        return Path(user_cache_dir("clearance", appauthor=False))

    @property
    def database(self) -> str:
        """The database URL: ``database_url``, else the SQLite file ``clearance.db`` in the data folder."""
        return self.database_url or f"sqlite:///{self.data_dir / 'clearance.db'}"

    def environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """``base`` with these settings as its ``CLEARANCE_*`` variables: the environment of a process (a server's
        workers) that is to read the same settings."""
        env = {k: v for k, v in base.items() if not k.startswith(PREFIX)}
        for name, value in self.model_dump(include=self.model_fields_set, exclude_none=True).items():
            env[PREFIX + name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
        return env
