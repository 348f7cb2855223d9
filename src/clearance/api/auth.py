"""Authentication by API key and authorisation by role: ``Depends(require("analyst"))`` on a route.

A key comes as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Roles are ordered (viewer < analyst <
officer < admin) and each includes the ones before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from clearance.errors import AuthenticationError, PermissionDeniedError
from clearance.store import ApiKey, Role, Store
from clearance.store.keys import digest

_bearer_scheme = HTTPBearer(auto_error=False, description="An API key from `clearance keys create`.")
_header_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key (alternative to Bearer).")


class Authenticator:
    """Checks keys against the store, trusting a verified key for ``ttl`` seconds."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._cache: dict[str, tuple[float, ApiKey]] = {}

    def __call__(self, token: str) -> ApiKey:
        """The key behind ``token``, or :class:`AuthenticationError`."""
        if self.ttl <= 0:
            return self.store.keys.authenticate(token)
        now = time.monotonic()
        fingerprint = digest(token)
        found = self._cache.get(fingerprint)
        if found is not None and found[0] > now:
            return found[1]
        key = self.store.keys.authenticate(token)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[fingerprint] = (now + self.ttl, key)
        return key

    def forget(self) -> None:
        """Drop every cached key (after a revocation)."""
        self._cache.clear()


def _token(request: Request) -> str:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    header = request.headers.get("X-API-Key", "").strip()
    if header:
        return header
    raise AuthenticationError("this needs an API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")


def authorise(request: Request, role: Role) -> ApiKey:
    """The request's key if its role includes ``role``: :class:`AuthenticationError` without a live key,
    :class:`PermissionDeniedError` for a lower role. The key is looked up once per request (the route does it
    before reading the body, see :class:`clearance.api.routing.CheckedRoute`; the dependency reuses it)."""
    key: ApiKey | None = getattr(request.state, "api_key", None)
    if key is None:
        authenticate: Authenticator = request.app.state.authenticate
        key = request.state.api_key = authenticate(_token(request))
    if not key.allows(role):
        raise PermissionDeniedError(f"this needs the {role} role; key {key.key_id} has {key.role}")
    return key


#: The role each guarded dependency requires, for the role table in the docs and tests.
REQUIRED: dict[Callable[..., Any], Role] = {}


def require(role: Role) -> Callable[..., ApiKey]:
    """A dependency admitting keys whose role includes ``role``; it returns the key. (The two security schemes
    document the headers in the OpenAPI schema; :func:`authorise` reads them.)"""

    def dependency(
        request: Request,
        _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer_scheme)],
        _header: Annotated[str | None, Security(_header_scheme)],
    ) -> ApiKey:
        return authorise(request, role)

    REQUIRED[dependency] = role
    return dependency


def required_role(route: APIRoute) -> Role | None:
    """The role a route requires (None for a public route)."""
    for dependency in route.dependant.dependencies:
        if dependency.call in REQUIRED:
            return REQUIRED[dependency.call]
    return None


def store_of(request: Request) -> Store:
    """The store the app was created with."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(store_of)]
Viewer = Annotated[ApiKey, Depends(require("viewer"))]
Analyst = Annotated[ApiKey, Depends(require("analyst"))]
Officer = Annotated[ApiKey, Depends(require("officer"))]
Admin = Annotated[ApiKey, Depends(require("admin"))]
