"""Law as data: loading, checking and querying effective-dated, cited regulation packs.

This package imports nothing else from clearance but its exception tree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from clearance.errors import UnknownRegimeError
from clearance.law.loader import Reader, load_pack, load_regulations_dir
from clearance.law.regulations import Regulations, Snapshot
from clearance.law.yamlio import read_yaml

BUNDLED = Path(__file__).resolve().parent.parent / "regulations"


class RegulationSet(Mapping[str, Regulations]):
    """The loaded packs by regime id; ``[regime]`` raises :class:`UnknownRegimeError` for an unknown one."""

    def __init__(self, packs: Mapping[str, Regulations]) -> None:
        self._packs = dict(packs)

    def __getitem__(self, regime: str) -> Regulations:
        try:
            return self._packs[regime]
        except KeyError:
            known = ", ".join(sorted(self._packs))
            raise UnknownRegimeError("regime", f"unknown regime {regime!r} (known: {known})") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._packs)

    def __len__(self) -> int:
        return len(self._packs)


_loaded: dict[Path, RegulationSet] = {}


def load_regulations(root: Path | None = None, read: Reader = read_yaml) -> RegulationSet:
    """Every pack under ``root`` (default: the packs bundled with clearance), loaded once per process: each file
    read by ``read`` on the first call (:class:`clearance.law.parsed.ParsedYaml` keeps them parsed between runs and
    gives the values :func:`read_yaml` gives, so later calls share that load whatever reader they name)."""
    folder = root or BUNDLED
    if folder not in _loaded:
        _loaded[folder] = RegulationSet(load_regulations_dir(folder, read))
    return _loaded[folder]


__all__ = ["BUNDLED", "RegulationSet", "Regulations", "Snapshot", "load_pack", "load_regulations"]
