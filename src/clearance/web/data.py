"""Reference data the forms offer: the product catalogue and the portfolio's customers, read once per app."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request

from clearance.classify.catalogue import Catalogue
from clearance.impact.portfolio import Customer, read_portfolio
from clearance.law.countries import country_names


def catalogue(request: Request) -> Catalogue | None:
    """The catalogue the server was started with (``--catalogue``), or None: the one the API resolves with."""
    found: Catalogue | None = request.app.state.catalogue
    return found


def customers(request: Request) -> list[Customer]:
    """The portfolio's customers (``--portfolio``), for the end-user field; empty without a portfolio."""
    state = request.app.state
    folder = state.settings.portfolio
    if not folder:
        return []
    found: list[Customer] | None = getattr(state, "web_customers", None)
    if found is None:
        found = state.web_customers = list(read_portfolio(Path(folder), state.regulations).customers.values())
    return found


def countries() -> list[tuple[str, str]]:
    """(code, name) of every country, by name."""
    return sorted(country_names().items(), key=lambda item: item[1])
