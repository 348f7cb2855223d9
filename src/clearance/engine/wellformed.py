"""Shipments read without pydantic when their JSON is plainly well formed: the fast path of batches.

:func:`well_formed` gives the :class:`~clearance.engine.shipment.Shipment` that ``Shipment.model_validate_json``
gives for the same text (the same values, types and fields set), or ``None`` for anything it does not take on
sight: a byte-order mark, unknown keys, a colon anywhere but after a key (a key given twice shows as fewer keys
read than colons written), text with surrounding whitespace, a float, a value of another type than the field's
own, a product reference, anything a validator refuses. The caller then asks the model, so every error is the
model's own. Field values are checked with the model's own validators (kept per text for countries and dates,
which repeat).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar, get_args

import orjson
from pydantic import BaseModel

from clearance.cellvalues import parse_date, parse_number
from clearance.engine.shipment import EndUse, Item, Party, Shipment
from clearance.law.codes import check_cas, check_hs_code
from clearance.law.countries import check_country

_SHIPMENT = frozenset(Shipment.model_fields)
_ITEM = frozenset(Item.model_fields) - {"product", "classified"}
_PARTY = frozenset(Party.model_fields)
_KINDS = frozenset(get_args(Item.model_fields["kind"].annotation))
_END_USES = frozenset(get_args(EndUse))
_CURRENCY = re.compile(r"[A-Z]{3}")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


class _Refused(Exception):
    """The text is not one the fast path takes: the model reads it."""


def well_formed(data: bytes | str) -> Shipment | None:
    """The shipment ``data`` holds if it is plainly well formed (see the module), else ``None``."""
    try:
        raw = orjson.loads(data)
        if not isinstance(raw, dict) or not raw.keys() <= _SHIPMENT:
            return None
        shipment = _shipment(raw)
    except (_Refused, KeyError, ValueError, TypeError):
        return None
    colons = data.count(b":") if isinstance(data, bytes) else data.count(":")
    objects = (raw, raw["item"], raw.get("end_user") or {}, raw.get("exporter") or {})
    return shipment if sum(len(o) for o in objects) == colons else None


def _shipment(raw: dict[str, Any]) -> Shipment:
    fields: dict[str, Any] = {
        "regime": _text(raw["regime"], nonempty=True),
        "date": _date(raw["date"]),
        "destination": _country(raw["destination"]),
        "item": _item(raw["item"]),
    }
    if "ref" in raw:
        fields["ref"] = _optional(raw["ref"], _text)
    if "end_use" in raw:
        fields["end_use"] = _choice(raw["end_use"], _END_USES)
    if "end_user" in raw:
        fields["end_user"] = _optional(raw["end_user"], _party)
    if "informed" in raw:
        fields["informed"] = _bool(raw["informed"])
    if "red_flags" in raw:
        fields["red_flags"] = _flags(raw["red_flags"])
    if "exporter" in raw:
        fields["exporter"] = _exporter(raw["exporter"])
    return _construct(Shipment, fields)


def _item(raw: Any) -> Item:
    if not isinstance(raw, dict) or not raw.keys() <= _ITEM:
        raise _Refused
    fields: dict[str, Any] = {"kind": _choice(raw["kind"], _KINDS)}
    checks: dict[str, Callable[[Any], Any]] = {
        "control_code": _text,
        "cas": lambda v: check_cas(_text(v)),
        "hs_code": lambda v: check_hs_code(_text(v)),
        "value": _value,
        "currency": _currency,
    }
    for name, check in checks.items():
        if name in raw:
            fields[name] = _optional(raw[name], check)
    return _construct(Item, fields)


def _party(raw: Any) -> Party:
    if not isinstance(raw, dict) or not raw.keys() <= _PARTY:
        raise _Refused
    fields: dict[str, Any] = {"name": _text(raw["name"], nonempty=True)}
    if "country" in raw:
        fields["country"] = _optional(raw["country"], _country)
    return _construct(Party, fields)


def _defaults(model: type[BaseModel]) -> dict[str, Callable[[], Any]]:
    """Each field's default, as a function giving a fresh one."""
    found: dict[str, Callable[[], Any]] = {}
    for name, field in model.model_fields.items():
        if field.default_factory is not None:
            found[name] = field.default_factory  # type: ignore[assignment]
        elif not field.is_required():
            found[name] = _constant(field.default)
    return found


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


_DEFAULTS: dict[type[BaseModel], dict[str, Callable[[], Any]]] = {
    model: _defaults(model) for model in (Shipment, Item, Party)
}

_M = TypeVar("_M", bound=BaseModel)


def _construct(model: type[_M], given: dict[str, Any]) -> _M:
    """``model`` with the fields ``given`` (as the model read them) and the others' defaults, the fields set
    being those given, as the model's own validation sets them."""
    fields = dict(given)
    for name, default in _DEFAULTS[model].items():
        if name not in fields:
            fields[name] = default()
    return model.model_construct(set(given), **fields)


def _optional(value: Any, check: Callable[[Any], Any]) -> Any:
    return None if value is None else check(value)


def _text(value: Any, nonempty: bool = False) -> str:
    """Text the model keeps as it is: a string without surrounding whitespace (empty only if allowed)."""
    if type(value) is not str or value != value.strip() or (nonempty and not value):
        raise _Refused
    return value


def _choice(value: Any, allowed: frozenset[str]) -> str:
    if type(value) is not str or value not in allowed:
        raise _Refused
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Refused
    return value


def _flags(value: Any) -> list[str]:
    if type(value) is not list:
        raise _Refused
    return [_text(flag) for flag in value]


def _exporter(value: Any) -> dict[str, str | int | bool]:
    if type(value) is not dict:
        raise _Refused
    for key, fact in value.items():
        _text(key)
        if type(fact) is str:
            _text(fact)
        elif type(fact) not in (int, bool):
            raise _Refused
    return value


def _value(value: Any) -> Decimal:
    """An amount as :data:`~clearance.cellvalues.Number` reads it, not negative."""
    if type(value) is int or (type(value) is str and value.isascii() and _DECIMAL.fullmatch(value)):
        amount = Decimal(value)
    elif type(value) is str:
        amount = parse_number(value)
    else:
        raise _Refused
    if type(amount) is not Decimal or not amount.is_finite() or amount < 0:
        raise _Refused
    return amount


def _currency(value: Any) -> str:
    if type(value) is not str or not _CURRENCY.fullmatch(value):
        raise _Refused
    return value


@lru_cache(maxsize=4096)
def _country(value: Any) -> str:
    return check_country(_text(value))


@lru_cache(maxsize=65536)
def _date(value: Any) -> dt.date:
    if type(value) is not str:
        raise _Refused
    day = parse_date(value)
    if type(day) is not dt.date:
        raise _Refused
    return day
