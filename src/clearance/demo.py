"""A working demo on the embedded default: one key per role, the sample held licences, the sample shipments
determined, portfolio orders drawn down where a licence takes them, and the sample counterparties screened
against the lists in use (the bundled real lists unless newer versions were imported; their matches fill the
review queue).

Everything comes from ``examples/`` through the same library calls the API makes; seeding again adds only what
is missing (licences by number, determinations by batch id, screenings when the queue is empty), and always
issues fresh demo keys (the previous ones are revoked).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import clearance
from clearance.checks import check_shipment, read_shipment
from clearance.decoding import decode_text
from clearance.errors import ConflictError, InputError, LicenceRefusedError
from clearance.impact.portfolio import Portfolio, read_portfolio
from clearance.law.regulations import Regulations
from clearance.licences import DrawRequest, LicenceTerms
from clearance.orders.read import json_lines
from clearance.screening.matcher import Query
from clearance.screening.service import read_batch
from clearance.store import ROLES, Recorded, Role, Store

ACTOR = "demo:seed"
BATCH = "demo-examples"


@dataclass(frozen=True, slots=True)
class Examples:
    """The sample files the demo loads."""

    root: Path

    @property
    def catalogue(self) -> Path:
        """The product catalogue."""
        return self.root / "catalogue.csv"

    @property
    def portfolio(self) -> Path:
        """The portfolio folder (catalogue, customers, orders)."""
        return self.root / "portfolio"

    @property
    def licences(self) -> Path:
        """Held licences, one JSON object (licence terms) a line."""
        return self.root / "licences.jsonl"

    @property
    def parties(self) -> Path:
        """Prospective counterparties to screen (CSV: id, name, country, schema)."""
        return self.root / "parties.csv"

    @property
    def shipments(self) -> Path:
        """Sample shipments, one a line."""
        return self.root / "shipments.jsonl"

    @property
    def orders(self) -> Path:
        """Sample order lines for release, one a line (each decision: release, hold, block)."""
        return self.root / "orders.jsonl"


def examples(root: Path | None = None) -> Examples:
    """The ``examples/`` folder of a checkout (beside ``src/``), or ``root``; :class:`InputError` if absent."""
    folder = root or Path(clearance.__file__).resolve().parents[2] / "examples"
    if not (folder / "portfolio").is_dir():
        raise InputError("examples", f"{folder}: no examples folder (run the demo from a clearance checkout)")
    return Examples(folder)


@dataclass(frozen=True, slots=True)
class Seeded:
    """What seeding did: the demo keys (shown once) and how many of each thing were added."""

    tokens: dict[Role, str]
    licences: int
    determinations: int
    drawdowns: int
    screened: int
    hits: int
    orders: int = 0


def demo_keys(store: Store) -> dict[Role, str]:
    """Fresh ``demo-<role>`` keys, one per role (earlier demo keys are revoked)."""
    for key in store.keys.list(include_revoked=False):
        if key.name.startswith("demo-"):
            store.keys.revoke(key.key_id, ACTOR)
    return {role: store.keys.create(f"demo-{role}", role, ACTOR)[1] for role in ROLES}


def add_licences(store: Store, path: Path, regulations: Mapping[str, Regulations]) -> int:
    """Register the sample licences not yet registered."""
    added = 0
    for line in decode_text(path.read_bytes(), "licences").splitlines():
        if line.strip():
            try:
                store.licences.add(LicenceTerms.model_validate_json(line), ACTOR, regulations)
                added += 1
            except ConflictError:
                continue
    return added


def record_shipments(store: Store, path: Path, regulations: Mapping[str, Regulations]) -> int:
    """Determine and record the sample shipments (once: the batch id makes a second run a no-op)."""
    lines = [line for line in path.read_bytes().splitlines() if line.strip()]
    results = store.determinations.record_batch(lines, regulations, ACTOR, BATCH)
    return sum(1 for r in results if isinstance(r, Recorded) and not r.repeated)


def draw_orders(store: Store, portfolio: Portfolio, regulations: Mapping[str, Regulations]) -> int:
    """Draw each portfolio order that needs a licence down against the first held licence that takes it (the
    register's own rules decide; an order no licence takes is left alone). Idempotent: the order id is the
    drawdown key."""
    licences, _ = store.licences.page(0, 500, None, "active")
    screener = store.lists.screener()
    drawn = 0
    for _, order in portfolio.orders:
        customer = portfolio.customers.get(order.customer_id)
        if customer is None:
            continue
        for licence in licences:
            data = {
                "ref": order.order_id,
                "regime": licence.terms.regime,
                "date": order.ship_date.isoformat(),
                "destination": customer.country,
                "item": {"product": order.part_number, "value": str(order.value), "currency": order.currency},
                "end_use": customer.end_use,
                "end_user": {"name": customer.name, "country": customer.country},
            }
            try:
                shipment = read_shipment(data, portfolio.catalogue)
                answer = check_shipment(shipment, regulations, screener)
                if answer.licence_required is not True:
                    break
                request = DrawRequest(shipment=shipment, quantity=order.quantity, unit=order.unit, key=order.order_id)
                outcome = store.licences.draw(licence.id, request, answer, ACTOR)
            except (InputError, LicenceRefusedError):
                continue
            drawn += 0 if outcome.repeated else 1
            break
    return drawn


def screen_parties(store: Store, portfolio: Portfolio, parties: Path) -> tuple[int, int]:
    """Screen the portfolio's customers and the sample counterparties against the lists in use, filing their
    matches in the review queue (skipped when the queue already has hits). Returns (parties screened, hits filed)."""
    if store.screening.page(0, 1)[0]:
        return 0, 0
    queries: list[tuple[Query, str]] = [
        (Query.of(c.name, c.country, "Company"), c.customer_id) for c in portfolio.customers.values()
    ]
    queries += [(row.query, row.party_id or "") for row in read_batch(parties) if row.query]
    hits = 0
    for query, party_id in queries:
        screened = store.screening.screen(query, actor=ACTOR, party_id=party_id or None, subject=party_id or None)
        hits += sum(1 for _, hit_id in screened.results if hit_id is not None)
    return len(queries), hits


def file_orders(store: Store, path: Path, regulations: Mapping[str, Regulations]) -> int:
    """File the sample order lines for release (skipped when orders are filed already): the orders page then shows
    lines released, held for a reviewer and blocked for an admin."""
    if store.orders.page(None, 0, 1)[0]:
        return 0
    filed = 0
    for _, line in json_lines(path.read_bytes().splitlines()):
        if not isinstance(line, InputError):
            store.orders.submit(line, regulations, "demo:erp")
            filed += 1
    return filed


def seed(store: Store, regulations: Mapping[str, Regulations], files: Examples) -> Seeded:
    """Seed ``store`` for the demo from ``files`` (screening builds its index on first use)."""
    tokens = demo_keys(store)
    licences = add_licences(store, files.licences, regulations)
    determinations = record_shipments(store, files.shipments, regulations)
    portfolio = read_portfolio(files.portfolio, regulations)
    drawdowns = draw_orders(store, portfolio, regulations)
    screened, hits = screen_parties(store, portfolio, files.parties)
    orders = file_orders(store, files.orders, regulations)
    return Seeded(tokens, licences, determinations, drawdowns, screened, hits, orders)
