"""Numbers and dates as people and spreadsheets write them, read one way by every input (CLI, API, files).

Numbers: ``8,000,000``, ``¥7,200,000`` (``\\7,200,000`` as Shift_JIS files hold it), ``￥1,200``, ``₩5,000``,
``1200円``, full-width digits, ``△500`` and
``(500)`` for negatives. Dates: ``2019-07-15``, ``2019/7/5``, ``2019.7.5``, ``2019年7月5日``, ``令和元年7月5日``,
``R1.7.5``, ``20190705`` and Excel serial numbers (``43651``). Anything else is a ``ValueError`` saying what is
accepted; the models turn it into an error that names the field (and the files' readers the row).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator

#: Currency signs and the currency each stands for (``$`` is not here: it is several currencies' sign). A backslash
#: is the yen sign of Shift_JIS (CP932) files, whose byte 0x5C Japanese Windows shows as ¥.
CURRENCY_SIGNS = {"¥": "JPY", "\\": "JPY", "円": "JPY", "₩": "KRW", "원": "KRW", "€": "EUR", "£": "GBP", "元": "CNY"}
_SIGNS = "".join(CURRENCY_SIGNS) + "$"
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NUMBER = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?$|^(?P<dot>\.\d+)$")

#: Japanese eras: name, one-letter abbreviation, first day.
ERAS = (
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("大正", "T", dt.date(1912, 7, 30)),
    ("明治", "M", dt.date(1868, 1, 25)),
)
_ERA = {name: start for name, _, start in ERAS} | {letter: start for _, letter, start in ERAS}
_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ERA_DATE = re.compile(
    rf"^({'|'.join(_ERA)})\s*(元|\d{{1,2}})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?$", re.IGNORECASE
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: Excel's day 0 (serial 1 is 1900-01-01; Excel counts a 29 February 1900 that never was, so start a day early).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Excel serial numbers taken as dates: 1 January 1950 to 31 December 2099.
_SERIALS = range(18264, 73051)

DATE_FORMS = "YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, 令和元年M月D日, YYYYMMDD or an Excel date"


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def number_text(text: str) -> tuple[str, str | None]:
    """``text`` as a plain decimal number (``-7200000``) and the currency its sign names, if any; ``ValueError``
    when it is not a number as written."""
    value = _plain(text).replace(" ", "")
    negative = False
    if value.startswith(("△", "▲", "-", "−")):
        negative, value = True, value[1:]
    elif value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    currency = None
    for sign in _SIGNS:
        if value.startswith(sign) or value.endswith(sign):
            currency = CURRENCY_SIGNS.get(sign)
            value = value.removeprefix(sign).removesuffix(sign)
            break
    match = _NUMBER.match(value)
    if match is None:
        raise ValueError(f"{text!r} is not a number (write e.g. 8000000, 8,000,000 or ¥8,000,000)")
    digits = value.replace(",", "")
    return ("-" if negative else "") + digits, currency


def parse_number(value: Any) -> Any:
    """A number written as text (see the module) as a :class:`~decimal.Decimal`; other values unchanged."""
    if not isinstance(value, str) or not value.strip():
        return value
    if _PLAIN_NUMBER.fullmatch(value):  # digits as machines write them (most of a batch): the same decimal, sooner
        return Decimal(value)
    text, _ = number_text(value)
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - number_text only lets decimals through
        raise ValueError(f"{value!r} is not a number") from None


def currency_of(value: Any) -> str | None:
    """The currency a number's sign names (``¥7,200,000`` → ``JPY``), if it is text with such a sign."""
    if not isinstance(value, str):
        return None
    try:
        return number_text(value)[1]
    except ValueError:
        return None


def _date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date of the calendar") from None


def parse_date(value: Any) -> Any:
    """A date written as text (see the module) as a :class:`datetime.date`; other values unchanged."""
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, str) or not value.strip():
        return value
    return read_date(value)


@lru_cache(maxsize=65_536)
def read_date(value: str) -> dt.date:
    """A date written as text in any of the forms of the module; ``ValueError`` saying which forms otherwise
    (kept per text: a batch's dates repeat)."""
    text = _plain(value)
    if "T" in text or " " in text.strip():  # a date and time, as ISO 8601 or Excel write it
        head = re.split(r"[T ]", text, maxsplit=1)[0]
        if _SEPARATED.match(head):
            text = head
    if match := _SEPARATED.match(text):
        return _date(int(match[1]), int(match[2]), int(match[3]), value)
    if match := _ERA_DATE.match(text):
        start = _ERA[match[1].upper()]
        year = start.year + (1 if match[2] == "元" else int(match[2])) - 1
        day = _date(year, int(match[3]), int(match[4]), value)
        if day < start:
            raise ValueError(f"{value!r} is before the {match[1]} era began ({start.isoformat()})")
        return day
    if match := _COMPACT.match(text):
        return _date(int(match[1]), int(match[2]), int(match[3]), value)
    if text.isdigit() and int(text) in _SERIALS:
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    raise ValueError(f"{value!r} is not a date (write {DATE_FORMS})")


#: A number as people write it (see :func:`parse_number`).
Number = Annotated[Decimal, BeforeValidator(parse_number)]
#: A date as people write it (see :func:`parse_date`).
Day = Annotated[dt.date, BeforeValidator(parse_date)]
