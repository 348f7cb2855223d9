"""The OpenAPI schema as integrators read it: operation ids named after what an operation does (a generated client
reads ``determine(...)``, not ``determine_determinations_post(...)``), and every error an operation can answer
documented as RFC 9457 problem details (``application/problem+json``): 401 and 403 where a key is needed, 400, 413
and 415 where a body is read, 422 where anything is validated; the ``Idempotency-Key`` header on every operation
that takes it (:mod:`clearance.api.idempotency`)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from clearance.api import idempotency
from clearance.api.errors import PROBLEM_JSON
from clearance.api.schemas import ProblemOut

_PROBLEM = {"$ref": "#/components/schemas/ProblemOut"}
_GENERIC = {
    400: "The body is not JSON (or not UTF-8).",
    401: "No API key, or one that is unknown or revoked.",
    403: "The API key's role does not allow this operation.",
    413: "The body (or a batch) is larger than the server allows.",
    415: "The body was not sent as JSON (send Content-Type: application/json).",
    422: "Bad input: `errors` names every bad field, with the value given.",
}


def operation_id(route: APIRoute) -> str:
    """An operation's id: the name of its function (unique across the API; a test checks)."""
    return route.name


_IDEMPOTENCY_KEY = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_LENGTH},
    "description": "Send the request again safely: a repeat with the same key and request is answered as the "
    "first one was (same status, headers and body; kept for CLEARANCE_IDEMPOTENCY_HOURS), without recording it "
    "again; the same key with another request is a 422.",
}


def _problems(operation: dict[str, Any], method: str) -> None:
    if operation.get("x-idempotent"):
        operation.setdefault("parameters", []).append(_IDEMPOTENCY_KEY)
    responses: dict[str, Any] = operation.setdefault("responses", {})
    wanted: set[int] = {422} if operation.get("parameters") or "requestBody" in operation else set()
    if operation.get("x-required-role", "none") != "none":
        wanted |= {401, 403}
    if method in ("post", "put", "patch") and "requestBody" in operation:
        wanted |= {400, 413, 415}
    for status in wanted:
        responses.setdefault(str(status), {"description": _GENERIC[status]})
    for code, response in responses.items():
        if code[0] in "45":
            response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM}}
            if response.get("description") in (None, "", "Validation Error"):
                response["description"] = _GENERIC.get(int(code), "An error, as problem details.")


def schema(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI schema (made once): FastAPI's, with every error response a problem (see the module)."""
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        spec.setdefault("components", {}).setdefault("schemas", {})["ProblemOut"] = ProblemOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for name, definition in spec["components"]["schemas"]["ProblemOut"].pop("$defs", {}).items():
            spec["components"]["schemas"].setdefault(name, definition)
        for path in spec.get("paths", {}).values():
            for method, operation in path.items():
                _problems(operation, method)
        for unused in ("HTTPValidationError", "ValidationError"):
            spec["components"]["schemas"].pop(unused, None)
        app.openapi_schema = spec
    return app.openapi_schema


def install(app: FastAPI) -> None:
    """Serve :func:`schema` at ``/openapi.json``."""
    app.openapi = lambda: schema(app)  # type: ignore[method-assign]
