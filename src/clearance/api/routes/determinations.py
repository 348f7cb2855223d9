"""Determinations, single and batch: each answer is recorded in the audit trail with the held licences that
cover it."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import Body, Path, Request
from fastapi.responses import Response

from clearance.api.auth import Analyst, StoreDep, Viewer
from clearance.api.idempotency import HEADER
from clearance.api.params import MAX_INT
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import BatchIn, BatchOut, ProblemOut, RecordedOut, ShipmentJson
from clearance.checks import read_shipment
from clearance.errors import InputError, LimitExceededError

router = api_router(prefix="/determinations", tags=["determinations"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ProblemOut, "description": "Bad input: the error names the field."}
}


@router.post(
    "",
    response_model=RecordedOut,
    status_code=201,
    responses={
        **_ERRORS,
        200: {"model": RecordedOut, "description": "Recorded earlier under this Idempotency-Key, no longer kept."},
    },
)
def determine(body: Annotated[ShipmentJson, Body()], request: Request, store: StoreDep, key: Analyst) -> Response:
    """Decide whether a shipment needs a licence and which held licences can cover it; recorded in the audit trail
    (201, ``Location`` naming it). The ``Idempotency-Key`` is kept on the audit record: once its answer is no
    longer kept for repeats, a repeat is 200 with the answer recorded then (``repeated``).
    An item given as ``{"product": PART}`` is resolved against the server's product catalogue (an unknown part, or
    a server without a catalogue, is a 422 on ``item.product``)."""
    shipment = read_shipment(body, request.app.state.catalogue)
    idempotency_key = request.headers.get(HEADER)
    scoped = None if idempotency_key is None else f"determination:{key.key_id}:{idempotency_key}"
    recorded = store.determinations.record(shipment, request.app.state.regulations, key.actor, scoped)
    location = {"Location": f"/determinations/{recorded.seq}"}
    return json_response(recorded.to_dict(), 200 if recorded.repeated else 201, location)


@router.get("/{determination_id}", response_model=RecordedOut, responses={404: {"model": ProblemOut}})
def get_determination(
    determination_id: Annotated[int, Path(ge=1, le=MAX_INT)], store: StoreDep, _key: Viewer
) -> Response:
    """A recorded determination, as ``POST /determinations`` answered it (its ``id`` is its audit record)."""
    return json_response(store.determinations.get(determination_id).to_dict())


@router.post("/batch", response_model=BatchOut, responses={**_ERRORS, 413: {"model": ProblemOut}})
def determine_batch(batch: BatchIn, request: Request, store: StoreDep, key: Analyst) -> Response:
    """Determine many shipments; a bad one gets an error naming its field and the rest are answered. Answers
    are committed in chunks; with a ``batch_id`` (or an ``Idempotency-Key`` header, the batch's id when no
    ``batch_id`` is given) an interrupted batch can be sent again without duplicates: what was recorded is
    returned (``repeated``) and only the rest is recorded."""
    limit = request.app.state.settings.max_batch
    if len(batch.shipments) > limit:
        raise LimitExceededError("shipments", f"at most {limit} shipments per batch (got {len(batch.shipments)})")
    idempotency_key = request.headers.get(HEADER)
    if batch.batch_id and idempotency_key and batch.batch_id != idempotency_key:
        raise InputError("batch_id", "differs from the Idempotency-Key header")
    given = batch.batch_id or idempotency_key
    batch_id = None if given is None else f"{key.key_id}:{given}"
    read = partial(read_shipment, catalogue=request.app.state.catalogue)
    results = store.determinations.record_batch(
        batch.shipments, request.app.state.regulations, key.actor, batch_id, read=read
    )
    return json_response({"results": [r.to_dict() for r in results]})
