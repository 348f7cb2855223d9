"""A batch line cut in two without the shipment model: its shape (everything but its own facts) and its own facts
(reference, date, destination, value, end user's name and country) as the line gives them.

Lines of one shape differ only in their own facts, so :class:`~clearance.engine.keyed.Keyed` reads a shape once
with the model and each own fact with the model's own validators (:func:`~clearance.cellvalues.parse_date`,
:func:`~clearance.cellvalues.parse_number`, :func:`~clearance.law.countries.check_country`). Only own facts the
model reads as they stand are cut out (text without surrounding spaces, a value in text or a whole number); any
other line is left to the model (:func:`cut` gives ``None``), and so is any line whose own fact a validator refuses.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson


class Cut(NamedTuple):
    """A line's shape (its JSON without its own facts, keys sorted) and its own facts as given (a tuple: made for
    every line, it costs a third of a frozen dataclass)."""

    shape: bytes
    ref: str | None
    date: str
    destination: str
    value: str | int | None
    #: The end user's name and country (``None`` without an end user).
    end_user: tuple[str, str | None] | None


def plain_text(value: Any) -> bool:
    """Whether ``value`` is text the model reads as it stands (no surrounding spaces for it to strip)."""
    return type(value) is str and value == value.strip()


def cut(line: bytes | str) -> Cut | None:
    """The shape and own facts of a JSON line, or ``None`` when the model is to read it whole."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not dict or type(item := data.get("item")) is not dict:
        return None
    ref, date, destination = data.pop("ref", None), data.pop("date", None), data.pop("destination", None)
    value = item.pop("value", None)
    party = data.get("end_user")
    end_user = None
    if party is not None:
        if type(party) is not dict:
            return None
        name, country = party.pop("name", None), party.pop("country", None)
        if not (plain_text(name) and name and (country is None or plain_text(country))):
            return None
        end_user = (name, country)
    if not (
        (ref is None or plain_text(ref))
        and type(date) is str
        and plain_text(destination)
        and (value is None or type(value) is str or (type(value) is int and value >= 0))
    ):
        return None
    return Cut(orjson.dumps(data, option=orjson.OPT_SORT_KEYS), ref, date, destination, value, end_user)
