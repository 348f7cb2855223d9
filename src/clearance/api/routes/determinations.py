"""Determinations, single and batch: each answer is recorded in the audit trail with the held licences that
cover it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import Response

from clearance.api.auth import Analyst, StoreDep
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import BatchIn, BatchOut, ErrorOut, RecordedOut
from clearance.engine.shipment import Shipment
from clearance.errors import LimitExceededError

router = api_router(prefix="/determinations", tags=["determinations"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Bad input: the error names the field."}
}


@router.post("", response_model=RecordedOut, responses=_ERRORS)
def determine(
    shipment: Shipment,
    request: Request,
    store: StoreDep,
    key: Analyst,
    idempotency_key: Annotated[
        str | None, Header(min_length=1, max_length=200, description="Record once: a repeat returns the same answer.")
    ] = None,
) -> Response:
    """Decide whether a shipment needs a licence and which held licences can cover it; recorded in the audit trail."""
    scoped = None if idempotency_key is None else f"determination:{key.key_id}:{idempotency_key}"
    recorded = store.determinations.record(shipment, request.app.state.regulations, key.actor, scoped)
    return json_response(recorded.to_dict())


@router.post("/batch", response_model=BatchOut, responses={**_ERRORS, 413: {"model": ErrorOut}})
def determine_batch(batch: BatchIn, request: Request, store: StoreDep, key: Analyst) -> Response:
    """Determine many shipments; a bad one gets an error naming its field and the rest are answered. Answers
    are committed in chunks; with a ``batch_id`` an interrupted batch can be sent again without duplicates."""
    limit = request.app.state.settings.max_batch
    if len(batch.shipments) > limit:
        raise LimitExceededError("shipments", f"at most {limit} shipments per batch (got {len(batch.shipments)})")
    batch_id = None if batch.batch_id is None else f"{key.key_id}:{batch.batch_id}"
    results = store.determinations.record_batch(batch.shipments, request.app.state.regulations, key.actor, batch_id)
    return json_response({"results": [r.to_dict() for r in results]})
