"""Errors as RFC 9457 problem details (``application/problem+json``): the one table from exception classes to
HTTP statuses, and the handlers that use it."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearance.api.render import json_response
from clearance.errors import (
    AuthenticationError,
    ClearanceError,
    ConflictError,
    DecisionError,
    InputError,
    LicenceRefusedError,
    LimitExceededError,
    NoRuleError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    ReplayError,
    StoreError,
    UnknownListError,
    UnreadableBodyError,
    UnsupportedMediaError,
)
from clearance.problems import Problem, first_problem, invalid, problems, problems_of

#: Exception class → HTTP status; the first class the error is an instance of wins (subclasses first).
STATUS: tuple[tuple[type[ClearanceError], int], ...] = (
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (UnknownListError, 404),
    (UnreadableBodyError, 400),
    (ConflictError, 409),
    (PreconditionFailedError, 412),
    (LimitExceededError, 413),
    (UnsupportedMediaError, 415),
    (LicenceRefusedError, 422),
    (ReplayError, 422),
    (DecisionError, 422),
    (InputError, 422),
    (NoRuleError, 422),
    (StoreError, 503),
    (ClearanceError, 500),
)


def status_of(exc: ClearanceError) -> int:
    """The HTTP status of an error, from :data:`STATUS`."""
    return next(status for cls, status in STATUS if isinstance(exc, cls))


#: The ``type`` of a problem raised as a :class:`ClearanceError`: this prefix and the class name.
TYPE = "urn:clearance:problem:"
PROBLEM_JSON = "application/problem+json"


def _title(cls: type[Exception]) -> str:
    return (cls.__doc__ or cls.__name__).strip().splitlines()[0]


def problem_body(exc: ClearanceError, errors: Sequence[Problem] | None = None) -> dict[str, Any]:
    """The RFC 9457 problem details of an error: ``type`` (:data:`TYPE` and the class name), ``title`` (what the
    class means), ``status``, ``detail`` (this occurrence) and ``errors`` (every bad field: ``field``, ``value``,
    ``message``); a refused drawdown adds ``licence`` and ``reason``."""
    if errors is None:
        errors = problems_of(exc) if isinstance(exc, InputError) else []
    body: dict[str, Any] = {
        "type": TYPE + type(exc).__name__,
        "title": _title(type(exc)),
        "status": status_of(exc),
        "detail": str(exc),
        "errors": [p.to_dict() for p in errors],
    }
    if isinstance(exc, LicenceRefusedError):
        body.update(licence=exc.licence, reason=exc.reason)
    return body


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """A problem details response (``application/problem+json``; a 401 says how to authenticate)."""
    if body["status"] == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return json_response(body, body["status"], headers, media_type=PROBLEM_JSON)


def error_response(exc: ClearanceError, errors: Sequence[Problem] | None = None) -> Response:
    """The problem details response for an error."""
    return problem_response(problem_body(exc, errors))


def validation_error(errors: list[Any]) -> InputError:
    """The first problem of a request validation, as an :class:`InputError` naming the field."""
    return first_problem(errors, request=True).error()


def request_problem(request: Request, errors: list[Any]) -> Response:
    """The answer to a request that does not validate: every bad field (422); a body that is not JSON: 400; a body
    sent as something else than JSON (e.g. ``curl -d`` sends a form): 415, saying how to send it."""
    found = problems(errors, request=True)
    kinds = {str(e.get("type")) for e in errors}
    if "json_invalid" in kinds:
        return error_response(UnreadableBodyError("input", found[0].message), found[:1])
    content_type = request.headers.get("content-type", "")
    if "json" not in content_type and any(tuple(e.get("loc", ())) == ("body",) for e in errors):
        message = f"send the body as JSON with Content-Type: application/json (got {content_type or 'none'})"
        return error_response(UnsupportedMediaError("input", message), [])
    return error_response(invalid(errors, request=True))


def install(app: FastAPI) -> None:
    """Register the handlers: ClearanceError via :data:`STATUS`, request validation as 422 naming every bad field
    (400 for a body that is not JSON, 415 for one sent as another type), other HTTP errors as problems too."""

    async def clearance_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ClearanceError)
        return error_response(exc)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return request_problem(request, list(exc.errors()))

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # an unreadable body (not UTF-8, not JSON)
            return error_response(UnreadableBodyError("input", f"unreadable request body: {exc.detail}"))
        phrase = HTTPStatus(exc.status_code).phrase
        body = {"type": "about:blank", "title": phrase, "status": exc.status_code, "detail": str(exc.detail)}
        return problem_response({**body, "errors": []}, dict(exc.headers or {}))

    app.add_exception_handler(ClearanceError, clearance_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
