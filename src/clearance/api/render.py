"""JSON responses: orjson with decimals as strings and dates in ISO form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import orjson
from fastapi.responses import Response


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (the route's declared model documents its shape; tests check they agree)."""
    return Response(orjson.dumps(data, default=_default), status, headers, media_type="application/json")
