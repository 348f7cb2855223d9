"""Curated search terms: names of goods in English, Japanese and Korean, CAS numbers, HS headings, targets."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import Field

from clearance.classify.datafile import DATA, DataSource, Strict, check_sources, read
from clearance.errors import PackError
from clearance.law.codes import CasNumber, normalise_code
from clearance.law.schema import PROVING_CLASSES

_HS = re.compile(r"^\d{4}(?:\.?\d{2})?$")


class Names(Strict):
    """A term's names by language."""

    en: list[str] = Field(default_factory=list)
    ja: list[str] = Field(default_factory=list)
    ko: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        """Every name, English first."""
        return [*self.en, *self.ja, *self.ko]


class Term(Strict):
    """One kind of goods: its names, CAS numbers, usual HS headings and the entries it points to."""

    label: str
    names: Names
    cas: list[CasNumber] = Field(default_factory=list)
    hs: list[str] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list)
    entries: dict[str, list[str]] = Field(default_factory=dict)
    note: str | None = None
    sources: list[str] = Field(min_length=1)
    verified: bool = True

    @property
    def listed(self) -> bool:
        """Whether the term points at control-list entries (else it names goods found only by HS chapter)."""
        return bool(self.codes or any(self.entries.values()))


class Terms(Strict):
    """``terms.yaml``: the sources it cites and the terms by id."""

    sources: dict[str, DataSource]
    terms: dict[str, Term]


def load_terms(path: Path | None = None) -> Terms:
    """Read and check ``terms.yaml`` (default: the bundled file). Targets are checked when an index is built."""
    file = path or DATA / "terms.yaml"
    data = read(file, Terms)
    label = file.name
    for tid, term in data.terms.items():
        where = f"terms.{tid}"
        check_sources(term.sources, data.sources, label, where)
        if term.verified and not any(data.sources[s].source_class in PROVING_CLASSES for s in term.sources):
            raise PackError(
                label, f"{where}.verified", "a term citing no primary or official source must say verified: false"
            )
        if not term.names.all():
            raise PackError(label, f"{where}.names", "at least one name is required")
        if not term.listed and not term.hs:
            raise PackError(label, where, "a term needs codes, entries or hs headings to point at")
        for i, hs in enumerate(term.hs):
            if not _HS.match(hs):
                raise PackError(label, f"{where}.hs[{i}]", f"{hs!r} is not an HS heading like 8479 or 8479.89")
        for i, code in enumerate(term.codes):
            try:
                canonical = normalise_code(code)
            except ValueError as exc:
                raise PackError(label, f"{where}.codes[{i}]", str(exc)) from exc
            if canonical != code:
                raise PackError(label, f"{where}.codes[{i}]", f"write {canonical!r} (canonical spelling)")
    return data


@cache
def terms() -> Terms:
    """The bundled terms (read once)."""
    return load_terms()
