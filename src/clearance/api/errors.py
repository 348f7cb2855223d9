"""Errors as JSON: the one table from exception classes to HTTP statuses, and the handlers that use it."""

from __future__ import annotations

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
    ReplayError,
    StoreError,
    UnknownListError,
)

#: Exception class → HTTP status; the first class the error is an instance of wins (subclasses first).
STATUS: tuple[tuple[type[ClearanceError], int], ...] = (
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (UnknownListError, 404),
    (ConflictError, 409),
    (LimitExceededError, 413),
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


def error_body(exc: ClearanceError) -> dict[str, Any]:
    """``{"error": {"type", "message", "field"?, "licence"?, "reason"?}}``."""
    body: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, InputError):
        body.update(field=exc.field, message=exc.message)
    if isinstance(exc, LicenceRefusedError):
        body.update(licence=exc.licence, reason=exc.reason, message=exc.message)
    return {"error": body}


def error_response(exc: ClearanceError) -> Response:
    """The JSON response for an error (401s say how to authenticate)."""
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return json_response(error_body(exc), status, headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts
    return ".".join(parts) or "input"


def validation_error(errors: list[Any]) -> InputError:
    """The first problem of a request validation, as an :class:`InputError` naming the field."""
    err = errors[0] if errors else {"loc": (), "type": "", "msg": "invalid request"}
    err = dict(err)
    field, kind = _field(tuple(err.get("loc", ()))), err.get("type", "")
    if kind == "json_invalid":
        return InputError("input", f"not valid JSON: {err.get('ctx', {}).get('error', err.get('msg'))}")
    if kind == "missing":
        return InputError(field, "required field is missing")
    if kind == "extra_forbidden":
        return InputError(field, "unknown field")
    message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if "input" in err and kind not in ("model_attributes_type", "dict_type"):
        shown = repr(err["input"])
        message += f" (got {shown[:80] + '…' if len(shown) > 80 else shown})"
    return InputError(field, message)


def install(app: FastAPI) -> None:
    """Register the handlers: ClearanceError via :data:`STATUS`, request validation as 422 naming the field."""

    async def clearance_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ClearanceError)
        return error_response(exc)

    async def invalid_request(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(validation_error(list(exc.errors())))

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # an unreadable body (not UTF-8, not JSON): bad input like any other
            return error_response(InputError("input", f"unreadable request body: {exc.detail}"))
        body = {"error": {"type": HTTPStatus(exc.status_code).phrase.replace(" ", ""), "message": str(exc.detail)}}
        return json_response(body, exc.status_code, dict(exc.headers or {}))

    app.add_exception_handler(ClearanceError, clearance_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
