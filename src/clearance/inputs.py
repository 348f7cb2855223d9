"""User input as data: JSON text or parsed JSON as an object. Shared by the engine (shipments), classification
(assessments) and orders; validation problems are worded by :mod:`clearance.problems`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from clearance.decoding import decode_text
from clearance.errors import InputError


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
