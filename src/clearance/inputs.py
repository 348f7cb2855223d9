"""User input as data: the first problem of a pydantic validation error as an :class:`InputError` naming the field,
and JSON text or parsed JSON as an object. Shared by the engine (shipments) and classification (assessments)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from pydantic import ValidationError

from clearance.decoding import decode_text
from clearance.errors import InputError


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "input"


def input_error(exc: ValidationError) -> InputError:
    """The first problem of a pydantic validation error, as an InputError naming the field and value."""
    err = exc.errors()[0]
    field = _field(err["loc"])
    if err["type"] == "missing":
        return InputError(field, "required field is missing")
    if err["type"] == "extra_forbidden":
        return InputError(field, "unknown field")
    message = err["msg"].removeprefix("Value error, ")
    return InputError(field, f"{message} (got {err.get('input')!r})")


def json_object(data: object, what: str = "input") -> Mapping[str, Any]:
    """JSON text (bytes with or without a byte-order mark) or already parsed JSON, as an object; :class:`InputError`
    on ``what`` if it is not valid JSON or not an object."""
    if isinstance(data, bytes | str):
        try:
            data = orjson.loads(decode_text(data, what))
        except orjson.JSONDecodeError as exc:
            raise InputError(what, f"not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise InputError(what, "expected a JSON object")
    return data
