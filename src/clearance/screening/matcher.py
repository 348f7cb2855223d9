"""Screening: a query party in, ranked list entries out, each with its score and per-feature breakdown.

:func:`screen` is pure: a function of the index (built from immutable list versions), the query and the
configuration. :func:`match` wraps it in the request and response shape of yente's ``/match`` endpoint.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.errors import InputError
from clearance.law.countries import parse_country
from clearance.screening.features import ADJUST_FEATURES, ALGORITHM, FEATURES, NAME_FEATURES, QueryContext
from clearance.screening.index import MIN_SHARE, ScreeningIndex
from clearance.screening.model import ORGANISATIONS, SCHEMAS, Party
from clearance.screening.normalise import NameForm, query_forms

DEFAULT_THRESHOLD = 0.8
DEFAULT_CUTOFF = 0.5
EXPLANATIONS = {f.name: f.explanation for f in FEATURES}
LOSSY_MIN_SHARE = 0.25
#: Schemas that leave open whether the query is a person or an organisation: it is read both ways.
UNKNOWN_SCHEMAS = frozenset({"", "LegalEntity", "Thing"})
READINGS = {"Person": "a person's name", "Organization": "an organisation's name"}


@dataclass(frozen=True, slots=True)
class Query:
    """A party to screen: one or more names, and optionally its schema, countries and identifiers."""

    names: tuple[str, ...]
    schema: str = "LegalEntity"
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, name: str | Sequence[str], country: str | Sequence[str] | None = None, schema: str = "LegalEntity"
    ) -> Query:
        """A query from a name (or names) and an optional country code (or codes)."""
        names = (name,) if isinstance(name, str) else tuple(name)
        countries = () if country is None else (country,) if isinstance(country, str) else tuple(country)
        return cls(names, schema, tuple(c.lower() for c in countries if c))

    def to_dict(self) -> dict[str, Any]:
        """The party screened, as plain data (:meth:`from_dict` reads it back)."""
        return {
            "names": list(self.names),
            "schema": self.schema,
            "countries": list(self.countries),
            "identifiers": list(self.identifiers),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Query:
        """The inverse of :meth:`to_dict`."""
        return cls(
            tuple(data["names"]), str(data["schema"]), tuple(data["countries"]), tuple(data.get("identifiers", ()))
        )

    def context(self) -> QueryContext:
        """The query as the adjust features see it."""
        return QueryContext(
            self.schema,
            frozenset(c.lower() for c in self.countries),
            frozenset("".join(ch for ch in i.upper() if ch.isalnum()) for i in self.identifiers),
        )


@dataclass(frozen=True, slots=True)
class ScreenConfig:
    """Threshold for a match, cutoff for returning a candidate at all, result limit, list filter, and the day
    screened on (None: today), on which a listing whose expiration date is past no longer matches."""

    threshold: float = DEFAULT_THRESHOLD
    cutoff: float = DEFAULT_CUTOFF
    limit: int = 10
    lists: frozenset[str] = field(default_factory=frozenset)
    blocking_limit: int = 15
    on: dt.date | None = None

    def day(self) -> dt.date:
        """The day screened on."""
        return self.on or dt.date.today()


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One feature's part in a score."""

    name: str
    kind: str
    weight: float
    value: float
    contribution: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "name": self.name,
            "kind": self.kind,
            "weight": self.weight,
            "value": round(self.value, 4),
            "contribution": round(self.contribution, 4),
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A list entry that resembles the query, with the names compared and the score's breakdown."""

    party: Party
    score: float
    match: bool
    query_name: str
    matched_name: str
    features: tuple[FeatureScore, ...]
    #: The listing's expiration date when it was past on the day screened: the name may resemble, but it is no match.
    expired_on: str = ""
    #: How a query without a schema was read for this entry: "Person" or "Organization" ("" when it had a schema).
    read_as: str = ""

    @property
    def explanation(self) -> str:
        """One line: the deciding name feature, every adjustment that applied, and an expired listing."""
        parts = [
            f"{f.name} {f.contribution:+.2f} ({f.explanation.rstrip('.')})"
            for f in self.features
            if f.contribution and (f.kind == "adjust" or f.contribution == max_name(self.features))
        ]
        if self.expired_on:
            parts.append(f"not a match: the listing expired on {self.expired_on}")
        if self.read_as:
            parts.append(f"no schema given: the query was read as {READINGS[self.read_as]}")
        return f"{self.query_name!r} ~ {self.matched_name!r}: " + "; ".join(parts)

    @property
    def summary(self) -> str:
        """A short why: the deciding feature, the adjustments that applied and the name it matched."""
        parts = [
            f"{f.name} {f.contribution:+.2f}"
            for f in self.features
            if f.contribution and (f.kind == "adjust" or f.contribution == max_name(self.features))
        ]
        expired = f" (listing expired {self.expired_on})" if self.expired_on else ""
        return f"{', '.join(parts)} on {self.matched_name!r}{expired}"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Candidate:
        """A candidate back from its :meth:`to_dict` form (the party's fingerprint survives the round trip)."""
        features = tuple(
            FeatureScore(f["name"], f["kind"], f["weight"], f["value"], f["contribution"], f["explanation"])
            for f in data.get("breakdown", ())
        )
        party = Party.from_ftm(data, str(data["list_id"]))
        return cls(
            party,
            float(data["score"]),
            bool(data["match"]),
            data["query_name"],
            data["matched_name"],
            features,
            str(data.get("expired_on") or ""),
            str(data.get("read_as") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        """The candidate as an FtM entity with yente-style ``score``, ``match`` and ``features``, plus details."""
        entity = self.party.to_ftm()
        entity.update(
            {
                "score": round(self.score, 4),
                "match": self.match,
                "features": {f.name: round(f.contribution, 4) for f in self.features if f.contribution},
                "explanation": self.explanation,
                "query_name": self.query_name,
                "matched_name": self.matched_name,
                "breakdown": [f.to_dict() for f in self.features],
                "list_id": self.party.list_id,
                "source_id": self.party.source_id,
            }
        )
        if self.expired_on:
            entity["expired_on"] = self.expired_on
        if self.read_as:
            entity["read_as"] = self.read_as
        return entity


def max_name(features: Iterable[FeatureScore]) -> float:
    """The largest name-feature contribution."""
    return max((f.contribution for f in features if f.kind == "name"), default=0.0)


def comparable_forms(
    lossy_query: bool, forms: Sequence[NameForm], faithful: Sequence[NameForm] | None
) -> list[NameForm]:
    """The list forms to compare: a Latin-script query (``lossy_query`` False: none of its forms is lossy) meets a
    lossy reading (katakana, Hangul, Arabic) only when the entry has no name in a faithful script (``faithful`` None,
    else the faithful forms of all the entry's names: :attr:`ScreeningIndex.faithful`); MOF entries, for one, carry
    their English name beside the katakana."""
    if lossy_query or (all(f.lossy for f in forms) and faithful is None):
        return list(forms)
    found = [f for f in forms if not f.lossy]
    return found or list(faithful or ())


def score_party(
    context: QueryContext,
    queries: Sequence[NameForm],
    party: Party,
    forms: Sequence[NameForm],
    threshold: float = DEFAULT_THRESHOLD,
    on: dt.date | None = None,
) -> Candidate:
    """Score one list entry: the best name evidence over all pairs of forms, then the adjustments."""
    scored = _score(context, queries, party, forms, threshold, -1.0, on or dt.date.today(), most_added(context))
    assert scored is not None
    return scored


def best_pair(
    queries: Sequence[NameForm], forms: Sequence[NameForm]
) -> tuple[float, int, NameForm, NameForm, list[float]]:
    """The pair of forms with the strongest name evidence: (weighted value, winning feature, query form, list form,
    the name features' values); the first such pair, so once one reaches the largest weight no later one can win."""
    best: tuple[float, int, NameForm, NameForm, list[float]] | None = None
    for q in queries:
        for c in forms:
            values = [func(q, c) for func in _NAME_FUNCS]
            weighted = [weight * v for weight, v in zip(_NAME_WEIGHTS, values, strict=True)]
            top = max(weighted)
            if best is None or top > best[0]:
                best = (top, weighted.index(top), q, c, values)
                if top >= _MOST_NAMED:
                    return best
    if best is None:
        raise ValueError("scoring needs at least one query form and one list form")
    return best


_NAME_FUNCS = tuple(f.func for f in NAME_FEATURES)
_NAME_WEIGHTS = tuple(f.weight for f in NAME_FEATURES)
_ADJUST_FUNCS = tuple(f.func for f in ADJUST_FEATURES)
_ADJUST_WEIGHTS = tuple(f.weight for f in ADJUST_FEATURES)
#: By name feature: its weight, and its ceiling or else its function (its own ceiling).
_NAME_CEILINGS = tuple((f.weight, f.ceiling, f.func) for f in NAME_FEATURES)
#: The most name evidence can weigh (feature values are in [0, 1]).
_MOST_NAMED = max(f.weight for f in NAME_FEATURES)
#: What a ceiling may be below the feature's value by float rounding (sums taken in another order).
_ROUNDING = 1e-9


def most_added(context: QueryContext) -> float:
    """The most the adjust features can add to a score for this query (their values are in [0, 1]; a feature's
    ceiling, when it has one, says whether it can apply to the query at all)."""
    return sum(max(0.0, f.weight) * (f.ceiling(context) if f.ceiling else 1.0) for f in ADJUST_FEATURES)


def may_reach(queries: Sequence[NameForm], forms: Sequence[NameForm], needed: float) -> bool:
    """Whether the name evidence of some pair of forms may reach ``needed``, by the name features' ceilings
    (cheaper than the features): when it cannot, :func:`best_pair` need not be worked out."""
    if needed <= _ROUNDING:
        return True
    floor = needed - _ROUNDING
    for q in queries:
        for c in forms:
            for weight, ceiling, func in _NAME_CEILINGS:
                if weight * (ceiling(q, c, floor / weight) if ceiling else func(q, c)) >= floor:
                    return True
    return False


def _score(
    context: QueryContext,
    queries: Sequence[NameForm],
    party: Party,
    forms: Sequence[NameForm],
    threshold: float,
    cutoff: float,
    on: dt.date,
    added: float,
    read_as: str = "",
) -> Candidate | None:
    """The candidate, or None when its score is below ``cutoff``; ``added``: :func:`most_added` for the query."""
    if not may_reach(queries, forms, cutoff - added):  # by the ceilings, no pair of forms can reach the cutoff
        return None
    top, winner, q, c, values = best_pair(queries, forms)
    if top + added < cutoff:  # no adjustment can lift it to the cutoff
        return None
    adjusted = [func(context, party, q, c) for func in _ADJUST_FUNCS]
    adjustments = [weight * v for weight, v in zip(_ADJUST_WEIGHTS, adjusted, strict=True)]
    total = min(1.0, max(0.0, top + sum(adjustments)))
    if total < cutoff:
        return None
    scores = [
        _NAME_ZEROS[i]
        if i != winner and v == 0.0 and type(v) is float and math.copysign(1.0, v) > 0
        else FeatureScore(f.name, "name", f.weight, v, f.weight * v if i == winner else 0.0, EXPLANATIONS[f.name])
        for i, (f, v) in enumerate(zip(NAME_FEATURES, values, strict=True))
    ]
    scores += _adjust_parts(adjusted)
    expired = party.expires_on if party.expired(on) else ""
    return Candidate(
        party, total, total >= threshold and not expired, q.original, c.original, tuple(scores), expired, read_as
    )


#: By name feature, its part when its value is 0 and another feature won (most parts): made once and shared.
_NAME_ZEROS = tuple(FeatureScore(f.name, "name", f.weight, 0.0, 0.0, EXPLANATIONS[f.name]) for f in NAME_FEATURES)


def _new_adjust_score(number: int, value: float) -> FeatureScore:
    f = ADJUST_FEATURES[number]
    contribution = f.weight * value
    return FeatureScore(f.name, "adjust", f.weight, contribution / f.weight, contribution, EXPLANATIONS[f.name])


#: The adjust features' parts by the bytes of their values (which tell -0.0 from 0.0, whose parts differ in sign):
#: the values are 0 or 1, so a few tuples of parts (frozen) serve every candidate; at most
#: :data:`KEPT_ADJUST_PARTS` are kept.
_ADJUST_PARTS: dict[bytes, tuple[FeatureScore, ...]] = {}
KEPT_ADJUST_PARTS = 1024


def _adjust_parts(values: list[float]) -> tuple[FeatureScore, ...]:
    """The adjust features' parts in a score for their ``values``."""
    key = array("d", values).tobytes()
    parts = _ADJUST_PARTS.get(key)
    if parts is None:
        parts = tuple(_new_adjust_score(k, v) for k, v in enumerate(values))
        if len(_ADJUST_PARTS) < KEPT_ADJUST_PARTS:
            _ADJUST_PARTS[key] = parts
    return parts


def readings(query: Query) -> list[tuple[str, tuple[NameForm, ...]]]:
    """The query's name forms, read as its schema says; a query without a schema is read both as a person's name
    and as an organisation's (labelled "Person" and "Organization"; a query with a schema has one unlabelled
    reading), each entry meeting the reading that fits it."""

    def forms(person: bool, organisation: bool) -> tuple[NameForm, ...]:
        return tuple(
            form
            for number, name in enumerate(query.names)
            for form in query_forms(name, _field(number), person, organisation)
        )

    if query.schema not in UNKNOWN_SCHEMAS:
        return [("", forms(query.schema == "Person", query.schema in ORGANISATIONS))]
    return [("Organization", forms(False, False)), ("Person", forms(True, False))]


def _reading_for(party: Party, forms: Sequence[NameForm]) -> str:
    """How a query without a schema is read against an entry: as a person's name against a person, as an
    organisation's against an organisation, and against an entry of unknown kind (a LegalEntity) as an
    organisation's name when the entry's names have a legal form or an organisation word, else as a person's."""
    if party.schema == "Person":
        return "Person"
    if party.schema in ORGANISATIONS or any(f.organisation for f in forms):
        return "Organization"
    return "Person"


def screen(index: ScreeningIndex, query: Query, config: ScreenConfig | None = None) -> list[Candidate]:
    """Ranked candidates for a query: scored above ``config.cutoff``, best first, at most ``config.limit``."""
    config = config or ScreenConfig()
    if not query.names:
        raise InputError("name", "is empty")
    read = readings(query)
    queries = tuple(dict.fromkeys(form for _, forms in read for form in forms))
    by_party: dict[int, list[NameForm]] = {}
    # A query read from kana, Hangul, Arabic or Hebrew shares fewer exact keys with its match: look wider.
    lossy = any(q.lossy for q in queries)
    limit = config.blocking_limit * 2 if lossy else config.blocking_limit
    for form_no in index.candidates(queries, limit, config.lists, LOSSY_MIN_SHARE if lossy else MIN_SHARE):
        party_no = index.form_party[form_no]
        by_party.setdefault(party_no, []).append(index.forms[form_no])
    context = query.context()
    added = most_added(context)
    on = config.day()
    results = []
    by_label = {name: (found, any(q.lossy for q in found)) for name, found in read}
    for party_no, forms in by_party.items():
        party = index.parties[party_no]
        label = read[0][0] if len(read) == 1 else _reading_for(party, forms)
        read_forms, lossy_read = by_label[label]
        comparable = comparable_forms(lossy_read, forms, index.faithful[party_no])
        scored = _score(context, read_forms, party, comparable, config.threshold, config.cutoff, on, added, label)
        if scored is not None:
            results.append(scored)
    results.sort(key=lambda r: (-r.score, r.party.id))
    return results[: config.limit]


def _field(number: int) -> str:
    return "name" if number == 0 else f"name[{number}]"


def query_from_entity(entity: Mapping[str, Any], field_prefix: str = "") -> Query:
    """A :class:`Query` from a yente/FtM query entity ``{"schema": …, "properties": {"name": [...], …}}``."""
    if not isinstance(entity, Mapping):
        raise InputError(field_prefix or "query", "must be an object with 'schema' and 'properties'")
    schema = str(entity.get("schema") or "LegalEntity")
    if schema not in SCHEMAS and schema != "Thing":
        raise InputError(f"{field_prefix}schema", f"unknown schema {schema!r}")
    props = entity.get("properties") or {}
    if not isinstance(props, Mapping):
        raise InputError(f"{field_prefix}properties", "must be an object of lists")

    def values(*names: str) -> tuple[str, ...]:
        out: list[str] = []
        for name in names:
            raw = props.get(name) or []
            out += [str(v) for v in ([raw] if isinstance(raw, str) else raw) if str(v).strip()]
        return tuple(out)

    names = values("name", "alias", "weakAlias", "previousName")
    if not names:
        raise InputError(f"{field_prefix}properties.name", "is empty")
    countries = tuple(
        parse_country(value, f"{field_prefix}properties.{name}").lower()
        for name in ("country", "nationality", "jurisdiction")
        for value in values(name)
    )
    return Query(
        names,
        schema,
        countries,
        values("idNumber", "registrationNumber", "passportNumber", "imoNumber", "taxNumber"),
    )


def match(index: ScreeningIndex, body: Mapping[str, Any], config: ScreenConfig | None = None) -> dict[str, Any]:
    """yente-shaped ``/match``: ``{"queries": {key: entity}}`` in, ``{"responses": {key: {...}}}`` out."""
    config = config or ScreenConfig()
    queries = body.get("queries") if isinstance(body, Mapping) else None
    if not isinstance(queries, Mapping) or not queries:
        raise InputError("queries", "must be a non-empty object of query entities")
    responses: dict[str, Any] = {}
    for key, entity in queries.items():
        query = query_from_entity(entity, f"queries.{key}.")
        results = screen(index, query, config)
        responses[str(key)] = {
            "status": 200,
            "query": {"schema": query.schema, "properties": dict(entity.get("properties") or {})},
            "results": [r.to_dict() for r in results],
            "total": {"value": len(results), "relation": "eq"},
        }
    return {
        "responses": responses,
        "limit": config.limit,
        "algorithm": {"name": ALGORITHM, "threshold": config.threshold, "cutoff": config.cutoff},
        "lists": {lid: {"version": v, "list_date": index.list_dates.get(lid)} for lid, v in index.versions.items()},
    }
