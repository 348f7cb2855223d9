"""Orders: the review queue for each role (what waits for a reviewer, for a second officer's release, for an
admin's lift), an order with its reasons, the forms that resolve them, and its history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from clearance.api.params import MAX_INT
from clearance.orders.read import read_line
from clearance.store import StoredOrder
from clearance.web.i18n import N_
from clearance.web.pages import PREFIX, CheckedForm, SignedIn, User, redirect, render, store_of, text

router = APIRouter(prefix=f"{PREFIX}/orders")
OrderId = Annotated[int, Path(ge=1, le=MAX_INT)]
PAGE = 50


def _waiting(order: StoredOrder, user: User) -> str:
    """What the order waits for, as the signed-in user reads it (a message the page translates)."""
    if order.state == "blocked":
        return N_("an admin to lift the block (you)") if user.can("admin") else N_("an admin to lift the block")
    if order.state != "held":
        return ""
    if order.open_reasons:
        return N_("a reviewer to resolve its reasons")
    if user.key.actor in (order.requested_by, order.submitted_by):
        return N_("a second officer's release (you requested it)")
    return N_("an officer's release (you can)") if user.can("officer") else N_("an officer's release")


@router.get("")
def queue(
    request: Request,
    user: SignedIn,
    state: Literal["held", "blocked", "released", "shipped", "all"] = "held",
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> Response:
    """The review queue (``GET /orders?state=``), with what each order waits for and the user's own work first."""
    store = store_of(request)
    found, next_after = store.orders.page(None if state == "all" else state, after, PAGE)
    orders = [{**o.to_dict(), "waiting": _waiting(o, user)} for o in found]
    mine: list[StoredOrder] = []
    if user.can("admin"):
        mine += store.orders.page("blocked", 0, PAGE)[0]
    if user.can("officer"):
        held = store.orders.page("held", 0, PAGE)[0]
        mine += [o for o in held if not o.open_reasons and user.key.actor not in _requesters(o)]
    return render(
        request,
        "orders.html",
        page="orders",
        state=state,
        orders=orders,
        next_after=next_after,
        mine=[{**o.to_dict(), "waiting": _waiting(o, user)} for o in mine],
    )


def _requesters(order: StoredOrder) -> tuple[str, str]:
    return order.requested_by, order.submitted_by


@router.post("")
def file_order(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """File an order line given as JSON (``POST /orders``); bad input is a page naming the field."""
    user.require("analyst")
    line = read_line(text(form, "line").encode(), request.app.state.catalogue)
    filed = store_of(request).orders.submit(line, request.app.state.regulations, user.key.actor)
    return redirect(request, f"{PREFIX}/orders/{filed.id}?done=filed")


@router.post("/recheck")
def recheck(request: Request, user: SignedIn, form: CheckedForm) -> Response:
    """Check every open order again (``POST /orders/recheck?all=true``) and show what changed; officers only."""
    user.require("officer")
    found = store_of(request).orders.recheck(request.app.state.regulations, actor=user.key.actor)
    return render(request, "rechecked.html", page="orders", results=[r.to_dict() for r in found])


@router.get("/{order_id}")
def order(request: Request, user: SignedIn, order_id: OrderId) -> Response:
    """An order (``GET /orders/{order_id}``): the line, its reasons and forms, the resolutions and the history."""
    store = store_of(request)
    found = store.orders.get(order_id)
    return render(
        request,
        "order.html",
        page="orders",
        order=found.to_dict(),
        history=store.orders.history(order_id),
        waiting=_waiting(found, user),
        own=user.key.actor in _requesters(found),
        done=request.query_params.get("done", ""),
    )


@router.post("/{order_id}/resolve")
def resolve(request: Request, user: SignedIn, order_id: OrderId, form: CheckedForm) -> Response:
    """Resolve a reason (``POST /orders/{order_id}/resolutions``; the action decides the role)."""
    user.require("analyst")
    store_of(request).orders.resolve(
        order_id,
        text(form, "reason"),
        text(form, "action"),
        text(form, "note"),
        actor=user.key.actor,
        role=user.key.role,
        regulations=request.app.state.regulations,
    )
    return redirect(request, f"{PREFIX}/orders/{order_id}?done=resolved")


@router.post("/{order_id}/release")
def release(request: Request, user: SignedIn, order_id: OrderId, form: CheckedForm) -> Response:
    """Release a held order (``POST /orders/{order_id}/release``): an officer who did not request it."""
    user.require("officer")
    store_of(request).orders.release(
        order_id,
        actor=user.key.actor,
        role=user.key.role,
        regulations=request.app.state.regulations,
        note=text(form, "note"),
    )
    return redirect(request, f"{PREFIX}/orders/{order_id}?done=released")


@router.post("/{order_id}/lift")
def lift(request: Request, user: SignedIn, order_id: OrderId, form: CheckedForm) -> Response:
    """Lift a block with a written reason (``POST /orders/{order_id}/lift``): admins only."""
    user.require("admin")
    store_of(request).orders.lift_block(order_id, text(form, "reason"), actor=user.key.actor, role=user.key.role)
    return redirect(request, f"{PREFIX}/orders/{order_id}?done=lifted")
