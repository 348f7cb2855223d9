"""Canonical JSON: the one byte form of a record that its hash is taken over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import orjson

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def canonical(data: Any) -> bytes:
    """Compact JSON with sorted keys; decimals as strings, dates in ISO form. Stable across runs and machines."""
    return orjson.dumps(data, default=_default, option=_OPTIONS)


def canonical_text(data: Any) -> str:
    """:func:`canonical` as text (what the store keeps)."""
    return canonical(data).decode()


def recanonical(text: str | bytes) -> str:
    """JSON text (e.g. an engine answer) in canonical form."""
    return canonical_text(orjson.loads(text))
