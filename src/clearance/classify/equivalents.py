"""Equivalents across numbering systems: Wassenaar-style / US codes ↔ each pack's rows, sub-items and entries.

Built only from the packs' own concordance, as the engine reads it (``Snapshot.classify``):

- an explicit pack entry is ``equal`` to each code it lists (Japan's 7(19) = 3C002);
- any other code falls ``within`` the pack entry or row that ``classify`` places it in (1C002 within row 5,
  by the row's code range; 1C350.d.15 within 3(1) through 1C350).

Every link is stored in both directions (``within`` ↔ ``contains``), so equivalence is symmetric. A code whose
parent already links to the same pack record does not repeat the link: it inherits it (shown ``via`` the
parent). Codes spelt the same in Wassenaar-style and US numbering are one record (its ``systems``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clearance.classify.entries import IndexEntry, listed_codes, pack_ref
from clearance.classify.numbering import US, WA, Numbering
from clearance.law.regulations import Regulations

INVERSE = {"equal": "equal", "within": "contains", "contains": "within"}


@dataclass(frozen=True, slots=True)
class Equivalent:
    """A link from one record to a record of another numbering system.

    ``relation``: ``equal``, ``within`` (this record falls under the other) or ``contains``; ``how``:
    ``entry`` (an explicit pack entry lists the code) or ``range`` (a pack row's code range covers it);
    ``via``: the ancestor code the link is inherited from, if any.
    """

    ref: str
    relation: str
    how: str
    via: str | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    """A numbering system in which a record has no equivalent, and why."""

    system: str
    reason: str


class Equivalence:
    """The links between records, both ways, and the systems each record has no equivalent in."""

    def __init__(self, entries: Mapping[str, IndexEntry], systems: Iterable[str]) -> None:
        self.entries = entries
        self.systems = tuple(systems)
        self.links: dict[str, list[Equivalent]] = {}
        self.residual: dict[tuple[str, str], str] = {}

    def link(self, a: str, b: str, relation: str, how: str) -> None:
        """Record ``a relation b`` and its inverse."""
        self.links.setdefault(a, []).append(Equivalent(b, relation, how))
        self.links.setdefault(b, []).append(Equivalent(a, INVERSE[relation], how))

    def direct(self, ref: str) -> list[Equivalent]:
        """The links recorded on ``ref`` itself."""
        return list(self.links.get(ref, []))

    def of(self, ref: str) -> list[Equivalent]:
        """The links of ``ref`` plus, for numbering systems it has no link of its own in, those its nearest
        ancestor code passes down (marked ``via``)."""
        found = self.direct(ref)
        covered = {self._system(e.ref) for e in found}
        entry = self.entries.get(ref)
        parent = entry.parent if entry is not None and entry.pack is None else None
        while parent is not None:
            passed = [e for e in self.links.get(parent, []) if e.relation != "contains"]
            for system in dict.fromkeys(self._system(e.ref) for e in passed):
                if system in covered:
                    continue
                for link in passed:
                    if self._system(link.ref) == system:
                        found.append(Equivalent(link.ref, "within", link.how, link.via or parent))
                covered.add(system)
            parent_entry = self.entries.get(parent)
            parent = parent_entry.parent if parent_entry is not None else None
        return found

    def _system(self, ref: str) -> str:
        entry = self.entries.get(ref)
        return (entry.pack if entry is not None else None) or "code"

    def missing(self, ref: str, numbering: Numbering) -> list[Missing]:
        """The systems (``wa``, ``us`` and each pack) in which ``ref`` has no equivalent, with the reason."""
        entry = self.entries[ref]
        linked = {self.entries[e.ref].pack or "code" for e in self.of(ref) if e.ref in self.entries}
        out: list[Missing] = []
        if entry.pack is None:
            series = numbering.series_of(entry.code)
            label = series.label if series else "an unknown series"
            if WA not in entry.systems:
                out.append(Missing(WA, f"{entry.code} is in {label}: no Wassenaar-style code is spelt the same"))
            if US not in entry.systems:
                out.append(Missing(US, f"{entry.code} is not in the bundled US CCL extract"))
            for pack in self.systems:
                if pack in linked:
                    continue
                rest = self.residual.get((ref, pack))
                reason = f"no row or entry of the {pack} pack lists {entry.code}"
                out.append(Missing(pack, reason + (f": it falls only in the residual row {rest}" if rest else "")))
            return out
        if "code" not in linked:
            parent = self.entries.get(entry.parent) if entry.parent else None
            hint = ""
            if parent is not None and any(e.relation == "contains" for e in self.direct(parent.ref)):
                hint = f"; its row {parent.ref} covers codes by range"
            reason = f"the {entry.pack} pack maps no Wassenaar-style code to {ref}{hint}"
            out += [Missing(WA, reason), Missing(US, reason)]
        return out


def build_equivalence(
    entries: Mapping[str, IndexEntry], packs: Mapping[str, Regulations], as_of: dt.date
) -> Equivalence:
    """Link every code record to the pack records ``classify`` puts it in, for each pack, on ``as_of``."""
    eq = Equivalence(entries, packs)
    codes = [ref for ref, e in entries.items() if e.pack is None]
    for pack, regs in packs.items():
        snap = regs.at(as_of)
        listed = listed_codes(regs, as_of)
        target: dict[str, str] = {}
        for entry_ref, entry_codes in listed.items():
            for code in entry_codes:
                eq.link(code, entry_ref, "equal", "entry")
                target[code] = entry_ref
        for code in codes:
            if code in target:
                continue
            found = snap.classify(code, None)
            if found.entry is not None:
                ref, how = pack_ref(pack, found.entry), "entry"
            elif found.how == "range" and found.row is not None:
                ref, how = pack_ref(pack, found.row), "range"
            else:
                if found.how == "residual" and found.row is not None:
                    eq.residual[(code, pack)] = pack_ref(pack, found.row)
                continue
            target[code] = ref
            parent = entries[code].parent
            if parent is not None and target.get(parent) == ref:
                continue
            eq.link(code, ref, "within", how)
    return eq
