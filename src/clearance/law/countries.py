"""Country codes: ISO 3166-1 alpha-2, with English names for display."""

from __future__ import annotations

from functools import cache

import pycountry

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
