"""The licence register's pure logic: held licences, which cover a shipment, and drawdown with reasons.

Storage lives in :mod:`clearance.store`; nothing here touches a database or the clock.
"""

from __future__ import annotations

from clearance.licences.model import (
    ANY,
    DrawRequest,
    Licence,
    LicenceAmendment,
    LicenceTerms,
    check_terms,
    normalise_party,
)
from clearance.licences.rules import (
    EXPIRY_WARNING_DAYS,
    Coverage,
    Drawn,
    Refusal,
    cover,
    coverage_dict,
    draw,
    expiring,
    refusals,
    warnings,
)

__all__ = [
    "ANY",
    "EXPIRY_WARNING_DAYS",
    "Coverage",
    "DrawRequest",
    "Drawn",
    "Licence",
    "LicenceAmendment",
    "LicenceTerms",
    "Refusal",
    "check_terms",
    "cover",
    "coverage_dict",
    "draw",
    "expiring",
    "normalise_party",
    "refusals",
    "warnings",
]
