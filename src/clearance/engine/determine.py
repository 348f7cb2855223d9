"""``determine()``: a pure function of a shipment and the regulations, returning an explained answer.

The engine knows only generic rule kinds: destination groups, control-list classification, requirements
(each giving a basis), exemptions, licence types with eligibility, and measures with labelled exceptions.
Everything about a particular country lives in its regulation pack.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from clearance.engine.result import Citation, Determination, LicenceOption, Step, Undecided, ValueUsed
from clearance.engine.shipment import Shipment
from clearance.errors import InputError, NoRuleError
from clearance.law import schema as s
from clearance.law.codes import ccl_catalogue, normalise_code
from clearance.law.countries import country_name, is_country
from clearance.law.facts import Facts
from clearance.law.predicates import Check, Unknown, references
from clearance.law.regulations import Active, Regulations, Snapshot
from clearance.law.timeline import Version


@dataclass(frozen=True, slots=True)
class _Explained:
    """What a step cites, worked out once per snapshot: dated values used, citations and warnings."""

    values: tuple[ValueUsed, ...]
    citations: tuple[str, ...]
    warnings: tuple[str, ...]


#: The end of the warning on a value that is not verified, and on one that rests on press or secondary reports only.
UNVERIFIED = "is not verified against a primary legal text"
PRESS_ONLY = "rests on press or secondary reports only"


def _explain(snap: Snapshot, versions: Iterable[Version[Any]]) -> _Explained:
    used: list[ValueUsed] = []
    cites: dict[str, None] = {}
    warnings: dict[str, None] = {}
    for version in versions:
        value: Any = version.value
        used.append(ValueUsed(version.object_id, version.effective, version.verified))
        cites.update(dict.fromkeys(version.sources))
        if not version.verified:
            classes = {snap.regs.sources[sid].source_class for sid in version.sources}
            says = PRESS_ONLY if classes <= {"press", "secondary"} else UNVERIFIED
            warnings[f"{version.object_id} (in force from {version.effective}) {says}"] = None
        if value.caveat:
            warnings[value.caveat] = None
    return _Explained(tuple(used), tuple(cites), tuple(warnings))


def _explained(snap: Snapshot, key: Hashable, versions: Callable[[], Iterable[Version[Any]]]) -> _Explained:
    """The explanation of a set of versions, memoised on the snapshot under ``key``."""
    found = snap.memo.get(key)
    if found is None:
        found = snap.memo[key] = _explain(snap, versions())
    return cast(_Explained, found)


def _of(snap: Snapshot, active: Active) -> _Explained:
    """The explanation of an active rule (its version and the lists it reads), memoised by identity."""
    found: _Explained | None = snap.memo.get(id(active))
    if found is None:
        found = snap.memo[id(active)] = _explain(snap, snap.versions_of(active))
    return found


class _Trace:
    """Collects steps and their explanations; citations and warnings are merged once at the end."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.steps: list[Step] = []
        self.whys: list[_Explained] = []
        self.warnings: dict[str, None] = {}
        self.missing: set[str] = set()

    def step(self, rule: str, outcome: str, applies: bool | None, facts: dict[str, Any], why: _Explained) -> None:
        self.whys.append(why)
        self.steps.append(Step(rule, outcome, applies, facts, why.values, why.citations))

    def merged(self) -> tuple[tuple[Citation, ...], tuple[str, ...]]:
        """Citations in order of first use, and warnings (the steps' first, then the trace's own)."""
        key = ("merged", *map(id, self.whys))
        found: tuple[tuple[Citation, ...], tuple[str, ...]] | None = self.snap.memo.get(key)
        if found is None:
            cited = dict.fromkeys(sid for why in self.whys for sid in why.citations)
            warned = dict.fromkeys(w for why in self.whys for w in why.warnings)
            regs = self.snap.regs
            found = self.snap.memo[key] = (tuple(regs.citation(sid) for sid in cited), tuple(warned))
        citations, warnings = found
        if self.warnings:
            warnings = tuple(dict.fromkeys((*warnings, *self.warnings)))
        return citations, warnings


def _pack(shipment: Shipment, regulations: Mapping[str, Regulations] | Regulations) -> Regulations:
    if isinstance(regulations, Regulations):
        if regulations.id != shipment.regime:
            raise InputError("regime", f"unknown regime {shipment.regime!r} (loaded: {regulations.id})")
        return regulations
    return regulations[shipment.regime]


def _code(shipment: Shipment, regs: Regulations) -> str | None:
    raw = shipment.item.control_code
    if raw is None or not raw.strip():
        return None
    try:
        code = normalise_code(raw)
    except ValueError as exc:
        raise InputError("item.control_code", str(exc)) from None
    catalogue = ccl_catalogue()
    known = catalogue.knows(code) if catalogue.get(code) is not None else regs.knows_code(code)
    if not known:
        raise InputError("item.control_code", f"unknown control code {raw!r}")
    return code


def _check_red_flags(shipment: Shipment, snap: Snapshot) -> None:
    known = snap.active["red_flags"]
    for flag in shipment.red_flags:
        if flag not in known:
            names = ", ".join(known) or "none"
            where = f"the {snap.regs.id} pack on {shipment.date}"
            raise InputError("red_flags", f"unknown red flag {flag!r}: red flags of {where} are {names}")


class Hit(Protocol):
    """A restricted-party list entry the end user matches, as a screener returns it."""

    @property
    def list_id(self) -> str: ...

    @property
    def list_version(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


class Screener(Protocol):
    """Screens an end user against restricted-party lists by id; pure and deterministic."""

    def covers(self, list_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``list_ids`` it holds (a rule on another list stays undecided)."""
        ...

    def __call__(self, name: str, country: str | None, list_ids: frozenset[str]) -> Sequence[Hit]:
        """The entries of ``list_ids`` (each one it covers) that ``name`` in ``country`` matches."""
        ...


@dataclass(frozen=True, slots=True)
class Case:
    """A shipment checked against its regime: the pack, the law in force on its date, the destination and the
    item's control code as the pack reads it (what :func:`decide` needs besides the shipment)."""

    regs: Regulations
    snap: Snapshot
    dest: str
    code: str | None


def case_of(shipment: Shipment, regulations: Mapping[str, Regulations] | Regulations) -> Case:
    """Check that the law can answer ``shipment`` (its regime, date, destination, item and red flags);
    :class:`InputError` naming the field otherwise."""
    regs = _pack(shipment, regulations)
    meta = regs.meta
    if shipment.date < meta.coverage_from:
        raise InputError("date", f"{shipment.date} is before the {meta.id} pack's coverage (from {meta.coverage_from})")
    dest = shipment.destination
    if not is_country(dest):
        raise InputError("destination", f"unknown country code {dest!r}")
    if dest == meta.country:
        raise InputError("destination", f"{dest} is the exporting country of the {meta.id} regime")
    code = _code(shipment, regs)
    item = shipment.item
    if (item.product is None) != (item.classified is None):
        field = "item.product" if item.product is not None else "item.classified"
        raise InputError(field, "a product and its classification come from the catalogue together: resolve it")
    snap = regs.at(shipment.date)
    _check_red_flags(shipment, snap)
    return Case(regs, snap, dest, code)


def determine(
    shipment: Shipment,
    regulations: Mapping[str, Regulations] | Regulations,
    *,
    screener: Screener | None = None,
) -> Determination:
    """Decide whether ``shipment`` needs a licence under its regime on its date, and which licences could
    authorise it, explaining each step with the dated values and provisions it rests on.

    When a rule in force screens the end user against a restricted-party list (``end_user_on_list``),
    ``screener`` is asked once; without one, such rules are undecided and the answer says so. The same input,
    ``data_version`` and list versions give the same answer (:func:`clearance.engine.batch.determine_memoised`
    reuses it)."""
    return decide(shipment, case_of(shipment, regulations), screener)


def decide(shipment: Shipment, case: Case, screener: Screener | None = None) -> Determination:
    """The answer for a shipment already checked (:func:`case_of`)."""
    return _determine(shipment, case.regs, case.snap, case.dest, case.code, screener)


def _determine(
    shipment: Shipment, regs: Regulations, snap: Snapshot, dest: str, code: str | None, screener: Screener | None
) -> Determination:
    meta = regs.meta
    item = shipment.item
    trace = _Trace(snap)
    facts = Facts(
        destination=dest,
        kind=item.kind,
        end_use=shipment.end_use,
        informed=shipment.informed,
        code=code,
        hs_code=item.hs_code,
        cas=item.cas,
        value=item.value,
        currency=item.currency,
        exporter=dict(shipment.exporter),
        red_flags=tuple(shipment.red_flags),
        end_user=shipment.end_user.name if shipment.end_user else None,
    )

    group = _destination_group(snap, facts, trace)
    control_entry = _classify(snap, facts, trace, code, item.hs_code, item.product, item.classified)
    list_versions = _screen_end_user(snap, facts, shipment, screener)
    decided, open_requirements = _requirements(snap, facts, trace)
    outcome = _outcome(decided, open_requirements, _exemptions(snap, facts, trace, decided, open_requirements))
    needs = outcome.needs_licence_for
    options = _licence_options(snap, facts, trace, needs) if needs else []
    processing_days = _processing_days(snap, facts, meta.standard_licence) if needs else None
    for missing in sorted(trace.missing):
        trace.warnings[f"{missing} not given: the rules that turn on it are undecided (see undecided and steps)"] = None
    citations, warnings = trace.merged()
    return Determination(
        regime=meta.id,
        date=shipment.date,
        destination=dest,
        destination_group=group,
        control_entry=control_entry,
        licence_required=outcome.licence_required,
        basis=outcome.basis,
        licence_options=tuple(o.id for o in options),
        licence_option_details=tuple(options),
        exemptions=outcome.exemptions,
        processing_days=processing_days,
        steps=tuple(trace.steps),
        citations=citations,
        data_version=regs.data_version,
        warnings=warnings,
        ref=shipment.ref,
        list_versions=list_versions,
        undecided=outcome.undecided,
    )


def destination_phrase(destination: str) -> str:
    """How an answer names a destination: ``CN (China)``."""
    return f"{destination} ({country_name(destination)})"


def _destination_group(snap: Snapshot, facts: Facts, trace: _Trace) -> str:
    group = snap.group_of(facts.destination)
    if group is None:
        raise NoRuleError(f"no destination group is defined on {snap.when} in the {snap.regs.id} pack")
    facts.group = group
    active = snap.active["destination_groups"][group]
    name = active.value.name or active.obj.model.label
    trace.step(
        f"destination_groups.{group}",
        f"{destination_phrase(facts.destination)} is in {name}",
        True,
        {"destination": facts.destination},
        _explained(snap, ("group", group), lambda: snap.group_versions(group)),
    )
    return group


def _classify(
    snap: Snapshot,
    facts: Facts,
    trace: _Trace,
    code: str | None,
    hs_code: str | None,
    product: str | None = None,
    classified: dict[str, str] | None = None,
) -> dict[str, Any]:
    found = snap.classify(code, hs_code)
    if found.how == "none":
        candidates = snap.catch_all_rows()
        if candidates:
            # Not listed, but without an HS code the item may or may not fall in a catch-all row: rules on
            # those rows are undecided (they ask for item.hs_code), never assumed either way.
            facts.row_candidates = frozenset(candidates)
            rows = snap.active["rows"]
            labels = " or ".join(f"row {r} ({rows[r].obj.model.label})" for r in candidates)
            trace.step(
                "rows",
                f"no control code and no HS code: the item may fall in {labels}, or in no row; the HS code decides",
                None,
                {"item.control_code": None, "item.hs_code": None},
                _explained(snap, ("candidate rows",), lambda: tuple(rows[r].version for r in candidates)),
            )
            return {
                "code": None,
                "row": None,
                "entry": None,
                "label": None,
                "how": "undecided",
                "candidates": candidates,
            }
    if found.how == "hs-undecided":
        return _undecided_row(snap, facts, trace, code, hs_code, found.candidates, found.needs or "item.hs_code")
    facts.row, facts.entry = found.row, found.entry
    read: dict[str, Any] = {"item.control_code": code, "item.hs_code": hs_code, "item.kind": facts.kind}
    if product is not None:
        read = {"item.product": product, **(classified or {}), **read}
    if code is not None and found.how not in ("entry", "range"):
        trace.warnings[f"{code} has no equivalent in the {snap.regs.id} control list: treated as not listed"] = None
    if found.row is None:
        outcome = f"{code or hs_code or 'the item'} is not in the control list nor in a catch-all row"
        trace.step(
            "rows", outcome, False, read, _explained(snap, ("classified", code, hs_code), lambda: found.versions)
        )
        return {"code": code, "row": None, "entry": None, "label": None, "how": found.how, "product": product}
    row = snap.active["rows"][found.row].obj.model
    if found.entry is not None:
        entry = snap.active["entries"][found.entry].obj.model
        label, where = entry.label, f"entry {found.entry} (row {found.row}: {row.label})"
    else:
        label, where = row.label, f"row {found.row} ({row.label})"
    subject = code or f"HS {hs_code}"
    why = _explained(snap, ("classified", code, hs_code), lambda: found.versions)
    trace.step(f"rows.{found.row}", f"{subject} falls under {where}", True, read, why)
    return {"code": code, "row": found.row, "entry": found.entry, "label": label, "how": found.how, "product": product}


def _undecided_row(
    snap: Snapshot,
    facts: Facts,
    trace: _Trace,
    code: str | None,
    hs_code: str | None,
    candidates: tuple[str, ...],
    needs: str,
) -> dict[str, Any]:
    """An HS code that does not show which of some rows the item is in: rules on those rows are undecided and
    ask for what would decide."""
    facts.row_candidates, facts.row_needs = frozenset(candidates), needs
    rows = snap.active["rows"]
    labels = " or ".join(f"row {r} ({rows[r].obj.model.label})" for r in candidates)
    trace.step(
        "rows",
        f"HS {hs_code} may fall under {labels}; what decides: {needs}",
        None,
        {"item.control_code": code, "item.hs_code": hs_code},
        _explained(snap, ("candidate rows", *candidates), lambda: tuple(rows[r].version for r in candidates)),
    )
    return {"code": code, "row": None, "entry": None, "label": None, "how": "undecided", "candidates": list(candidates)}


def _evaluate(check: Check, facts: Facts, trace: _Trace) -> tuple[bool | None, tuple[str, ...]]:
    """Evaluate a check: ``True``/``False``, or ``None`` with the input fields it needs (sorted)."""
    value = check(facts)
    if isinstance(value, Unknown):
        trace.missing |= value.missing
        return None, tuple(sorted(value.missing))
    return value, ()


def _verdict(value: bool | None, yes: str, no: str, missing: tuple[str, ...]) -> str:
    return yes if value is True else no if value is False else f"cannot be decided without {', '.join(missing)}"


def party_lists(snap: Snapshot) -> frozenset[str]:
    """The restricted-party lists that rules in force refer to (memoised per snapshot)."""
    key = ("party lists",)
    wanted: frozenset[str] | None = snap.memo.get(key)
    if wanted is None:
        wanted = snap.memo[key] = frozenset(
            ref
            for active in snap.active["requirements"].values()
            for ref in references(snap.regs.condition(active.value.when), "party_lists")
        )
    return wanted


def lists_screened(snap: Snapshot, shipment: Shipment, screener: Screener | None) -> frozenset[str]:
    """The lists a shipment's end user is screened against: those that rules in force refer to and the screener
    holds (none without an end user or a screener)."""
    wanted = party_lists(snap)
    if not wanted or shipment.end_user is None or screener is None:
        return frozenset()
    return frozenset(screener.covers(wanted))


def _screen_end_user(snap: Snapshot, facts: Facts, shipment: Shipment, screener: Screener | None) -> dict[str, str]:
    """Screen the end user against the party lists that rules in force refer to; returns the list versions."""
    screened = lists_screened(snap, shipment, screener)
    if not screened or shipment.end_user is None or screener is None:
        return {}
    hits = screener(shipment.end_user.name, shipment.end_user.country, screened)
    facts.end_user_hits = {list_id: tuple(h for h in hits if h.list_id == list_id) for list_id in screened}
    return {h.list_id: h.list_version for h in hits}


@dataclass(frozen=True, slots=True)
class _Open:
    """A rule that cannot be decided from the facts given: the basis it would give and what it needs."""

    rule: str
    label: str
    bases: frozenset[str]
    missing: tuple[str, ...]

    def question(self) -> Undecided:
        return Undecided(self.rule, self.label, self.missing)


def _requirements(snap: Snapshot, facts: Facts, trace: _Trace) -> tuple[list[str], list[_Open]]:
    """The bases of the requirements that apply, and the requirements that cannot be decided."""
    bases: list[str] = []
    undecided: list[_Open] = []
    for rid, active in snap.active["requirements"].items():
        assert active.check is not None
        value, missing = _evaluate(active.check, facts, trace)
        model = active.obj.model
        outcome = _verdict(value, "applies", "does not apply", missing)
        if value is not False and active.value.exceptions:
            rule = f"requirements.{rid}"
            value, missing, outcome = _weigh_exceptions(snap, facts, trace, active.value.exceptions, missing, rule)
        if value is True and model.basis not in bases:
            bases.append(model.basis)
        elif value is None:
            undecided.append(_Open(f"requirements.{rid}", model.label, frozenset({model.basis}), missing))
        if value is not False or _concerns_row(snap, active, facts.row):
            read: dict[str, Any] = {"row": facts.row, "group": facts.group}
            for list_id in _refs(snap, active, "party_lists"):
                read["end_user"] = facts.end_user
                read[f"hits.{list_id}"] = [h.to_dict() for h in (facts.end_user_hits or {}).get(list_id, ())]
            trace.step(f"requirements.{rid}", f"{model.label}: {outcome}", value, read, _of(snap, active))
    return bases, undecided


def _refs(snap: Snapshot, active: Active, kind: str) -> frozenset[str]:
    """The ids of one kind an active rule's condition names (memoised per snapshot)."""
    key = (kind, id(active))
    found: frozenset[str] | None = snap.memo.get(key)
    if found is None:
        found = snap.memo[key] = frozenset(references(snap.regs.condition(active.value.when), kind))
    return found


def _concerns_row(snap: Snapshot, active: Active, row: str | None) -> bool:
    """Whether a rule can concern an item in ``row``: it names that row, or names no row at all."""
    rows = _refs(snap, active, "rows")
    return row is not None and (not rows or row in rows)


@dataclass(frozen=True, slots=True)
class _Exemption:
    """An exemption weighed against the bases that apply or may apply: granted (``True``), refused
    (``False``) or open (``None``, with what it needs)."""

    id: str
    label: str
    bases: frozenset[str]
    value: bool | None
    missing: tuple[str, ...]

    def covers(self, bases: Iterable[str]) -> bool:
        return set(bases) <= self.bases


def _exemptions(
    snap: Snapshot, facts: Facts, trace: _Trace, decided: list[str], undecided: list[_Open]
) -> list[_Exemption]:
    """Every exemption that could lift a basis that applies (or may apply): its condition must hold and none
    of its labelled exceptions may hold; an exception that cannot be decided leaves it open."""
    possible = {*decided, *(b for o in undecided for b in o.bases)}
    weighed: list[_Exemption] = []
    for eid, active in snap.active["exemptions"].items():
        model = active.obj.model
        if not possible & set(model.bases) or (decided and not set(decided) <= set(model.bases)):
            continue
        assert active.check is not None
        value, missing = _evaluate(active.check, facts, trace)
        outcome = _verdict(value, "applies", "does not apply", missing)
        if value is not False:
            exceptions = active.value.exceptions
            value, missing, outcome = _weigh_exceptions(snap, facts, trace, exceptions, missing, f"exemptions.{eid}")
        read = {
            "item.value": str(facts.value) if facts.value is not None else None,
            "item.currency": facts.currency,
        }
        trace.step(f"exemptions.{eid}", f"{model.label}: {outcome}", value, read, _of(snap, active))
        weighed.append(_Exemption(eid, model.label, frozenset(model.bases), value, missing))
    return weighed


def _weigh_exceptions(
    snap: Snapshot, facts: Facts, trace: _Trace, exceptions: Sequence[s.Exception_], missing: tuple[str, ...], rule: str
) -> tuple[bool | None, tuple[str, ...], str]:
    """A rule whose condition holds (or is open, needing ``missing``) against its labelled exceptions: defeated
    if one holds, open if one cannot be decided, else it applies. A cited exception that holds or is open is a
    step of its own, with its citations."""
    open_labels: list[str] = []
    needed = set(missing)
    for exception in exceptions:
        excluded, unknown = _evaluate(snap.bind(exception.when), facts, trace)
        if excluded is not False:
            verdict = _verdict(excluded, "holds", "does not hold", unknown)
            cited = _exception_why(snap, exception)
            trace.step(f"exceptions.{rule}.{exception.id}", f"{exception.label}: {verdict}", excluded, {}, cited)
        if excluded is True:
            return False, (), f"does not apply ({exception.label})"
        if excluded is None:
            open_labels.append(exception.label)
            needed.update(unknown)
    if not needed:
        return True, (), "applies"
    why = f" ({'; '.join(open_labels)})" if open_labels else ""
    fields = tuple(sorted(needed))
    return None, fields, f"cannot be decided without {', '.join(fields)}{why}"


def _exception_why(snap: Snapshot, exception: s.Exception_) -> _Explained:
    """What a labelled exception cites: its sources and the country lists its condition reads (memoised)."""
    key = ("exception", id(exception))
    found: _Explained | None = snap.memo.get(key)
    if found is None:
        lists = _explain(snap, snap.lists_read(exception.when))
        classes = {snap.regs.sources[sid].source_class for sid in exception.sources}
        says = PRESS_ONLY if classes <= {"press", "secondary"} else UNVERIFIED
        unverified = f"the exception {exception.id!r} ({exception.label}) {says}"
        found = snap.memo[key] = _Explained(
            lists.values,
            tuple(dict.fromkeys((*exception.sources, *lists.citations))),
            (*(() if exception.verified else (unverified,)), *lists.warnings),
        )
    return found


@dataclass(frozen=True, slots=True)
class _Outcome:
    """The answer the rules give: required (``True``), not required (``False``) or undecided (``None``)."""

    licence_required: bool | None
    basis: tuple[str, ...]
    exemptions: tuple[str, ...]
    undecided: tuple[Undecided, ...]
    needs_licence_for: tuple[str, ...]


def _outcome(decided: list[str], undecided: list[_Open], exemptions: list[_Exemption]) -> _Outcome:
    """Combine requirements and exemptions (Catala's rule: "no rule decides" is an answer of its own).

    A basis that applies is lifted only by an exemption decided to apply; an exemption that cannot be decided
    leaves the answer undecided. With no basis that applies, the answer is "not required" only if no open
    requirement could still add one that no granted exemption would lift."""
    questions = tuple(o.question() for o in undecided)
    possible = tuple(dict.fromkeys([*decided, *(b for o in undecided for b in sorted(o.bases))]))
    lifting_all = tuple(e.id for e in exemptions if e.value is True and e.covers(possible))
    if lifting_all or not possible:
        return _Outcome(False, (), lifting_all, questions, ())
    if not decided:
        return _Outcome(None, (), (), questions, possible)
    granted = tuple(e.id for e in exemptions if e.value is True and e.covers(decided))
    if granted:  # the bases that apply are lifted, but an open requirement may add one that is not
        return _Outcome(None, (), granted, questions, possible)
    open_exemptions = tuple(
        Undecided(f"exemptions.{e.id}", e.label, e.missing) for e in exemptions if e.value is None and e.covers(decided)
    )
    if open_exemptions:
        return _Outcome(None, tuple(decided), (), questions + open_exemptions, tuple(decided))
    return _Outcome(True, tuple(decided), (), questions, tuple(decided))


def _licence_options(snap: Snapshot, facts: Facts, trace: _Trace, bases: Sequence[str]) -> list[LicenceOption]:
    """Licence types covering every basis whose condition holds; those whose condition turns on a fact not
    given are listed with what they require. Measures then take types away and their labelled exceptions give
    some back (an exception that cannot be decided gives a type back only on the facts it needs)."""
    eligible: dict[str, tuple[str, ...]] = {}
    for lid, active in snap.active["licence_types"].items():
        model = active.obj.model
        value: bool | None = all(b in model.bases for b in bases)
        missing: tuple[str, ...] = ()
        if value and active.check is not None:
            value, missing = _evaluate(active.check, facts, trace)
        if value is not False:
            eligible[lid] = missing
        outcome = _verdict(value, "available", "not available", missing)
        if value is None:
            outcome = f"available if {', '.join(missing)} qualifies"
        trace.step(
            f"licence_types.{lid}",
            f"{model.label}: {outcome}",
            value is not False,
            {"group": facts.group, "row": facts.row},
            _of(snap, active),
        )
    removed_by: dict[str, dict[str, tuple[str, ...]]] = {}
    restored: dict[str, tuple[str, ...]] = {}
    for mid, active in snap.active["measures"].items():
        model = active.obj.model
        assert active.check is not None
        value, missing = _evaluate(active.check, facts, trace)
        if value is False:
            continue
        removed = {lid: missing for lid in active.value.removes if lid in eligible}
        removed_by[mid] = removed
        verb = "removes" if value else f"may remove (depends on {', '.join(missing)})"
        trace.step(
            f"measures.{mid}",
            f"{model.label}: {verb} {', '.join(sorted(removed)) or 'nothing'}",
            True,
            {"destination": facts.destination, "item.control_code": facts.code},
            _of(snap, active),
        )
        for exception in active.value.exceptions:
            held, unknown = _evaluate(snap.bind(exception.when), facts, trace)
            if held is False:
                continue
            back = set(exception.overrides or removed) & set(removed)
            for lid in back:
                if held:
                    del removed[lid]
                else:
                    restored[lid] = min(restored.get(lid, unknown), unknown, key=len)
            verb = "restores" if held else f"may restore (depends on {', '.join(unknown)})"
            trace.step(
                f"exceptions.measures.{mid}.{exception.id}",
                f"{exception.label} (exception to {mid}): {verb} {', '.join(sorted(back)) or 'nothing'}",
                True,
                {"destination": facts.destination, "item.control_code": facts.code},
                _exception_why(snap, exception),
            )
    options = []
    for lid, requires in eligible.items():
        removals = [removed[lid] for removed in removed_by.values() if lid in removed]
        restoration = restored.get(lid)
        if restoration == ():
            removals = []
        needed = {*requires, *(f for unknown in removals for f in unknown)}
        if any(not unknown for unknown in removals):
            if restoration is None:
                continue  # taken away for certain
            needed |= set(restoration)  # taken away unless the exception holds
        options.append(_option(snap, lid, facts, tuple(sorted(needed))))
    return options


def _option(snap: Snapshot, lid: str, facts: Facts, requires: tuple[str, ...]) -> LicenceOption:
    """A licence type as an option for these facts (memoised per snapshot, type, review days and what it
    still requires)."""
    active = snap.active["licence_types"][lid]
    days = _days(snap, active.value, facts)
    key = ("option", lid, days, requires)
    found: LicenceOption | None = snap.memo.get(key)
    if found is None:
        value = active.value
        found = snap.memo[key] = LicenceOption(
            id=lid,
            label=active.obj.model.label,
            label_local=active.obj.model.label_local,
            processing_days=days,
            validity_months=value.validity.months if value.validity else None,
            conditions=tuple(value.conditions),
            requires=requires,
        )
    return found


def _days(snap: Snapshot, value: Any, facts: Facts) -> int | None:
    for case in value.processing_days:
        if case.when is None or snap.bind(case.when)(facts) is True:
            return int(case.days)
    return None


def _processing_days(snap: Snapshot, facts: Facts, standard: str) -> int | None:
    active = snap.active["licence_types"].get(standard)
    return _days(snap, active.value, facts) if active else None
