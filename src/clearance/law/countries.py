"""Country codes: ISO 3166-1 alpha-2, with English names for display, and the one validator every input uses.

:data:`CountryCode` is the pydantic type of every country a user gives (a shipment's destination, an end user's
country, a licence's destinations, a party to screen, a customer); :func:`parse_country` applies the same check
to values that do not pass through a model (command-line options, query entities), naming the field."""

from __future__ import annotations

from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator

from clearance.errors import InputError

#: Codes in use for territories that ISO 3166-1 has not (yet) assigned.
_USER_ASSIGNED = {"XK": "Kosovo"}


@cache
def country_names() -> dict[str, str]:
    """Every known alpha-2 code and its common English name."""
    names: dict[str, str] = {c.alpha_2: str(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}
    names.update(_USER_ASSIGNED)
    return names


def is_country(code: str) -> bool:
    """Whether ``code`` is a known alpha-2 country code (upper case)."""
    return code in country_names()


def country_name(code: str) -> str:
    """The English name of a country code (the code itself if unknown)."""
    return country_names().get(code, code)


def check_country(value: str) -> str:
    """``value`` as an upper-case ISO 3166-1 alpha-2 code; ``ValueError`` for anything else (names such as
    ``Korea`` included: they are ambiguous, and a guess is worse than a question)."""
    code = value.strip().upper()
    if not is_country(code):
        raise ValueError("not an ISO 3166-1 alpha-2 country code (e.g. JP, KR, CN)")
    return code


#: A country as users give it: an ISO 3166-1 alpha-2 code in either case, stored in upper case.
CountryCode = Annotated[str, AfterValidator(check_country)]


def parse_country(value: str, field: str) -> str:
    """:func:`check_country` for a value outside a model: :class:`InputError` naming ``field``."""
    try:
        return check_country(value)
    except ValueError as exc:
        raise InputError(field, f"{value!r} is {exc}") from None
