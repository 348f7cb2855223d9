"""Questions about the law itself: what was in force on a date, what changed between dates, and when.

:func:`law_as_of` and :func:`law_timeline` are the answers as the API, the web pages and ``clearance --json``
give them (with the sources cited)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from clearance.law.countries import country_name, country_names
from clearance.law.predicates import Cond
from clearance.law.regulations import Regulations, TimedObject
from clearance.law.timeline import Version


@dataclass(frozen=True, slots=True)
class Change:
    """One dated change of the law: which object, what changed, when decided and in force, on what basis."""

    date: dt.date
    object: str
    label: str
    summary: str
    announced: dt.date | None
    published: dt.date | None
    citations: tuple[str, ...]
    verified: bool
    countries: tuple[str, ...] = field(default=())
    regime: str = ""


def _meta(version: Version[Any]) -> Any:
    return version.value if version.value is not None else version.repeal


def _members(version: Version[Any] | None) -> set[str]:
    if version is None or version.value is None or not hasattr(version.value, "members"):
        return set()
    return set(version.value.members)


def _summary(obj: TimedObject, previous: Version[Any] | None, version: Version[Any]) -> tuple[str, set[str]]:
    label = obj.model.label
    if version.value is None:
        return f"{label}: repealed", set()
    if hasattr(version.value, "members"):
        before, after = _members(previous), _members(version)
        added, removed = sorted(after - before), sorted(before - after)
        parts = [f"+{c} ({country_name(c)})" for c in added] + [f"-{c} ({country_name(c)})" for c in removed]
        if previous is None:
            return f"{label}: {len(after)} members", after
        return f"{label}: {', '.join(parts) or 'no change in members'}", set(added) | set(removed)
    name = getattr(version.value, "name", None)
    if previous is None or previous.value is None:
        return f"{label}: in force" + (f" ({name})" if name else ""), set()
    return f"{label}: {_amendment(previous.value, version.value)}", set()


#: Fields of a dated value that say where it comes from rather than what the law is.
_PROVENANCE = frozenset({"sources", "verified", "why_unverified", "note", "caveat", "announced", "published"})


def _amendment(before: Any, after: Any) -> str:
    """What an amendment changed, in words: a new name (``renamed from 'White country' to 'Group A'``), the fields
    of the law that changed, or only its sources."""
    old, new = before.model_dump(), after.model_dump()
    changed = [k for k in new if old.get(k) != new.get(k)]
    words = []
    if "name" in changed:
        words.append(f"renamed from {old.get('name')!r} to {new.get('name')!r}")
    fields = [k for k in changed if k != "name" and k not in _PROVENANCE]
    if fields:
        words.append(f"{', '.join(fields)} changed")
    if not words:
        words.append("sources or notes revised, the law unchanged" if changed else "re-enacted unchanged")
    return "; ".join(words)


def changes(regs: Regulations) -> list[Change]:
    """Every dated change of the pack, oldest first (the first version of each object included)."""
    found: list[Change] = []
    for objs in regs.objects.values():
        for obj in objs.values():
            previous: Version[Any] | None = None
            for version in obj.timeline.versions:
                if version.cited_from is not None:
                    continue  # a change of references only (a renumbered article) is not an amendment
                meta = _meta(version)
                summary, countries = _summary(obj, previous, version)
                found.append(
                    Change(
                        regime=regs.id,
                        date=version.effective,
                        object=version.object_id,
                        label=obj.model.label,
                        summary=summary,
                        announced=getattr(meta, "announced", None),
                        published=getattr(meta, "published", None),
                        citations=tuple(getattr(meta, "sources", ())),
                        verified=bool(getattr(meta, "verified", True)),
                        countries=tuple(sorted(countries | _countries_named(regs, version, previous))),
                    )
                )
                previous = version
    return sorted(found, key=lambda c: (c.date, c.object))


def _countries_named(regs: Regulations, version: Version[Any], previous: Version[Any] | None) -> set[str]:
    """Countries a version's condition names (for a repeal, those of the version it ends)."""
    source = version if version.value is not None or previous is None else previous
    raw = getattr(source.value, "when", None)
    if raw is None:
        return set()
    cond: Cond = regs.condition(raw)
    return {c for node in cond.walk() if node.name == "destination_is" for c in node.arg}


def group_history(regs: Regulations, country: str) -> list[Change]:
    """The dates a country moved between destination groups, with the citations of the move."""
    moves: list[Change] = []
    previous: str | None = None
    for when in regs.change_dates:
        snapshot = regs.at(when)
        group = snapshot.group_of(country)
        if group != previous and group is not None:
            versions = snapshot.group_versions(group)
            changed = [v for v in versions if v.effective == when] or list(versions)
            meta = [_meta(v) for v in changed]
            moves.append(
                Change(
                    regime=regs.id,
                    date=when,
                    object=f"destination_groups.{group}",
                    label=snapshot.active["destination_groups"][group].obj.model.label,
                    summary=f"{country} ({country_name(country)}) is in group {group}"
                    + (f" (was {previous})" if previous else ""),
                    announced=next((m.announced for m in meta if m.announced), None),
                    published=next((m.published for m in meta if m.published), None),
                    citations=tuple(dict.fromkeys(s for m in meta for s in m.sources)),
                    verified=all(m.verified for m in meta),
                    countries=(country,),
                )
            )
        previous = group
    return moves


_GENERAL = ("requirements.", "exemptions.", "licence_types.")


def timeline(regs: Regulations, country: str | None = None) -> list[Change]:
    """Dated changes oldest first; with ``country``, those affecting it (its group moves, lists and
    measures naming it, and changes to rules that apply to every destination)."""
    every = changes(regs)
    if country is None:
        return every
    picked = [
        c
        for c in every
        if country in c.countries or (c.object.startswith(_GENERAL) and c.date > regs.meta.coverage_from)
    ]
    picked = [c for c in picked if not c.object.startswith(("country_lists.", "destination_groups."))]
    return sorted(picked + group_history(regs, country), key=lambda c: (c.date, c.object))


def between(first: Regulations, second: Regulations) -> list[Change]:
    """Both regimes' changes that affect each other's country, in one chronological list: e.g. Japan's
    measures on Korea and Korea's on Japan."""
    both = timeline(first, second.meta.country) + timeline(second, first.meta.country)
    return sorted(both, key=lambda c: (c.date, c.regime, c.object))


def diff(regs: Regulations, start: dt.date, end: dt.date) -> dict[str, Any]:
    """What changed between two dates: versions that took effect after ``start`` up to ``end``,
    and the countries whose destination group differs."""
    low, high = min(start, end), max(start, end)
    changed = [c for c in changes(regs) if low < c.date <= high]
    before, after = regs.at(start), regs.at(end)
    moves = [
        {"country": code, "name": name, "from": before.group_of(code), "to": after.group_of(code)}
        for code, name in sorted(country_names().items())
        if before.group_of(code) != after.group_of(code)
    ]
    return {"regime": regs.id, "from": start, "to": end, "changes": changed, "group_moves": moves}


def show(regs: Regulations, as_of: dt.date) -> dict[str, Any]:
    """The law in force on ``as_of``: groups with their members, and each rule's version in force."""
    snapshot = regs.at(as_of)
    members: dict[str, list[str]] = {}
    for code in sorted(country_names()):
        group = snapshot.group_of(code)
        if group is not None:
            members.setdefault(group, []).append(code)
    groups = []
    for gid, active in snapshot.active["destination_groups"].items():
        groups.append(
            {
                "id": gid,
                "name": active.value.name or active.obj.model.label,
                "in_force_from": active.version.effective,
                "members": [] if active.obj.model.residual else members.get(gid, []),
                "member_count": len(members.get(gid, [])),
                "citations": active.version.sources,
            }
        )
    rules: dict[str, list[dict[str, Any]]] = {}
    for kind in ("requirements", "exemptions", "licence_types", "measures"):
        rules[kind] = [
            {
                "id": oid,
                "label": active.obj.model.label,
                "in_force_from": active.version.effective,
                "verified": active.version.verified,
                "citations": active.version.sources,
                "note": active.value.note,
            }
            for oid, active in snapshot.active[kind].items()
        ]
    return {"regime": regs.id, "as_of": as_of, "data_version": regs.data_version, "groups": groups, **rules}


def sources(regs: Regulations, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The citation records of source ids (unknown ids are left out), in first-cited order."""
    return {sid: dataclasses.asdict(regs.citation(sid)) for sid in dict.fromkeys(ids) if sid in regs.sources}


def law_as_of(regs: Regulations, as_of: dt.date) -> dict[str, Any]:
    """The law in force on ``as_of`` with the sources it cites."""
    data = show(regs, as_of)
    cited = [
        s
        for kind in ("groups", "requirements", "exemptions", "licence_types", "measures")
        for r in data[kind]
        for s in r["citations"]
    ]
    return {**data, "sources": sources(regs, cited)}


def _lane(regs: Regulations, object_id: str) -> dict[str, Any] | None:
    kind, _, name = object_id.partition(".")
    obj = regs.objects.get(kind, {}).get(name)
    if obj is None:
        return None
    versions = [v for v in obj.timeline.versions if v.cited_from is None]
    segments: list[dict[str, Any]] = []
    for i, v in enumerate(versions):
        if v.value is None:
            continue
        end = versions[i + 1].effective if i + 1 < len(versions) else None
        if segments and segments[-1]["to"] == v.effective:
            segments[-1]["to"] = end  # amended, not interrupted: one bar (the change is in the list of changes)
        else:
            segments.append({"from": v.effective, "to": end})
    return {"object": object_id, "label": obj.model.label, "segments": segments}


def law_timeline(regs: Regulations, country: str | None = None) -> dict[str, Any]:
    """Dated changes oldest first (those affecting ``country``), its group over time and the lanes of the rules
    that name it; each change has an ``anchor`` for links."""
    changes = [
        {**dataclasses.asdict(change), "anchor": f"{regs.id}-{number}"}
        for number, change in enumerate(timeline(regs, country), start=1)
    ]
    groups: list[dict[str, Any]] = []
    lanes: list[dict[str, Any]] = []
    if country is not None:
        moves = group_history(regs, country)
        for i, move in enumerate(moves):
            group = move.object.removeprefix("destination_groups.")
            until = moves[i + 1].date if i + 1 < len(moves) else None
            groups.append({"group": group, "label": move.label, "from": move.date, "to": until})
        named = [
            c["object"] for c in changes if country in c["countries"] and not c["object"].startswith("destination")
        ]
        lanes = [lane for oid in dict.fromkeys(named) if (lane := _lane(regs, oid)) is not None]
    return {
        "regime": regs.id,
        "country": country,
        "country_name": country_name(country) if country else None,
        "coverage_from": regs.meta.coverage_from,
        "data_version": regs.data_version,
        "changes": changes,
        "groups": groups,
        "lanes": lanes,
        "sources": sources(regs, (s for c in changes for s in c["citations"])),
    }
