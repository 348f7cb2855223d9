"""Shipments in: JSON parsing with field-naming errors (answers out, and batches, are in
:mod:`clearance.engine.batch` and :mod:`clearance.engine.encode`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from clearance.decoding import decode_text, without_bom
from clearance.engine.shipment import Shipment
from clearance.inputs import json_object
from clearance.problems import invalid


def parse_shipment(data: bytes | str | Mapping[str, Any]) -> Shipment:
    """A shipment from JSON text or a mapping; raises :class:`InputError` naming the bad field.

    Its item is taken as given: a ``product`` reference must already be resolved (see
    :func:`clearance.checks.read_shipment`), as it is in the shipments the audit trail records."""
    if isinstance(data, bytes | str):
        try:
            text = without_bom(data) if isinstance(data, bytes) else decode_text(data, "input")
            return Shipment.model_validate_json(text)
        except ValidationError as exc:
            if exc.errors()[0]["type"] == "json_invalid":
                decode_text(data, "input")  # says so when the bytes are not UTF-8
            raise invalid(exc) from None
    try:
        return Shipment.model_validate(json_object(data))
    except ValidationError as exc:
        raise invalid(exc) from None
