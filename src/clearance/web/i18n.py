"""The web pages in Japanese, Korean and English: gettext catalogues (``locale/<lang>/LC_MESSAGES/messages.po``,
kept with Babel by ``scripts/i18n.py``), the language of a request (the one the user chose, else the browser's
Accept-Language), and dates and numbers formatted for it with Babel (2019年7月10日, ￥8,000,000).

Templates use Jinja's i18n extension (``{% trans %}``, ``_()``); the language of the page being rendered is a
context variable, so one template environment serves every request."""

from __future__ import annotations

import datetime as dt
import gettext
import io
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from clearance.engine.determine import PRESS_ONLY, UNVERIFIED

LOCALES = Path(__file__).resolve().parent / "locale"
#: The page languages, each with its own name for the switcher.
LANGUAGES = {"ja": "日本語", "ko": "한국어", "en": "English"}
DEFAULT = "en"
#: The cookie that remembers the language a user chose.
COOKIE = "clearance_lang"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English is the source: no catalogue)."""
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def negotiate(accept_language: str | None) -> str:
    """The page language for an Accept-Language header (``ja-JP,ja;q=0.9,en;q=0.8`` → ``ja``); English when the
    browser asks for none of ours."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            wanted.append((-quality, position, tag.split("-")[0].lower()))
    return next((tag for _, _, tag in sorted(wanted) if tag in LANGUAGES), DEFAULT)


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The language of a request: the one the user chose (cookie), else the browser's."""
    return cookie if cookie in LANGUAGES else negotiate(accept_language)


def activate(language: str) -> None:
    """Render what follows (in this context) in ``language``."""
    _current.set(language if language in LANGUAGES else DEFAULT)


def current() -> str:
    """The language being rendered."""
    return _current.get()


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(current()).gettext(message)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue where it is defined; it is translated where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, in the current language."""
    return translations(current()).ngettext(singular, plural, n)


def _locale() -> Locale:
    try:
        return Locale.parse(current())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)


def local_date(value: Any, form: str = "long") -> str:
    """A date for the current language (``2019年7月10日``, ``2019년 7월 10일``; English pages keep ISO 8601,
    ``2019-07-10``, as the trade documents they sit beside do); blank for None; an ISO string is read first."""
    if value is None or value == "":
        return ""
    day: dt.date
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    if current() == DEFAULT:
        return day.isoformat()
    return str(format_date(day, form, locale=_locale()))


def local_moment(value: Any) -> str:
    """A timestamp for the current language: its date as :func:`local_date` writes it and the time to the second
    (``2019年7月10日 09:30:00``); blank for None."""
    if value is None or value == "":
        return ""
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    time = text[11:19]
    return f"{local_date(text)} {time}".strip()


def local_number(value: Any) -> str:
    """A number with the current language's grouping (``8,000,000``); blank for None."""
    if value is None or value == "":
        return ""
    try:
        return str(format_decimal(Decimal(str(value)), locale=_locale(), decimal_quantization=False))
    except InvalidOperation:
        return str(value)


def local_money(value: Any, currency: str | None = None) -> str:
    """An amount with its currency for the current language (``￥8,000,000``, ``US$12.50``); without a currency,
    the number alone."""
    if value is None or value == "":
        return ""
    if not currency:
        return local_number(value)
    try:
        return str(format_currency(Decimal(str(value)), currency, locale=_locale()))
    except (InvalidOperation, ValueError):
        return f"{local_number(value)} {currency}"


def local_country(code: str | None) -> str:
    """A country's name in the current language (``KR`` → 韓国, 대한민국, South Korea); the code if unknown."""
    if not code:
        return ""
    return str(_locale().territories.get(code.upper()) or code)


#: What a licence requirement rests on, in words (the id stays on hover and in the JSON).
BASIS_NAMES = {
    "listed": N_("the item is on the control list"),
    "catch_all_wmd": N_("catch-all control: weapons of mass destruction"),
    "catch_all_conventional": N_("catch-all control: conventional weapons"),
    "catch_all_red_flags": N_("catch-all control: red flags"),
    "informed": N_("the authority informed us (informed requirement)"),
}

#: The kinds of party screened (FollowTheMoney schemas), in words.
SCHEMA_NAMES = {
    "LegalEntity": N_("company or person"),
    "Company": N_("company"),
    "Organization": N_("organisation"),
    "PublicBody": N_("public body"),
    "Person": N_("person"),
    "Vessel": N_("vessel"),
    "Airplane": N_("aircraft"),
}

#: The kinds of audit record, in words.
AUDIT_KINDS = {
    "determination": N_("determination"),
    "screening": N_("screening"),
    "decision": N_("screening decision"),
    "licence.created": N_("licence registered"),
    "licence.amended": N_("licence changed"),
    "drawdown": N_("shipment recorded against a licence"),
    "key.created": N_("API key created"),
    "key.revoked": N_("API key revoked"),
    "list.imported": N_("party list imported"),
    "order.checked": N_("order checked"),
    "order.resolved": N_("order reason resolved"),
    "order.released": N_("order released"),
    "order.block_lifted": N_("order block lifted"),
    "order.rechecked": N_("order re-checked"),
    "order.shipped": N_("order shipped"),
    "classification.recorded": N_("classification recorded"),
    "classification.approved": N_("classification approved"),
    "audit.inserted": N_("record inserted"),
}

#: The states of an order, in words.
ORDER_STATES = {
    "held": N_("held"),
    "blocked": N_("blocked"),
    "released": N_("released"),
    "shipped": N_("shipped"),
}

#: Why an order is held or blocked, in words.
REASON_KINDS = {
    "prohibited": N_("prohibited"),
    "list_entry": N_("party on a list"),
    "possible_hit": N_("possible list match"),
    "end_user_list": N_("end user on the End User List"),
    "cleared_hit": N_("cleared list match"),
    "licence": N_("covered by a licence"),
    "licence_needed": N_("licence needed"),
    "licence_exhausted": N_("licence used up"),
    "licence_nearly_exhausted": N_("licence nearly used up"),
    "undecided": N_("undecided (facts missing)"),
}

#: What a reason does to an order, and the decision of a check, in words.
EFFECTS = {
    "block": N_("block"),
    "hold": N_("hold"),
    "release": N_("release"),
    "note": N_("note"),
}

#: The kinds of warning an answer carries, in words.
WARNING_KINDS = {
    "unverified": N_("Rests on data not verified against the primary legal text"),
    "press_only": N_("Rests on press or secondary reports only"),
    "missing": N_("Facts not given"),
    "caveat": N_("Limits of what is encoded"),
}


def warning_groups(warnings: list[str] | tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """An answer's warnings by kind (unverified values, facts not given, limits of the encoding), in that order,
    each kind once with all its warnings, instead of one undifferentiated list."""
    groups: dict[str, list[str]] = {kind: [] for kind in WARNING_KINDS}
    for warning in warnings:
        if warning.endswith(UNVERIFIED):
            groups["unverified"].append(warning.removesuffix(f" {UNVERIFIED}"))
        elif warning.endswith(PRESS_ONLY):
            groups["press_only"].append(warning.removesuffix(f" {PRESS_ONLY}"))
        elif " not given: " in warning:
            groups["missing"].append(warning)
        else:
            groups["caveat"].append(warning)
    return [(kind, items) for kind, items in groups.items() if items]
