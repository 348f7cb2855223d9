"""The page routers, one per area; each handler calls what the matching JSON route calls and renders it."""

from __future__ import annotations

from fastapi import APIRouter

from clearance.web.routes import account, audit, check, classify, home, impact, law, licences, orders, review

ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    account.router,
    check.router,
    classify.router,
    review.router,
    orders.router,
    licences.router,
    law.router,
    impact.router,
    audit.router,
)
