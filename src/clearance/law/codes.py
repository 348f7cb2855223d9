"""Wassenaar-style control codes (``3C002.a.2``): parsing, containment and the catalogue of known codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated

import orjson
from pydantic import AfterValidator

_CODE = re.compile(r"^(\d[A-E]\d{3})((?:\.[a-z0-9]+)*)$")
#: A CAS registry number such as 7664-39-3.
CAS_NUMBER = re.compile(r"^\d{2,7}-\d{2}-\d$")
#: An HS code of 2 to 10 digits, with or without dots: 84, 8479, 8479.89, 847989.
HS_CODE = re.compile(r"^\d{2}(?:\d{2}(?:\.?\d{2}(?:\.?\d{2,4})?)?)?$")


def check_cas(value: str) -> str:
    """``value`` if it is a CAS registry number whose check digit is right; ``ValueError`` naming the problem.

    The check digit is the sum of the other digits, each times its position counted from the right, modulo 10
    (7664-39-3: 9·1 + 3·2 + 4·3 + 6·4 + 6·5 + 7·6 = 123 → 3)."""
    if not CAS_NUMBER.match(value):
        raise ValueError(f"{value!r} is not a CAS registry number like 7664-39-3")
    digits = value.replace("-", "")
    expected = sum(i * int(d) for i, d in enumerate(reversed(digits[:-1]), start=1)) % 10
    if int(digits[-1]) != expected:
        raise ValueError(f"{value!r} is not a CAS registry number: its check digit should be {expected}")
    return value


def _hs(value: str) -> str:
    if not HS_CODE.match(value):
        raise ValueError(f"{value!r} is not an HS code like 8479.89")
    return value


def hs_digits(hs: str) -> str:
    """An HS code or heading without dots or spaces (``84.58`` → ``8458``, ``8479.89`` → ``847989``)."""
    return re.sub(r"[.\s]", "", hs)


#: Text validated as a CAS registry number, check digit included (for pydantic models).
CasNumber = Annotated[str, AfterValidator(check_cas)]
#: Text validated as an HS code (for pydantic models).
HsCode = Annotated[str, AfterValidator(_hs)]


def normalise_code(raw: str) -> str:
    """Canonical spelling of a control code: ECCN in capitals, paragraphs in lower case.

    Raises ``ValueError`` when the text is not a code of the form ``1C350`` or ``3C002.a.2``.
    """
    text = raw.strip()
    if len(text) < 5:
        raise ValueError(f"{raw!r} is not a control code like 3C002.a.2")
    code = text[:5].upper() + text[5:].lower()
    if not _CODE.match(code):
        raise ValueError(f"{raw!r} is not a control code like 3C002.a.2")
    return code


def code_within(code: str, prefix: str) -> bool:
    """Whether ``code`` is ``prefix`` or one of its sub-paragraphs (both normalised)."""
    return code == prefix or code.startswith(prefix + ".")


def split_code(code: str) -> tuple[str, str]:
    """The ECCN-style head (``3C002``) and the paragraph path (``a.2``, possibly empty) of a normalised code."""
    return code[:5], code[6:]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """A code family of the catalogue: its heading and the item paragraphs captured for it."""

    code: str
    heading: str
    reasons: str | None
    paragraphs: frozenset[str]
    paragraph_text: tuple[tuple[str, str], ...]


class Catalogue:
    """Known Wassenaar-style codes, from the bundled US Commerce Control List (shared numbering)."""

    def __init__(self, entries: dict[str, CatalogueEntry], deep_categories: frozenset[str], issue: str) -> None:
        self.entries = entries
        self.deep_categories = deep_categories
        self.issue = issue
        self._known: dict[str, bool] = {}

    def knows(self, code: str) -> bool:
        """Whether a normalised code names a catalogued entry (and, where paragraphs were captured, one of them)."""
        known = self._known.get(code)
        if known is None:
            known = self._known[code] = self._knows(code)
        return known

    def _knows(self, code: str) -> bool:
        head, paragraph = split_code(code)
        entry = self.entries.get(head)
        if entry is None:
            return False
        if not paragraph or not entry.paragraphs or head[0] not in self.deep_categories:
            return True
        return any(p == paragraph or p.startswith(paragraph + ".") for p in entry.paragraphs)

    def get(self, code: str) -> CatalogueEntry | None:
        """The catalogue entry of a code's head, if any."""
        return self.entries.get(split_code(code)[0])


@cache
def ccl_catalogue() -> Catalogue:
    """The catalogue built from the bundled CCL extract (eCFR issue of 2026-07-23)."""
    raw = orjson.loads(resources.files("clearance.data.us_ccl").joinpath("ccl.json").read_bytes())
    entries: dict[str, CatalogueEntry] = {}
    for item in raw["entries"]:
        paragraphs = [p for p in item.get("items", []) if p.get("paragraph") and p.get("kind") == "item"]
        entries[item["eccn"]] = CatalogueEntry(
            code=item["eccn"],
            heading=item["heading"],
            reasons=item.get("reasonForControl"),
            paragraphs=frozenset(p["paragraph"] for p in paragraphs),
            paragraph_text=tuple((p["paragraph"], p["text"]) for p in paragraphs),
        )
    return Catalogue(entries, frozenset(raw.get("deepCategories", [])), raw["ecfrIssueDate"])
