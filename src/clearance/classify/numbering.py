"""Numbering systems: which systems use a code, the regime its series belongs to, and known divergences."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field

from clearance.classify.datafile import DATA, DataSource, Strict, check_sources, read
from clearance.errors import PackError
from clearance.law.codes import normalise_code

#: The id of the Wassenaar-style numbering (WA / EU Annex I / Korean Table 2) and of the US ECCN numbering.
WA = "wa"
US = "us"


class System(Strict):
    """A numbering system of control codes."""

    label: str
    sources: list[str] = Field(min_length=1)


class Series(Strict):
    """What the third character of a code says: the regime and whether the code is shared across systems."""

    label: str
    regime: str | None
    multilateral: bool
    sources: list[str] = Field(min_length=1)


class Divergence(Strict):
    """Where the systems number or word the same entry differently."""

    note: str
    sources: list[str] = Field(min_length=1)
    verified: bool = True


class Numbering(Strict):
    """``numbering.yaml``: systems, series and divergences, with their sources."""

    sources: dict[str, DataSource]
    systems: dict[str, System]
    series: dict[str, Series]
    divergences: dict[str, Divergence] = Field(default_factory=dict)

    def series_of(self, code: str) -> Series | None:
        """The series record of a normalised code (by its third character)."""
        return self.series.get(code[2])

    def multilateral(self, code: str) -> bool:
        """Whether a code numbers a multilateral list (so WA / EU / KR / US share it)."""
        series = self.series_of(code)
        return series is not None and series.multilateral

    def divergences_of(self, code: str) -> list[tuple[str, Divergence]]:
        """Divergence notes recorded for ``code`` or any code above it (1C350 applies to 1C350.d.15)."""
        return [(c, d) for c, d in self.divergences.items() if code == c or code.startswith(c + ".")]


def load_numbering(path: Path | None = None) -> Numbering:
    """Read and check ``numbering.yaml`` (default: the bundled file)."""
    file = path or DATA / "numbering.yaml"
    data = read(file, Numbering)
    label = file.name
    for kind in ("systems", "series", "divergences"):
        for key, record in getattr(data, kind).items():
            check_sources(record.sources, data.sources, label, f"{kind}.{key}")
    for key in data.divergences:
        try:
            if normalise_code(key) != key:
                raise ValueError(f"{key!r} is not in canonical spelling ({normalise_code(key)})")
        except ValueError as exc:
            raise PackError(label, f"divergences.{key}", str(exc)) from exc
    for key in (WA, US):
        if key not in data.systems:
            raise PackError(label, "systems", f"the {key!r} system is required")
    return data


@cache
def numbering() -> Numbering:
    """The bundled numbering data (read once)."""
    return load_numbering()
