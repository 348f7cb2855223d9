"""Shipments and determinations as every edge makes them (CLI, HTTP API, web pages, demo): a shipment read with
its product resolved against the catalogue in use (:func:`read_shipment`, also inside a drawdown:
:func:`read_drawdown`), and determined with its end user screened against restricted-party lists whenever a rule
in force refers to one (by default the bundled lists; the service passes the screener over its lists in use,
:meth:`clearance.store.ScreeningLists.screener`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from clearance.classify.catalogue import Catalogue, resolve_shipment
from clearance.engine.batch import determine_memoised
from clearance.engine.determine import Screener
from clearance.engine.io import parse_shipment
from clearance.engine.result import Determination
from clearance.engine.shipment import Shipment
from clearance.errors import InputError, InvalidInputError
from clearance.inputs import json_object
from clearance.law.regulations import Regulations
from clearance.licences.model import DrawRequest
from clearance.problems import invalid, problems_of
from clearance.screening import BundledScreener

#: The screener of the CLI's determinations: the bundled lists (see clearance.screening.hook).
SCREENER: Screener = BundledScreener()


def check_shipment(
    shipment: Shipment, regulations: Mapping[str, Regulations] | Regulations, screener: Screener = SCREENER
) -> Determination:
    """Determine ``shipment``, screening its end user with ``screener`` (default: the bundled lists)."""
    return determine_memoised(shipment, regulations, screener=screener)


def read_shipment(data: object, catalogue: Catalogue | None = None) -> Shipment:
    """A shipment as a user gives it (JSON text, bytes with or without a byte-order mark, or parsed JSON), its
    ``item.product`` resolved against ``catalogue`` (:func:`clearance.classify.resolve_shipment`); an unknown
    product, or a product without a catalogue, is an :class:`InputError` on ``item.product``.

    JSON text that cannot name a product (no ``product`` or ``classified`` in it) is validated as it stands: the
    fast path of batches. A key spelt with escapes still reaches :func:`~clearance.engine.determine.determine`,
    which refuses a product that was not resolved."""
    if isinstance(data, bytes | str) and not _may_name_a_product(data):
        return parse_shipment(data)
    return parse_shipment(resolve_shipment(json_object(data), catalogue))


def _may_name_a_product(text: bytes | str) -> bool:
    if isinstance(text, bytes):
        return b"product" in text or b"classified" in text
    return "product" in text or "classified" in text


def read_drawdown(data: object, catalogue: Catalogue | None) -> DrawRequest:
    """A drawdown request as a user gives it, its shipment read as :func:`read_shipment` reads one (so that the
    value drawn is the resolved shipment's); errors name the field under ``shipment.``."""
    body: dict[str, Any] = dict(json_object(data))
    if isinstance(body.get("shipment"), Mapping):
        try:
            body["shipment"] = read_shipment(body["shipment"], catalogue)
        except InputError as exc:
            found = tuple(p.at("shipment") for p in problems_of(exc))
            raise InvalidInputError(f"shipment.{exc.field}", exc.message, exc.value, found) from None
    try:
        return DrawRequest.model_validate(body)
    except ValidationError as exc:
        raise invalid(exc) from None
