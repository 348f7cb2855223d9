"""Orders: one release decision per order line (licence × measures × every list × the licence register).

- :class:`OrderLine` (a shipment, its ``ref`` and every party) and :func:`check_order` → :class:`OrderDecision`
  (``release``, ``hold`` or ``block``, each :class:`Reason` explained);
- :class:`Policy` (``policy.yaml``): each list's consequence, the bases that block, thresholds (data, not code).
"""

from __future__ import annotations

from clearance.orders.check import check_order
from clearance.orders.model import OrderDecision, OrderLine, PartyScreening, Reason
from clearance.orders.policy import Policy, default_policy, read_policy

__all__ = [
    "OrderDecision",
    "OrderLine",
    "PartyScreening",
    "Policy",
    "Reason",
    "check_order",
    "default_policy",
    "read_policy",
]
