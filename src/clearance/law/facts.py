"""The facts a condition reads: one shipment, as the engine has resolved it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(slots=True)
class Facts:
    """A shipment's facts after resolution (destination group, control-list row), read by predicates.

    ``missing`` collects (in order, possibly repeated) the input fields a predicate needed but did not get, so
    the answer can say which
    questions it could not settle.
    """

    destination: str
    kind: str
    end_use: str
    informed: bool = False
    group: str | None = None
    row: str | None = None
    entry: str | None = None
    code: str | None = None
    cas: str | None = None
    value: Decimal | None = None
    currency: str | None = None
    exporter: dict[str, object] = field(default_factory=dict)
    red_flags: tuple[str, ...] = ()
    end_user: str | None = None
    end_user_hits: dict[str, tuple[Any, ...]] | None = None
    missing: list[str] = field(default_factory=list)
