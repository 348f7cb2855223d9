"""Responses: JSON (orjson with decimals as strings and dates in ISO form), and an impact report's lines as a
spreadsheet download."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal

import orjson
from fastapi.responses import Response

from clearance.impact import report as reports
from clearance.impact.analysis import ImpactReport


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None, media_type: str = "application/json"
) -> Response:
    """A JSON response (the route's declared model documents its shape; tests check they agree)."""
    try:
        body = orjson.dumps(data, default=_default)
    except TypeError:  # an integer beyond 64 bits, echoed back from a request in a problem's ``value``
        body = json.dumps(data, default=_default, ensure_ascii=False).encode()
    return Response(body, status, headers, media_type=media_type)


def table_file(report: ImpactReport, fmt: Literal["csv", "xlsx"]) -> Response:
    """Every line of an impact report as a CSV or XLSX download."""
    name = f"impact-{report.regime}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(reports.table_bytes(report, fmt), 200, headers, media_type=reports.MEDIA[fmt])
