"""The route class of every API route: the caller is authenticated and authorised before the request body is
read, and a JSON body whose text is not valid Unicode is refused naming the field.

FastAPI reads and parses the body before it resolves a route's dependencies, so a malformed body from a caller
without a key would get 422 instead of 401. :class:`CheckedRoute` checks the route's role
(:func:`clearance.api.auth.required_role`) first. JSON may spell UTF-16 halves on their own (``"\\ud800"``), which
no database or response can encode; every request model would have to refuse them field by field, so they are
refused here once, for every route, before any model sees them.
"""

from __future__ import annotations

import email.message
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from clearance.api.auth import authorise, required_role
from clearance.api.idempotency import Idempotency, key_of
from clearance.errors import InputError


def _printable(part: str | int) -> str:
    return str(part).encode("utf-8", "backslashreplace").decode("utf-8")


def lone_surrogate(data: Any) -> str | None:
    """Where in parsed JSON a string (or key) holds a lone surrogate, as ``a.b.0.c`` ("" for the top); None if
    nowhere. Walks without recursion, so any depth the JSON parser accepted is fine."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return ".".join(_printable(p) for p in path)
        elif isinstance(value, dict):  # pushed in reverse, so that the first one in the document is named
            for key, item in reversed(value.items()):
                stack += [((*path, key), item), ((*path, key), key)]
        elif isinstance(value, list):
            stack += [((*path, index), item) for index, item in reversed(list(enumerate(value)))]
    return None


def _is_json(request: Request) -> bool:
    declared = request.headers.get("content-type")
    if not declared:
        return False
    message = email.message.Message()
    message["content-type"] = declared
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


async def refuse_lone_surrogates(request: Request) -> None:
    """:class:`InputError` naming the field when a JSON body holds a lone surrogate (the parsed body is kept on
    the request, so the route does not parse it again; a body that does not parse is left to the route's 422)."""
    if not _is_json(request) or not await request.body():
        return
    try:
        data = await request.json()
    except (ValueError, RecursionError):
        return
    field = lone_surrogate(data)
    if field is not None:
        raise InputError(field or "input", "holds a lone UTF-16 surrogate (\\ud800-\\udfff): not valid Unicode text")


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters an operation takes (its own and its dependencies')."""
    own = {param.alias for param in dependant.query_params}
    return own.union(*(_query_names(sub) for sub in dependant.dependencies))


def _repeated(request: Request) -> str | None:
    """The first query parameter given more than once; None if none is (no operation takes a list in its query)."""
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in seen:
            return name
        seen.add(name)
    return None


def idempotent(route: APIRoute) -> bool:
    """Whether a route answers a repeat under an ``Idempotency-Key`` as it answered the first request: every POST
    but those that say ``openapi_extra={"x-idempotent": False}`` (creating an API key: its token is not kept)."""
    return "POST" in (route.methods or ()) and (route.openapi_extra or {}).get("x-idempotent", True) is not False


class CheckedRoute(APIRoute):
    """An API route that authenticates and authorises its caller, refuses query parameters it does not take (a
    misspelt one is an error, not silently ignored) and any given twice (which one was meant is not for the server
    to guess), then checks the body's text, before FastAPI reads the body
    into the route's models; a POST sent with an ``Idempotency-Key`` is answered through
    :class:`~clearance.api.idempotency.Idempotency`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        role = required_role(self)
        known = _query_names(self.dependant)
        repeatable = idempotent(self)

        async def checked(request: Request) -> Response:
            if role is not None:
                await run_in_threadpool(authorise, request, role)
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                expected = ", ".join(sorted(known)) or "none"
                raise InputError(unknown[0], f"unknown query parameter (this operation takes: {expected})")
            repeated = _repeated(request)
            if repeated is not None:
                raise InputError(repeated, "given more than once: this query parameter takes one value")
            await refuse_lone_surrogates(request)
            key = key_of(request) if repeatable else None
            if key is not None:
                idempotency: Idempotency = request.app.state.idempotency
                owner = getattr(request.state, "api_key", None)
                return await idempotency.answer(request, owner.key_id if owner else "", key, handler)
            return await handler(request)

        return checked


def api_router(**options: Any) -> APIRouter:
    """An APIRouter whose routes are :class:`CheckedRoute` (every router of :mod:`clearance.api.routes`)."""
    return APIRouter(route_class=CheckedRoute, **options)
