"""Determinations as the service and the CLI make them: the engine, with end users screened against
restricted-party lists whenever a rule in force refers to one (by default the bundled lists; the service passes
the screener over its lists in use, :meth:`clearance.store.ScreeningLists.screener`)."""

from __future__ import annotations

from collections.abc import Mapping

from clearance.engine.determine import Screener, determine
from clearance.engine.result import Determination
from clearance.engine.shipment import Shipment
from clearance.law.regulations import Regulations
from clearance.screening import end_user_hits

#: The screener of the CLI's determinations: the bundled lists (see clearance.screening.hook).
SCREENER: Screener = end_user_hits


def check(
    shipment: Shipment, regulations: Mapping[str, Regulations] | Regulations, screener: Screener = SCREENER
) -> Determination:
    """Determine ``shipment``, screening its end user with ``screener`` (default: the bundled lists)."""
    return determine(shipment, regulations, screener=screener)
