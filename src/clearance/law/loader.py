"""Load a regulation pack: read every file strictly, resolve references, check the timeline, freeze.

Two phases, as in followthemoney's schema loading: first every file is read and validated on its own
(unknown keys, types, dates), then references between files (source ids, list ids, rows, licence types)
and cross-file rules (no overlapping destination groups, no overlapping code ranges) are checked.
Every error is a :class:`~clearance.errors.PackError` naming the file and the key path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from clearance.errors import PackError
from clearance.law import format2
from clearance.law import schema as s
from clearance.law.codes import normalise_code
from clearance.law.countries import country_names, is_country
from clearance.law.facts import Facts
from clearance.law.predicates import Cond, parse_condition, references
from clearance.law.regulations import Regulations, TimedObject
from clearance.law.scenario import Scenario
from clearance.law.timeline import Timeline, Version
from clearance.law.yamlio import format_path, read_yaml
from clearance.problems import first_problem

M = TypeVar("M", bound=BaseModel)
#: How a pack's files are read: ``read(file, label)`` -> the document's values (:func:`read_yaml`'s).
Reader = Callable[[Path, str], Any]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SINGULAR = {
    "country_lists": "country list",
    "destination_groups": "destination group",
    "rows": "row",
    "entries": "entry",
    "party_lists": "party list",
}

# (file or folder, model, key kind) for each collection in a pack; folders hold one object per file.
COLLECTIONS: dict[str, tuple[str, type[s.Timed]]] = {
    "country_lists": ("country_lists/", s.CountryList),
    "destination_groups": ("country_groups.yaml", s.DestinationGroup),
    "rows": ("control_list/rows.yaml", s.ControlRow),
    "entries": ("control_list/entries.yaml", s.ControlEntry),
    "requirements": ("requirements.yaml", s.Requirement),
    "exemptions": ("exemptions.yaml", s.Exemption),
    "licence_types": ("licence_types.yaml", s.LicenceType),
    "measures": ("measures/", s.Measure),
    "party_lists": ("party_lists.yaml", s.PartyList),
    "red_flags": ("red_flags.yaml", s.RedFlag),
}


def _validate(model: type[M], raw: Any, file: str, prefix: tuple[str | int, ...] = ()) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problem = first_problem(exc, noun="key")
        raise PackError(file, format_path((*prefix, *problem.loc)), problem.message) from exc


class _PackReader:
    """Reads one pack folder; keeps the raw data of every file for the content hash."""

    def __init__(self, root: Path, read: Reader) -> None:
        self.root = root
        self.raw: dict[str, Any] = {}
        self._read = read

    def label(self, path: Path) -> str:
        return f"{self.root.name}/{path.relative_to(self.root).as_posix()}"

    def read(self, relative: str) -> tuple[str, Any]:
        path = self.root / relative
        label = self.label(path)
        data = self._read(path, label)
        self.raw[relative] = data
        return label, data

    def objects(self, where: str) -> dict[str, tuple[str, Any, tuple[str, ...]]]:
        """``{id: (file label, raw data, key prefix)}`` from a file of objects by id or a folder of one per file."""
        found: dict[str, tuple[str, Any, tuple[str, ...]]] = {}
        if where.endswith("/"):
            folder = self.root / where
            for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
                label, data = self.read(path.relative_to(self.root).as_posix())
                found[path.stem] = (label, data, ())
            return found
        if not (self.root / where).exists():
            return found
        label, data = self.read(where)
        if data is None:
            return found
        if not isinstance(data, dict):
            raise PackError(label, "", "expected a mapping of ids to definitions")
        for key, value in data.items():
            found[key] = (label, value, (key,))
        return found


def _overlay_objects(
    kind: str, objects: dict[str, tuple[str, Any, tuple[str, ...]]], scenario: Scenario
) -> dict[str, tuple[str, Any, tuple[str, ...]]]:
    """Objects with a scenario's changes laid over them: new dated values replace or join the pack's, by date;
    other keys replace the pack's; new objects are added."""
    changes = scenario.changes()[kind]
    merged = dict(objects)
    for oid, raw in changes.items():
        prefix = (kind, oid)
        if not isinstance(raw, dict):
            raise PackError(scenario.file, format_path(prefix), "expected a mapping")
        if oid not in merged:
            merged[oid] = (scenario.file, raw, prefix)
            continue
        _, base, _ = merged[oid]
        combined = {**base, **{k: v for k, v in raw.items() if k != "values"}}
        values = dict(base.get("values") or {}) if isinstance(base, dict) else {}
        values.update(raw.get("values") or {})
        combined["values"] = values
        merged[oid] = (scenario.file, combined, prefix)
    return merged


def _parse_date(text: str, file: str, path: str) -> dt.date:
    if not _ISO_DATE.match(text):
        raise PackError(file, path, f"expected an ISO date YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise PackError(file, path, f"{text!r} is not a real date ({exc})") from exc


class _Checker:
    """Cross-file checks and timeline building for one pack."""

    def __init__(self, pack: str, sources: Mapping[str, s.Source]) -> None:
        self.pack = pack
        self.sources = sources
        self.conditions: dict[int, Cond] = {}

    def timeline(self, kind: str, oid: str, file: str, obj: s.Timed, prefix: tuple[str, ...]) -> Timeline[Any]:
        versions: list[Version[Any]] = []
        for key, raw in obj.values.items():
            path = format_path((*prefix, "values", key))
            effective = _parse_date(key, file, path)
            format2.check_value(raw, file, path)
            is_repeal = isinstance(raw, dict) and "repealed" in raw
            model = s.Repeal if is_repeal else obj.value_model
            value = _validate(model, raw, file, (*prefix, "values", key))
            self.check_dated(value, file, path)
            if is_repeal:
                versions.append(Version(f"{kind}.{oid}", effective, None, value))
            else:
                versions.append(Version(f"{kind}.{oid}", effective, value))
        where = format_path(prefix)
        for key, refs in obj.references.items():
            self.check_dated(refs, file, f"{where}.references.{key}")
        versions = format2.with_references(versions, obj.references, lambda t, p: _parse_date(t, file, p), where)
        return Timeline(f"{kind}.{oid}", versions)

    def check_sources(self, sources: list[str], file: str, path: str) -> None:
        for i, sid in enumerate(sources):
            if sid not in self.sources:
                raise PackError(file, f"{path}[{i}]", f"unknown source id {sid!r} (not in sources.yaml)")

    def check_dated(self, value: s.DatedValue | s.Exception_ | s.References, file: str, path: str) -> None:
        self.check_sources(value.sources, file, f"{path}.sources")
        if value.verified and not any(self.sources[sid].source_class in s.PROVING_CLASSES for sid in value.sources):
            raise PackError(
                file,
                f"{path}.verified",
                "a value citing no primary or official source must say verified: false",
            )
        if value.verified and value.why_unverified is not None:
            raise PackError(
                file, f"{path}.why_unverified", "only a value with verified: false says why it is unverified"
            )

    def condition(self, raw: Any, file: str, path: str) -> Cond:
        key = id(raw)
        if key not in self.conditions:
            try:
                self.conditions[key] = parse_condition(raw, path)
            except ValueError as exc:
                message = str(exc)
                where, _, problem = message.partition(": ")
                raise PackError(file, where, problem) from exc
        return self.conditions[key]


def _check_references(cond: Cond, ids: Mapping[str, set[str]], file: str, path: str) -> None:
    for kind, known in ids.items():
        for ref in sorted(references(cond, kind) - known):
            raise PackError(file, path, f"unknown {_SINGULAR[kind]} id {ref!r}")


def _expand_chapters(chapters: list[str], file: str, path: str) -> frozenset[str]:
    out: set[str] = set()
    for i, item in enumerate(chapters):
        match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", str(item))
        if not match:
            raise PackError(file, f"{path}[{i}]", f"expected an HS chapter or range like 25-40, got {item!r}")
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if not 1 <= low <= high <= 99:
            raise PackError(file, f"{path}[{i}]", f"bad HS chapter range {item!r}")
        out |= {f"{n:02d}" for n in range(low, high + 1)}
    return frozenset(out)


def _prefix(kind: str, oid: str, file: str, scenario: Scenario | None) -> tuple[str, ...]:
    """The key path of an object inside the file it came from."""
    if scenario is not None and file == scenario.file:
        return (kind, oid)
    return () if COLLECTIONS[kind][0].endswith("/") else (oid,)


def _known_values(raw: Any, day: dt.date) -> Any:
    """An object's raw data keeping only the dated values known on ``day`` (in force, announced or published)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), dict):
        return raw

    def known(key: str, value: Any) -> bool:
        told = [value.get(k) for k in ("announced", "published")] if isinstance(value, dict) else []
        return str(key) <= day.isoformat() or any(str(d) <= day.isoformat() for d in told if d)

    return {**raw, "values": {k: v for k, v in raw["values"].items() if known(k, v)}}


def load_pack(
    root: Path, scenario: Scenario | None = None, known_on: dt.date | None = None, read: Reader = read_yaml
) -> Regulations:
    """Load, check and freeze the regulation pack in folder ``root`` (e.g. ``regulations/jp``).

    With ``known_on``, only what was known on that day is kept (values in force, announced or published by
    then); with ``scenario``, its hypothetical or announced changes are laid over the result. ``read`` reads each
    file (:class:`clearance.law.parsed.ParsedYaml` keeps them parsed between runs)."""
    reader = _PackReader(root, read)
    meta_label, meta_raw = reader.read("pack.yaml")
    meta = _validate(s.PackMeta, meta_raw, meta_label)
    format2.check_declared(meta.format, meta_label, root)
    if meta.id != root.name:
        raise PackError(meta_label, "id", f"pack id {meta.id!r} must match its folder name {root.name!r}")
    if not is_country(meta.country):
        raise PackError(meta_label, "country", f"unknown country code {meta.country!r}")
    src_label, src_raw = reader.read("sources.yaml")
    if not isinstance(src_raw, dict) or not src_raw:
        raise PackError(src_label, "", "expected a mapping of source ids to sources")
    sources = {sid: _validate(s.Source, raw, src_label, (sid,)) for sid, raw in src_raw.items()}

    if scenario is not None:
        if scenario.regime != meta.id:
            raise PackError(scenario.file, "regime", f"the scenario is for {scenario.regime!r}, not {meta.id!r}")
        for sid, raw in scenario.sources.items():
            if sid in sources:
                raise PackError(scenario.file, f"sources.{sid}", "already a source of the pack: use another id")
            sources[sid] = _validate(s.Source, raw, scenario.file, ("sources", sid))

    sets: dict[str, s.RowSet] = {}
    if (root / "control_list/row_sets.yaml").exists():
        sets_label, sets_raw = reader.read("control_list/row_sets.yaml")
        sets = format2.row_sets(sets_raw, sets_label)
    checker = _Checker(meta.id, sources)
    loaded: dict[str, dict[str, tuple[str, Any]]] = {}
    for kind, (where, model) in COLLECTIONS.items():
        raw_objects = reader.objects(where)
        if known_on is not None:
            known = {oid: (f, _known_values(raw, known_on), p) for oid, (f, raw, p) in raw_objects.items()}
            raw_objects = {oid: entry for oid, entry in known.items() if entry[1].get("values") != {}}
        if scenario is not None:
            raw_objects = _overlay_objects(kind, raw_objects, scenario)
        for oid, (file, raw, prefix) in raw_objects.items():
            format2.check_keys(raw, file, format_path(prefix) or oid)
        if sets:
            raw_objects = {
                oid: (file, format2.expand_row_sets(raw, sets, file, format_path(prefix)), prefix)
                for oid, (file, raw, prefix) in raw_objects.items()
            }
        loaded[kind] = {
            oid: (file, _validate(model, raw, file, prefix)) for oid, (file, raw, prefix) in raw_objects.items()
        }
    ids = {kind: set(objs) for kind, objs in loaded.items()}
    bases = {req.basis for _, req in loaded["requirements"].values()}
    timed: dict[str, dict[str, TimedObject]] = {}
    for kind, objs in loaded.items():
        timed[kind] = {}
        for oid, (file, obj) in objs.items():
            prefix = _prefix(kind, oid, file, scenario)
            timeline = checker.timeline(kind, oid, file, obj, prefix)
            _check_object(kind, oid, file, obj, timeline, prefix, checker, ids, bases)
            timed[kind][oid] = TimedObject(oid, file, obj, timeline)

    regulations = Regulations(
        meta=meta,
        sources=sources,
        objects=timed,
        conditions=checker.conditions,
        chapters={
            oid: {
                v.effective: _expand_chapters(v.value.hs_chapters, t.file, f"{oid}.values.{v.effective}.hs_chapters")
                for v in t.timeline.versions
                if v.value is not None
            }
            for oid, t in timed["rows"].items()
        },
        data_version=_content_hash(
            meta.id,
            {
                **reader.raw,
                **({"scenario": scenario.raw} if scenario else {}),
                **({"known_on": known_on.isoformat()} if known_on else {}),
            },
        ),
    )
    _check_groups_do_not_overlap(regulations)
    _check_rows_do_not_overlap(regulations)
    return regulations


def _check_object(
    kind: str,
    oid: str,
    file: str,
    obj: Any,
    timeline: Timeline[Any],
    prefix: tuple[str, ...],
    checker: _Checker,
    ids: Mapping[str, set[str]],
    bases: set[str],
) -> None:
    """Per-object checks: conditions parse and name known ids; lists name real countries; links resolve."""
    cond_ids = {k: ids[k] for k in ("country_lists", "destination_groups", "rows", "entries", "party_lists")}
    if kind == "destination_groups":
        cond_ids = {"country_lists": ids["country_lists"]}
    for version in timeline.versions:
        value = version.value
        if value is None:
            continue
        path = format_path((*prefix, "values", version.effective.isoformat()))
        for field in ("when",):
            raw = getattr(value, field, None)
            if raw is not None:
                cond = checker.condition(raw, file, f"{path}.{field}")
                if kind == "destination_groups" and references(cond, "destination_groups"):
                    raise PackError(file, f"{path}.when", "a group cannot be defined by other groups")
                _check_references(cond, cond_ids, file, f"{path}.when")
        for i, case in enumerate(getattr(value, "processing_days", [])):
            if case.when is not None:
                cond = checker.condition(case.when, file, f"{path}.processing_days[{i}].when")
                _check_references(cond, cond_ids, file, f"{path}.processing_days[{i}].when")
        _check_exceptions(kind, value, file, path, checker, cond_ids)
        if kind == "country_lists":
            seen: set[str] = set()
            for i, code in enumerate(value.members):
                if not is_country(code):
                    raise PackError(file, f"{path}.members[{i}]", f"unknown country code {code!r}")
                if code in seen:
                    raise PackError(file, f"{path}.members[{i}]", f"{code} is listed twice")
                seen.add(code)
        if kind == "destination_groups" and value.when is None and not obj.residual:
            raise PackError(file, f"{path}.when", "required key is missing (only a residual group has none)")
        if kind == "rows":
            _check_headings(value, file, path)
        if kind == "entries":
            for i, code in enumerate(value.codes):
                try:
                    normalise_code(code)
                except ValueError as exc:
                    raise PackError(file, f"{path}.codes[{i}]", str(exc)) from exc
        if kind == "measures":
            for i, lt in enumerate(value.removes):
                if lt not in ids["licence_types"]:
                    raise PackError(file, f"{path}.removes[{i}]", f"unknown licence type id {lt!r}")
    if kind == "entries" and obj.row not in ids["rows"]:
        raise PackError(file, format_path((*prefix, "row")), f"unknown row id {obj.row!r}")
    for i, basis in enumerate(getattr(obj, "bases", [])):
        if basis not in bases:
            raise PackError(
                file, format_path((*prefix, "bases", i)), f"unknown basis {basis!r} (no requirement gives it)"
            )


def _check_exceptions(
    kind: str, value: Any, file: str, path: str, checker: _Checker, cond_ids: Mapping[str, set[str]]
) -> None:
    """A value's labelled exceptions: unique ids, cited sources, conditions naming known ids; only a measure's
    exception overrides (gives back) licence types, and only those the measure removes."""
    seen: set[str] = set()
    for i, exception in enumerate(getattr(value, "exceptions", [])):
        where = f"{path}.exceptions[{i}]"
        if exception.id in seen:
            raise PackError(file, f"{where}.id", f"exception {exception.id!r} is listed twice")
        seen.add(exception.id)
        checker.check_dated(exception, file, where)
        cond = checker.condition(exception.when, file, f"{where}.when")
        _check_references(cond, cond_ids, file, f"{where}.when")
        for j, lid in enumerate(exception.overrides):
            if kind != "measures":
                raise PackError(file, f"{where}.overrides", "only a measure's exception gives licence types back")
            if lid not in value.removes:
                raise PackError(file, f"{where}.overrides[{j}]", f"the measure does not remove {lid!r}")


_HEADING = re.compile(r"^\d{2}\.?\d{2}(?:\.?\d{2})?$")


def _check_headings(value: s.RowValue, file: str, path: str) -> None:
    """HS headings of a row are 4 or 6 digits (dots allowed); an undecided heading says what decides it."""
    for field in ("hs_headings", "hs_except", "hs_undecided"):
        for i, heading in enumerate(getattr(value, field)):
            if not _HEADING.match(heading):
                raise PackError(
                    file, f"{path}.{field}[{i}]", f"expected an HS heading like 84.58 or 8542.90, got {heading!r}"
                )
    if value.hs_undecided and not value.hs_undecided_needs:
        raise PackError(
            file, f"{path}.hs_undecided_needs", "required key is missing (say what decides the undecided headings)"
        )


def _check_groups_do_not_overlap(regs: Regulations) -> None:
    """No country may fall in two (non-residual) destination groups on any date."""
    groups = regs.objects["destination_groups"]
    residual = [g for g in groups.values() if g.model.residual]
    if len(residual) > 1 or (residual and next(reversed(groups.values())) is not residual[0]):
        raise PackError(residual[-1].file, residual[-1].oid, "only the last destination group may be residual")
    for when in regs.change_dates:
        snapshot = regs.at(when)
        for country in country_names():
            facts = Facts(destination=country, kind="goods", end_use="civil")
            hits = [gid for gid, check in snapshot.group_checks if check(facts) is True]
            if len(hits) > 1:
                group = groups[hits[1]]
                raise PackError(
                    group.file,
                    f"{hits[1]}.values",
                    f"{country} is in groups {' and '.join(hits)} on {when}: destination groups must not overlap",
                )


def _check_rows_do_not_overlap(regs: Regulations) -> None:
    """No Wassenaar-style code range, HS chapter or HS heading may belong to two rows on any date."""
    for when in regs.change_dates:
        snapshot = regs.at(when)
        snapshot.range_index()  # raises PackError on overlap
        snapshot.headings()


def _content_hash(pack: str, raw: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return f"{pack}-{digest[:16]}"


def load_regulations_dir(root: Path, read: Reader = read_yaml) -> dict[str, Regulations]:
    """Every pack in a ``regulations/`` folder, by id, each file read by ``read``."""
    packs = {}
    for folder in sorted(p for p in root.iterdir() if (p / "pack.yaml").exists()):
        packs[folder.name] = load_pack(folder, read=read)
    return packs
