"""Order checks: may this order line go? ``release``, ``hold`` or ``block`` with reasons (single and batch)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Request
from fastapi.responses import Response

from clearance.api.auth import Analyst, StoreDep
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import ErrorOut, OrderBatchIn, OrderBatchOut, OrderDecisionOut, OrderLineJson
from clearance.errors import InputError, LimitExceededError
from clearance.orders.read import json_lines, read_line

router = api_router(prefix="/orders", tags=["orders"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Bad input: the error names the field."}
}


@router.post("/check", response_model=OrderDecisionOut, responses=_ERRORS)
def check(body: Annotated[OrderLineJson, Body()], request: Request, store: StoreDep, key: Analyst) -> Response:
    """Check an order line: the determination, the licences held, the measures in force and every party screened
    against every list in use, combined into ``release``, ``hold`` or ``block`` with each reason."""
    line = read_line(body, request.app.state.catalogue)
    return json_response(store.orders.check(line, request.app.state.regulations).to_dict())


@router.post("/check/batch", response_model=OrderBatchOut, responses={**_ERRORS, 413: {"model": ErrorOut}})
def check_batch(batch: OrderBatchIn, request: Request, store: StoreDep, key: Analyst) -> Response:
    """Check many order lines; a bad one gets an error naming its field (and its 1-based ``index``), the others
    are answered."""
    limit = request.app.state.settings.max_batch
    if len(batch.lines) > limit:
        raise LimitExceededError("lines", f"at most {limit} lines per batch (got {len(batch.lines)})")
    catalogue, regulations = request.app.state.catalogue, request.app.state.regulations
    results = [
        {"index": index, "error": {"field": found.field, "message": found.message}}
        if isinstance(found, InputError)
        else {"index": index, **found.to_dict()}
        for index, found in store.orders.check_all(json_lines(batch.lines, catalogue), regulations)
    ]
    return json_response({"results": results})
