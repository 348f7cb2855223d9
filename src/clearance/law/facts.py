"""The facts a condition reads: one shipment, as the engine has resolved it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(slots=True)
class Facts:
    """A shipment's facts after resolution (destination group, control-list row), read by predicates.

    ``row`` is the control-list row the item was placed in; when it could only be narrowed down to some
    candidate rows (an unlisted item without an HS code, or an HS code that does not show which row), ``row`` is
    ``None``, ``row_candidates`` holds them and ``row_needs`` names what would decide, so that a rule on those
    rows is undecided rather than guessed.
    """

    destination: str
    kind: str
    end_use: str
    informed: bool = False
    group: str | None = None
    row: str | None = None
    row_candidates: frozenset[str] = frozenset()
    row_needs: str = "item.hs_code"
    entry: str | None = None
    code: str | None = None
    hs_code: str | None = None
    cas: str | None = None
    value: Decimal | None = None
    currency: str | None = None
    exporter: dict[str, object] = field(default_factory=dict)
    red_flags: tuple[str, ...] = ()
    end_user: str | None = None
    end_user_hits: dict[str, tuple[Any, ...]] | None = None
