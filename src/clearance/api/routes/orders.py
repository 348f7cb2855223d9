"""Order checks: may this order line go? ``release``, ``hold`` or ``block`` with reasons (single and batch)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Path, Query, Request
from fastapi.responses import Response

from clearance.api.auth import Admin, Analyst, Officer, StoreDep, Viewer
from clearance.api.params import MAX_INT, After, Limit
from clearance.api.render import json_response
from clearance.api.routing import api_router
from clearance.api.schemas import (
    LiftIn,
    OrderBatchIn,
    OrderBatchOut,
    OrderDecisionOut,
    OrderLineJson,
    OrderPage,
    ProblemOut,
    RecheckOut,
    ReleaseIn,
    ResolutionIn,
    StoredOrderOut,
)
from clearance.errors import InputError, LimitExceededError
from clearance.orders.read import json_lines, read_line
from clearance.problems import BatchError

router = api_router(prefix="/orders", tags=["orders"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ProblemOut, "description": "Bad input: the error names the field."}
}
_WORKFLOW: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    404: {"model": ProblemOut},
    409: {"model": ProblemOut, "description": "The order is not in a state for this (e.g. a reason is open)."},
}
OrderId = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.post("/check", response_model=OrderDecisionOut, responses=_ERRORS)
def check(body: Annotated[OrderLineJson, Body()], request: Request, store: StoreDep, key: Analyst) -> Response:
    """Check an order line: the determination, the licences held, the measures in force and every party screened
    against every list in use, combined into ``release``, ``hold`` or ``block`` with each reason."""
    line = read_line(body, request.app.state.catalogue)
    return json_response(store.orders.check(line, request.app.state.regulations).to_dict())


@router.post("/check/batch", response_model=OrderBatchOut, responses={**_ERRORS, 413: {"model": ProblemOut}})
def check_batch(batch: OrderBatchIn, request: Request, store: StoreDep, key: Analyst) -> Response:
    """Check many order lines; a bad one gets an error record ``{"position", "field", "value", "message"}`` (its
    ``position`` in ``lines`` counted from 0), the others are answered."""
    limit = request.app.state.settings.max_batch
    if len(batch.lines) > limit:
        raise LimitExceededError("lines", f"at most {limit} lines per batch (got {len(batch.lines)})")
    catalogue, regulations = request.app.state.catalogue, request.app.state.regulations
    results = [  # positions in the JSON array count from 0
        BatchError.of(number - 1, found).to_dict()
        if isinstance(found, InputError)
        else {"position": number - 1, **found.to_dict()}
        for number, found in store.orders.check_all(json_lines(batch.lines, catalogue), regulations)
    ]
    return json_response({"results": results})


@router.post("", response_model=StoredOrderOut, status_code=201, responses=_WORKFLOW)
def submit(body: Annotated[OrderLineJson, Body()], request: Request, store: StoreDep, key: Analyst) -> Response:
    """File an order line for release: checked, then ``released``, ``held`` (for a reviewer, then a second officer)
    or ``blocked`` (for an admin). A ``ref`` filed before is checked again with the line as now given."""
    line = read_line(body, request.app.state.catalogue)
    return json_response(store.orders.submit(line, request.app.state.regulations, key.actor).to_dict(), 201)


@router.get("", response_model=OrderPage, responses=_ERRORS)
def list_orders(
    store: StoreDep,
    _key: Viewer,
    after: After = 0,
    limit: Limit = 50,
    state: Annotated[Literal["held", "blocked", "released", "shipped"] | None, Query()] = None,
) -> Response:
    """Filed orders by id (the review queue: ``state=held`` or ``state=blocked``)."""
    found, next_after = store.orders.page(state, after, limit)
    return json_response({"items": [o.to_dict() for o in found], "next_after": next_after})


@router.post("/recheck", response_model=RecheckOut, responses=_ERRORS)
def recheck(
    request: Request, store: StoreDep, key: Officer, everything: Annotated[bool, Query(alias="all")] = False
) -> Response:
    """Check every open order again (after a list import or a pack change): by default those last checked against
    other law or list versions, with ``all=true`` every one. A released order that now hits is put on hold."""
    found = store.orders.recheck(request.app.state.regulations, actor=key.actor, stale_only=not everything)
    return json_response({"results": [r.to_dict() for r in found]})


@router.get("/{order_id}", response_model=StoredOrderOut, responses=_WORKFLOW)
def get_order(order_id: OrderId, store: StoreDep, _key: Viewer) -> Response:
    """An order with its open reasons, resolutions and history (its audit records, oldest first)."""
    return json_response({**store.orders.get(order_id).to_dict(), "history": store.orders.history(order_id)})


@router.post("/{order_id}/resolutions", response_model=StoredOrderOut, responses=_WORKFLOW)
def resolve(order_id: OrderId, body: ResolutionIn, request: Request, store: StoreDep, key: Analyst) -> Response:
    """Resolve an open reason: ``recheck`` (after a licence was registered, or with ``facts``) by an analyst;
    ``false_positive`` (remembered in the good-guy list), ``confirmed_match`` and ``accepted`` by an officer with
    a written ``note``."""
    found = store.orders.resolve(
        order_id,
        body.reason,
        body.action,
        body.note,
        actor=key.actor,
        role=key.role,
        regulations=request.app.state.regulations,
        facts=body.facts,
    )
    return json_response(found.to_dict())


@router.post("/{order_id}/release", response_model=StoredOrderOut, responses=_WORKFLOW)
def release(order_id: OrderId, body: ReleaseIn, request: Request, store: StoreDep, key: Officer) -> Response:
    """Release a held order: an officer who did not request it, once nothing holds it (checked again now)."""
    found = store.orders.release(
        order_id, actor=key.actor, role=key.role, regulations=request.app.state.regulations, note=body.note
    )
    return json_response(found.to_dict())


@router.post("/{order_id}/lift", response_model=StoredOrderOut, responses=_WORKFLOW)
def lift(order_id: OrderId, body: LiftIn, store: StoreDep, key: Admin) -> Response:
    """Lift a block (an admin, with a written reason): the order is then held for release by an officer."""
    return json_response(store.orders.lift_block(order_id, body.reason, actor=key.actor, role=key.role).to_dict())


@router.post("/{order_id}/ship", response_model=StoredOrderOut, responses=_WORKFLOW)
def ship(order_id: OrderId, store: StoreDep, key: Analyst) -> Response:
    """Record that a released order has shipped (it is no longer re-checked)."""
    return json_response(store.orders.ship(order_id, actor=key.actor).to_dict())
