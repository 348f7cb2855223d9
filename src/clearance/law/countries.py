"""Country codes: ISO 3166-1 alpha-2, with English names for display, and the one validator every input uses.

:data:`CountryCode` is the pydantic type of every country a user gives (a shipment's destination, an end user's
country, a licence's destinations, a party to screen, a customer); :func:`parse_country` applies the same check
to values that do not pass through a model (command-line options, query entities), naming the field.

Besides codes, countries may be given by name in any of the scripts our users write: the CLDR names (through
Babel) in English, Japanese, Korean and Chinese, ISO 3166-1's alpha-3 codes and official names, and the short
and older forms of ``data/country_names.yaml`` (韓国, 한국, アメリカ, 米国, 独, UK …). A name that stands for
more than one country (``Korea``) is asked about, never guessed."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache
from importlib.resources import files
from typing import Annotated

import pycountry
import yaml
from babel import Locale
from pydantic import AfterValidator

from clearance.errors import InputError

#: The languages whose CLDR country names are understood.
NAME_LANGUAGES = ("en", "ja", "ko", "zh", "zh_Hant")
_NOISE = re.compile(r"[\s.,'’()\-・·]+")

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


def name_key(name: str) -> str:
    """A country name as it is looked up: NFKC, case-folded, without spaces, dots, commas and hyphens."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name).casefold())


@cache
def _name_table() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Names to codes, and the names that stand for more than one country (with the codes they may mean)."""
    known = country_names()
    found: dict[str, set[str]] = defaultdict(set)
    for language in NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in known:
                found[name_key(name)].add(code)
    for country in pycountry.countries:
        for name in (country.alpha_3, country.name, getattr(country, "official_name", None)):
            if name:
                found[name_key(str(name))].add(country.alpha_2)
    data = yaml.safe_load(files("clearance.data").joinpath("country_names.yaml").read_text(encoding="utf-8"))
    chosen = {name_key(str(n)): str(code) for code, names in data["names"].items() for n in names}
    names = {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}
    names.update(chosen)
    ambiguous = {key: tuple(sorted(codes)) for key, codes in found.items() if len(codes) > 1 and key not in chosen}
    ambiguous.update({name_key(str(n)): tuple(codes) for n, codes in data["ambiguous"].items()})
    for key in ambiguous:
        names.pop(key, None)
    return names, ambiguous


def resolve_country(value: str) -> str:
    """The alpha-2 code of a country given by code (either case) or name; ``ValueError`` saying so when the name
    is unknown, or naming the candidates when it stands for more than one country."""
    code = value.strip().upper()
    if is_country(code):
        return code
    names, ambiguous = _name_table()
    key = name_key(value)
    if key in ambiguous:
        choices = " or ".join(f"{c} ({country_name(c)})" for c in ambiguous[key])
        raise ValueError(f"ambiguous: {choices}? Give the ISO 3166-1 alpha-2 code")
    if key in names:
        return names[key]
    raise ValueError("not an ISO 3166-1 alpha-2 country code or a country name we know (e.g. JP, KR, 韓国, 한국)")


def check_country(value: str) -> str:
    """``value`` (a code or a country's name) as an upper-case ISO 3166-1 alpha-2 code; ``ValueError`` for
    anything else, names such as ``Korea`` that stand for several countries included (a guess is worse than a
    question)."""
    return resolve_country(value)


#: A country as users give it: an ISO 3166-1 alpha-2 code in either case, stored in upper case.
CountryCode = Annotated[str, AfterValidator(check_country)]


def parse_country(value: str, field: str) -> str:
    """:func:`check_country` for a value outside a model: :class:`InputError` naming ``field``."""
    try:
        return check_country(value)
    except ValueError as exc:
        raise InputError(field, f"{value!r} is {exc}") from None
