"""The party model: list entries as followthemoney-compatible entities, and immutable, hashed list versions.

A :class:`Party` carries the FtM schema name (Person, Organization, Company, LegalEntity, Vessel, Airplane) and the
FtM property names (``name``, ``alias``, ``country``, ``idNumber``, ``program``, ``notes``, ``topics``), so that
:meth:`Party.to_ftm` is a valid FtM entity and :meth:`Party.from_ftm` reads OpenSanctions exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

SCHEMAS = frozenset({"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody"})
ORG_SCHEMAS = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
#: The schemas that are surely organisations (a LegalEntity may be a person: the Denied Persons List's are).
ORGANISATIONS = frozenset({"Organization", "Company", "PublicBody"})


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    """Stripped, non-empty values in first-seen order without duplicates."""
    out: list[str] = []
    for value in values:
        value = " ".join(str(value).split())
        if value and value not in out:
            out.append(value)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Party:
    """One entry of a screening list (or a counterparty to screen), FtM-shaped."""

    list_id: str
    source_id: str
    schema: str
    names: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source_row: str = field(default="", compare=False)
    #: When the listing took effect and when it ends (ISO dates, "" when the list gives none): a Denied Persons
    #: order runs from its effective to its expiration date.
    listed_on: str = ""
    expires_on: str = ""

    @classmethod
    def build(
        cls,
        list_id: str,
        source_id: str,
        schema: str,
        names: Iterable[str],
        *,
        aliases: Iterable[str] = (),
        countries: Iterable[str] = (),
        identifiers: Iterable[str] = (),
        programs: Iterable[str] = (),
        notes: Iterable[str] = (),
        source_row: str = "",
        listed_on: dt.date | None = None,
        expires_on: dt.date | None = None,
    ) -> Party:
        """A party with cleaned, de-duplicated values; aliases equal to a name are dropped."""
        clean_names = _unique(names)
        return cls(
            list_id,
            str(source_id),
            schema,
            clean_names,
            tuple(a for a in _unique(aliases) if a not in clean_names),
            _unique(c.lower() for c in countries),
            _unique(identifiers),
            _unique(programs),
            _unique(notes),
            source_row,
            listed_on.isoformat() if listed_on else "",
            expires_on.isoformat() if expires_on else "",
        )

    @property
    def id(self) -> str:
        """The entity id: ``<list_id>:<source_id>``."""
        return f"{self.list_id}:{self.source_id}"

    @property
    def caption(self) -> str:
        """The display name (the first name)."""
        return self.names[0] if self.names else self.source_id

    @property
    def all_names(self) -> tuple[str, ...]:
        """Names then aliases."""
        return self.names + self.aliases

    @property
    def fingerprint(self) -> str:
        """A hash of everything but provenance: it changes when the entry's names, countries, ids or listing dates
        change."""
        fields: list[Any] = [self.schema, sorted(self.all_names), sorted(self.countries), sorted(self.identifiers)]
        if self.listed_on or self.expires_on:
            fields.append([self.listed_on, self.expires_on])
        return hashlib.sha256(orjson.dumps(fields)).hexdigest()[:16]

    def expired(self, on: dt.date) -> bool:
        """The listing ended before ``on`` (its expiration date is past)."""
        return bool(self.expires_on) and self.expires_on < on.isoformat()

    def to_ftm(self) -> dict[str, Any]:
        """The party as a followthemoney entity (``id``, ``schema``, ``properties``, ``datasets``)."""
        properties: dict[str, list[str]] = {"name": list(self.names)}
        for prop, values in (
            ("alias", self.aliases),
            ("country", self.countries),
            ("idNumber", self.identifiers),
            ("program", self.programs),
            ("notes", self.notes),
        ):
            if values:
                properties[prop] = list(values)
        entity: dict[str, Any] = {
            "id": self.id,
            "schema": self.schema,
            "caption": self.caption,
            "properties": properties,
            "datasets": [self.list_id],
        }
        if self.listed_on or self.expires_on:  # as the properties of the FtM Sanction that lists the entity
            entity["sanction"] = {k: v for k, v in (("startDate", self.listed_on), ("endDate", self.expires_on)) if v}
        return entity

    @classmethod
    def from_ftm(cls, entity: Mapping[str, Any], list_id: str, source_row: str = "") -> Party:
        """A party from an FtM entity dict (the ``weakAlias`` and ``previousName`` properties count as aliases)."""
        props: Mapping[str, Any] = entity.get("properties") or {}

        def values(*names: str) -> list[str]:
            return [str(v) for n in names for v in (props.get(n) or [])]

        source_id = str(entity.get("id") or "")
        if source_id.startswith(f"{list_id}:"):
            source_id = source_id[len(list_id) + 1 :]
        sanction: Mapping[str, Any] = entity.get("sanction") or {}
        start, end = sanction.get("startDate"), sanction.get("endDate")
        return cls.build(
            list_id,
            source_id,
            str(entity.get("schema") or "LegalEntity"),
            values("name"),
            aliases=values("alias", "weakAlias", "previousName"),
            countries=values("country", "nationality", "jurisdiction", "citizenship"),
            identifiers=values("idNumber", "registrationNumber", "taxNumber", "passportNumber", "imoNumber"),
            programs=values("program"),
            notes=values("notes", "topics"),
            source_row=source_row,
            listed_on=dt.date.fromisoformat(start) if start else None,
            expires_on=dt.date.fromisoformat(end) if end else None,
        )


@dataclass(frozen=True, slots=True)
class ListVersion:
    """One immutable version of a screening list; :attr:`version` is a hash of its content."""

    list_id: str
    title: str
    list_date: dt.date | None
    source: str
    parties: tuple[Party, ...]
    version: str = field(default="")
    #: What the importer found worth telling (ids that collided, a missing list date …); not part of the content.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.version:
            object.__setattr__(self, "version", content_hash(self.list_id, self.parties))

    def by_id(self) -> dict[str, Party]:
        """Parties keyed by entity id."""
        return {p.id: p for p in self.parties}

    def summary(self) -> dict[str, Any]:
        """Id, title, date, version and counts by schema, as plain data."""
        schemas: dict[str, int] = {}
        for party in self.parties:
            schemas[party.schema] = schemas.get(party.schema, 0) + 1
        return {
            "list_id": self.list_id,
            "title": self.title,
            "list_date": self.list_date.isoformat() if self.list_date else None,
            "version": self.version,
            "source": self.source,
            "entries": len(self.parties),
            "names": sum(len(p.all_names) for p in self.parties),
            "schemas": dict(sorted(schemas.items())),
            "warnings": list(self.warnings),
        }

    def warn(self, *warnings: str) -> ListVersion:
        """This version with more warnings."""
        return replace(self, warnings=self.warnings + warnings)


def content_hash(list_id: str, parties: Iterable[Party]) -> str:
    """``sha256:`` of the list id and every party's FtM form, in id order."""
    digest = hashlib.sha256(list_id.encode())
    for party in sorted(parties, key=lambda p: p.id):
        digest.update(orjson.dumps(party.to_ftm(), option=orjson.OPT_SORT_KEYS))
    return "sha256:" + digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ListDiff:
    """What changed between two versions of one list."""

    list_id: str
    old_version: str | None
    new_version: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "list_id": self.list_id,
            "from": self.old_version,
            "to": self.new_version,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": list(self.changed),
        }


def diff_lists(old: ListVersion | None, new: ListVersion) -> ListDiff:
    """Entries added, removed and changed (by :attr:`Party.fingerprint`) from ``old`` to ``new``."""
    before = old.by_id() if old else {}
    after = new.by_id()
    return ListDiff(
        new.list_id,
        old.version if old else None,
        new.version,
        tuple(sorted(after.keys() - before.keys())),
        tuple(sorted(before.keys() - after.keys())),
        tuple(sorted(k for k in after.keys() & before.keys() if after[k].fingerprint != before[k].fingerprint)),
    )


def list_to_dict(version: ListVersion) -> dict[str, Any]:
    """A list version as plain data: its metadata and every party as an FtM entity (with its source row)."""
    data: dict[str, Any] = {
        "list_id": version.list_id,
        "title": version.title,
        "list_date": version.list_date.isoformat() if version.list_date else None,
        "source": version.source,
        "version": version.version,
        "entities": [{**p.to_ftm(), "source_row": p.source_row} for p in version.parties],
    }
    if version.warnings:
        data["warnings"] = list(version.warnings)
    return data


def list_from_dict(data: Mapping[str, Any]) -> ListVersion:
    """The inverse of :func:`list_to_dict`; the content hash is recomputed and must equal the stored one."""
    list_id = str(data["list_id"])
    parties = tuple(
        Party.from_ftm(entity, list_id, source_row=str(entity.get("source_row", ""))) for entity in data["entities"]
    )
    when = data.get("list_date")
    version = ListVersion(
        list_id,
        str(data["title"]),
        dt.date.fromisoformat(when) if when else None,
        str(data["source"]),
        parties,
        warnings=tuple(str(w) for w in data.get("warnings", ())),
    )
    if data.get("version") and data["version"] != version.version:
        raise ValueError(f"list {list_id}: content hash {version.version} differs from the stored {data['version']}")
    return version
