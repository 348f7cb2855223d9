"""Helpers for the API tests: an app over a fresh store with one key per role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from fastapi import FastAPI
from fastapi.testclient import TestClient

from clearance.api import Settings, create_app
from clearance.screening import ScreeningIndex
from clearance.screening.bundled import load_bundled
from clearance.store import ROLES, Store


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


@cache
def small_screening_index() -> ScreeningIndex:
    """An index over one bundled list (METI's End User List), quick to build for tests."""
    return ScreeningIndex.build([load_bundled("jp-meti-eul")])


@contextmanager
def service(url: str, **settings: object) -> Iterator[Service]:
    """The app over a fresh store at ``url``, with a key per role."""
    store = Store(url)
    tokens = {role: store.keys.create(f"test-{role}", role, "test")[1] for role in ROLES}
    config = Settings(key_cache_seconds=0, **settings)  # type: ignore[arg-type]
    app = create_app(config, store=store, screening_index=small_screening_index())
    with TestClient(app) as client:
        yield Service(app, client, store, tokens)
    store.close()
