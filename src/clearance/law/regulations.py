"""Loaded regulations: immutable, content-hashed, and queried as of a date through snapshots."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clearance.errors import PackError
from clearance.law import schema as s
from clearance.law.citations import Citation, citation
from clearance.law.codes import code_within, hs_digits, normalise_code, split_code
from clearance.law.predicates import Check, Cond, bind, references
from clearance.law.timeline import Timeline, Version


@dataclass(frozen=True, slots=True)
class TimedObject:
    """One object of a pack (a list, group, row, licence type …): its definition and its versions."""

    oid: str
    file: str
    model: Any
    timeline: Timeline[Any]


@dataclass(frozen=True, slots=True)
class Classification:
    """Where an item sits in a national control list on a date: row, explicit entry, and the versions read."""

    row: str | None
    entry: str | None
    versions: tuple[Version[Any], ...]
    how: str
    candidates: tuple[str, ...] = ()
    needs: str | None = None


class Regulations:
    """One jurisdiction's loaded, checked and frozen regulation pack.

    ``data_version`` is a hash of the pack's content: the same input and ``data_version`` always give the
    same determination. ``at(date)`` returns the :class:`Snapshot` of the law in force on that date.
    """

    def __init__(
        self,
        meta: s.PackMeta,
        sources: Mapping[str, s.Source],
        objects: Mapping[str, Mapping[str, TimedObject]],
        conditions: Mapping[int, Cond],
        chapters: Mapping[str, Mapping[dt.date, frozenset[str]]],
        data_version: str,
    ) -> None:
        self.meta = meta
        self.sources = dict(sources)
        self.objects = {kind: dict(objs) for kind, objs in objects.items()}
        self._conditions = dict(conditions)
        self._chapters = chapters
        self.data_version = data_version
        dates = {v.starts for objs in self.objects.values() for o in objs.values() for v in o.timeline.versions}
        self.change_dates: tuple[dt.date, ...] = tuple(sorted(dates | {meta.coverage_from}))
        self._snapshots: dict[int, Snapshot] = {}
        self._citations: dict[str, Citation] = {}

    @property
    def id(self) -> str:
        """The pack id (e.g. ``jp``)."""
        return self.meta.id

    def condition(self, raw: Mapping[str, Any]) -> Cond:
        """The parsed form of a condition mapping taken from this pack's models."""
        return self._conditions[id(raw)]

    def conditions(self) -> Iterator[Cond]:
        """Every parsed condition of this pack (on any date)."""
        return iter(self._conditions.values())

    def knows_code(self, code: str) -> bool:
        """Whether a normalised code falls under an explicit entry of this pack (on any date)."""
        return any(
            code_within(code, normalise_code(prefix))
            for obj in self.objects["entries"].values()
            for version in obj.timeline.versions
            if version.value is not None
            for prefix in version.value.codes
        )

    def citation(self, source_id: str) -> Citation:
        """The citation record of a source id (memoised)."""
        found = self._citations.get(source_id)
        if found is None:
            found = self._citations[source_id] = citation(source_id, self.sources[source_id])
        return found

    def hs_chapters(self, row: str, effective: dt.date) -> frozenset[str]:
        """The HS chapters a (catch-all) row covers in its version effective on ``effective``."""
        return self._chapters.get(row, {}).get(effective, frozenset())

    def at(self, when: dt.date) -> Snapshot:
        """The law in force on ``when`` (snapshots are shared between dates of the same epoch)."""
        epoch = bisect_right(self.change_dates, when)
        snapshot = self._snapshots.get(epoch)
        if snapshot is None:
            start = self.change_dates[epoch - 1] if epoch else dt.date.min
            snapshot = self._snapshots[epoch] = Snapshot(self, start)
        return snapshot

    def versions(self) -> Iterator[tuple[TimedObject, Version[Any]]]:
        """Every dated value of every object, grouped by object (not the versions that only change references)."""
        for objs in self.objects.values():
            for obj in objs.values():
                for version in obj.timeline.versions:
                    if version.cited_from is None:
                        yield obj, version


@dataclass(frozen=True, slots=True)
class Active:
    """An object with its version in force in a snapshot and its bound condition, if any."""

    obj: TimedObject
    version: Version[Any]
    check: Check | None

    @property
    def value(self) -> Any:
        """The version's value (never ``None``: repealed objects are not active)."""
        return self.version.value


class Snapshot:
    """The law in force from one change date to the next: versions picked, conditions bound, indexes built."""

    def __init__(self, regs: Regulations, when: dt.date) -> None:
        self.regs = regs
        self.when = when
        self._lists: dict[str, frozenset[str] | None] = {}
        self._group_cache: dict[str, str | None] = {}
        self.group_checks: list[tuple[str, Check]] = []
        self.residual: str | None = None
        self.active: dict[str, dict[str, Active]] = {}
        for kind, objs in regs.objects.items():
            self.active[kind] = {}
            for oid, obj in objs.items():
                version = obj.timeline.at(when)
                if version is None or version.value is None:
                    continue
                raw = getattr(version.value, "when", None)
                check = bind(regs.condition(raw), self) if raw is not None else None
                self.active[kind][oid] = Active(obj, version, check)
        for gid, active in self.active["destination_groups"].items():
            if active.check is None:
                self.residual = gid
            else:
                self.group_checks.append((gid, active.check))
        self.memo: dict[Hashable, Any] = {}
        self._classified: dict[tuple[str | None, str | None], Classification] = {}
        self._bound: dict[int, Check] = {}
        self._lists_read: dict[int, tuple[Version[Any], ...]] = {}
        self._ranges: dict[tuple[str, str], str] | None = None
        self._hs: dict[str, str] | None = None

    def bind(self, raw: Mapping[str, Any]) -> Check:
        """A condition of this pack bound to this snapshot (cached)."""
        check = self._bound.get(id(raw))
        if check is None:
            check = self._bound[id(raw)] = bind(self.regs.condition(raw), self)
        return check

    def list_members(self, list_id: str) -> frozenset[str] | None:
        """Members of a country list in this snapshot (``None`` if it has no value)."""
        if list_id not in self._lists:
            active = self.active["country_lists"].get(list_id)
            self._lists[list_id] = frozenset(active.value.members) if active else None
        return self._lists[list_id]

    def group_of(self, country: str) -> str | None:
        """The destination group of a country (``None`` if no group is defined on this date)."""
        if country not in self._group_cache:
            from clearance.law.facts import Facts

            facts = Facts(destination=country, kind="goods", end_use="civil")
            group = next((gid for gid, check in self.group_checks if check(facts) is True), self.residual)
            self._group_cache[country] = group
        return self._group_cache[country]

    def lists_read(self, raw: Mapping[str, Any] | None) -> tuple[Version[Any], ...]:
        """Versions of the country lists a condition of this pack reads in this snapshot (cached)."""
        if raw is None:
            return ()
        key = id(raw)
        found = self._lists_read.get(key)
        if found is None:
            ids = sorted(references(self.regs.condition(raw), "country_lists"))
            found = tuple(self.active["country_lists"][i].version for i in ids if i in self.active["country_lists"])
            self._lists_read[key] = found
        return found

    def versions_of(self, active: Active) -> tuple[Version[Any], ...]:
        """An active object's version and the versions of the country lists its conditions read."""
        read = list(self.lists_read(getattr(active.value, "when", None)))
        for exception in getattr(active.value, "exceptions", ()):
            read += [v for v in self.lists_read(exception.when) if v not in read]
        return (active.version, *read)

    def group_versions(self, group: str) -> tuple[Version[Any], ...]:
        """The group's definition and the lists it reads; for the residual group, every other group's too."""
        active = self.active["destination_groups"][group]
        if active.value.when is not None:
            return (active.version, *self.lists_read(active.value.when))
        versions: list[Version[Any]] = [active.version]
        for gid, _ in self.group_checks:
            other = self.active["destination_groups"][gid]
            versions += [other.version, *self.lists_read(other.value.when)]
        return tuple(versions)

    def range_index(self) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
        """Code ranges ``(category, series) -> row`` and HS chapters ``chapter -> row``; overlaps are errors."""
        if self._ranges is None or self._hs is None:
            ranges: dict[tuple[str, str], str] = {}
            hs: dict[str, str] = {}
            for rid, active in self.active["rows"].items():
                value = active.value
                for rng in value.covers:
                    for cat in rng.categories:
                        for series in rng.series:
                            other = ranges.setdefault((cat, series), rid)
                            if other != rid:
                                raise PackError(
                                    active.obj.file,
                                    f"{rid}.values.{active.version.effective}.covers",
                                    f"codes {cat}x{series}xx are also covered by row {other}: rows must not overlap",
                                )
                for chapter in self.regs.hs_chapters(rid, active.version.effective):
                    other = hs.setdefault(chapter, rid)
                    if other != rid:
                        raise PackError(
                            active.obj.file,
                            f"{rid}.values.{active.version.effective}.hs_chapters",
                            f"HS chapter {chapter} is also covered by row {other}: rows must not overlap",
                        )
            residual = [rid for rid, active in self.active["rows"].items() if active.value.residual]
            if len(residual) > 1:
                active = self.active["rows"][residual[1]]
                raise PackError(
                    active.obj.file,
                    f"{residual[1]}.values.{active.version.effective}.residual",
                    f"row {residual[0]} is already the residual row: only one row may be",
                )
            self._ranges, self._hs = ranges, hs
        return self._ranges, self._hs

    def classify(self, code: str | None, hs_code: str | None) -> Classification:
        """Place an item in the control list: explicit entries first (longest code), then code ranges,
        then, for an item without a listed code, the catch-all row by HS chapter (memoised)."""
        key = (code, hs_code)
        found = self._classified.get(key)
        if found is None:
            found = self._classified[key] = self._classify(code, hs_code)
        return found

    def _classify(self, code: str | None, hs_code: str | None) -> Classification:
        ranges, hs = self.range_index()
        if code is not None:
            best: tuple[int, str, Active] | None = None
            for eid, active in self.active["entries"].items():
                for prefix in active.value.codes:
                    norm = normalise_code(prefix)
                    if code_within(code, norm) and (best is None or len(norm) > best[0]):
                        best = (len(norm), eid, active)
            if best is not None:
                _, eid, entry = best
                row = entry.obj.model.row
                row_active = self.active["rows"].get(row)
                versions = (entry.version, row_active.version) if row_active else (entry.version,)
                return Classification(row, eid, versions, "entry")
            head, _ = split_code(code)
            row_id = ranges.get((head[0], head[2]))
            if row_id is not None:
                return Classification(row_id, None, (self.active["rows"][row_id].version,), "range")
        if hs_code is not None:
            by_heading = self._by_heading(hs_code)
            if by_heading is not None:
                return by_heading
            row_id = hs.get(hs_code[:2])
            if row_id is not None:
                return Classification(row_id, None, (self.active["rows"][row_id].version,), "hs")
        residual = self.residual_row()
        if residual is not None:
            return Classification(residual, None, (self.active["rows"][residual].version,), "residual")
        if hs_code is not None:
            return Classification(
                None, None, tuple(self.active["rows"][r].version for r in sorted(set(hs.values()))), "hs"
            )
        return Classification(None, None, (), "none")

    def headings(self) -> tuple[tuple[str, str, str], ...]:
        """``(digits, row, kind)`` for every HS heading a row lists in this snapshot; kind is ``in``, ``except``
        or ``undecided``. A heading listed by two rows is an error."""
        found: tuple[tuple[str, str, str], ...] | None = self.memo.get("headings")
        if found is None:
            out: list[tuple[str, str, str]] = []
            seen: dict[str, str] = {}
            for rid, active in self.active["rows"].items():
                value = active.value
                for kind, listed in (
                    ("in", value.hs_headings),
                    ("except", value.hs_except),
                    ("undecided", value.hs_undecided),
                ):
                    for heading in listed:
                        digits = hs_digits(heading)
                        other = seen.setdefault(digits, rid)
                        if other != rid:
                            raise PackError(
                                active.obj.file,
                                f"{rid}.values.{active.version.effective}",
                                f"HS heading {heading} is also listed by row {other}: rows must not overlap",
                            )
                        out.append((digits, rid, kind))
            found = self.memo["headings"] = tuple(out)
        return found

    def _by_heading(self, hs_code: str) -> Classification | None:
        """The row an HS code falls in by the headings rows list (the longest heading wins, ``hs_except`` takes
        the code back to the chapter rows); undecided when the code is less precise than a heading that decides,
        or falls under an ``hs_undecided`` heading."""
        digits = hs_digits(hs_code)
        _, hs = self.range_index()
        chapter_row = hs.get(digits[:2])
        best: tuple[int, str, str] | None = None
        vague: set[str] = set()
        for heading, rid, kind in self.headings():
            if digits.startswith(heading):
                if best is None or len(heading) > best[0]:
                    best = (len(heading), rid, kind)
            elif heading.startswith(digits):
                # A less precise code may or may not reach this heading: its row (or, past an exception, the
                # chapter's row) is a candidate.
                vague |= {rid} if kind != "except" else ({chapter_row} if chapter_row else set())
        if best is None and not vague:
            return None
        rows = self.active["rows"]
        if best is not None and best[2] == "undecided":
            row_id = best[1]
            candidates = tuple(sorted({row_id, *([chapter_row] if chapter_row else [])}))
            needs = rows[row_id].value.hs_undecided_needs or "item.hs_code"
            return Classification(
                None, None, tuple(rows[r].version for r in candidates), "hs-undecided", candidates, needs
            )
        within = best[1] if best is not None and best[2] == "in" else chapter_row
        if vague - {within}:
            candidates = tuple(sorted({*vague, *([within] if within else [])}))
            versions = tuple(rows[r].version for r in candidates)
            return Classification(None, None, versions, "hs-undecided", candidates, "item.hs_code (to six digits)")
        if within is None:
            return None
        return Classification(within, None, (rows[within].version,), "hs")

    def residual_row(self) -> str | None:
        """The row holding every item no other row covers, if the pack has one in force."""
        return next((rid for rid, active in self.active["rows"].items() if active.value.residual), None)

    def catch_all_rows(self) -> list[str]:
        """Rows defined by HS chapters or headings (catch-all rows) in this snapshot."""
        _, hs = self.range_index()
        return sorted(set(hs.values()) | {rid for _, rid, _ in self.headings()})
