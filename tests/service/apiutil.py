"""Helpers for the API tests: an app over a fresh store with one key per role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient

from clearance.api import Settings, create_app
from clearance.store import ROLES, Store

#: The bundled list the service tests fall back to (METI's End User List: quick to index).
BUNDLED = ("jp-meti-eul",)


@dataclass
class Service:
    """A test client, the store behind it and a key per role."""

    app: FastAPI
    client: TestClient
    store: Store
    tokens: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        """Authorization headers for a key of ``role``."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def small_store(url: str) -> Store:
    """A store whose screening falls back to METI's End User List only (unless lists are imported)."""
    return Store(url, bundled_lists=BUNDLED)


@contextmanager
def service(url: str, **settings: object) -> Iterator[Service]:
    """The app over a fresh store at ``url`` (see :func:`small_store`), with a key per role."""
    store = small_store(url)
    tokens = {role: store.keys.create(f"test-{role}", role, "test")[1] for role in ROLES}
    config = Settings(key_cache_seconds=0, **settings)  # type: ignore[arg-type]
    app = create_app(config, store=store)
    with TestClient(app) as client:
        yield Service(app, client, store, tokens)
    store.close()
