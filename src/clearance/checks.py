"""Determinations as the service and the CLI make them: the engine, with end users screened against the
bundled restricted-party lists whenever a rule in force refers to one."""

from __future__ import annotations

from collections.abc import Mapping

from clearance.engine.determine import determine
from clearance.engine.result import Determination
from clearance.engine.shipment import Shipment
from clearance.law.regulations import Regulations
from clearance.screening import end_user_hits

#: The screener every determination of the service uses (the bundled lists; see clearance.screening.hook).
SCREENER = end_user_hits


def check(shipment: Shipment, regulations: Mapping[str, Regulations] | Regulations) -> Determination:
    """Determine ``shipment``, screening its end user against the bundled restricted-party lists."""
    return determine(shipment, regulations, screener=SCREENER)
