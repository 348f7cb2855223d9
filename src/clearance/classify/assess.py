"""該非判定: assess a product against the parameter sheets of the entries it may fall under.

:func:`assess` is pure: the product's specification, the sheets, the Goods Ordinance, the pack and the date in;
an :class:`Assessment` out. Candidate entries come from the product's HS code, CAS numbers and words (the curated
search terms), and from every sheet whose parameters are given. Each sheet answers three-valued like the engine:
``listed`` when a branch of its clause holds and no exception overrides it, ``not_listed`` when every branch
fails, else ``undecided`` with the questions that would decide it (the first open test of each open branch).
A not-listed good (or an undecided one, should it prove not listed) is placed in the catch-all part its HS code
falls in (:mod:`clearance.classify.placement`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clearance.classify.entries import pack_entries
from clearance.classify.ordinance import GoodsOrdinance
from clearance.classify.placement import HS_QUESTION, Placement, place
from clearance.classify.sheets import SYMBOLS, Branch, Parameter, Sheet, SheetSet, SheetValue, Test
from clearance.classify.terms import Term, terms
from clearance.errors import InputError
from clearance.inputs import json_object
from clearance.law.codes import CasNumber, HsCode, hs_digits
from clearance.law.regulations import Regulations
from clearance.problems import invalid

Verdict = Literal["listed", "not_listed", "undecided"]
Tri = bool | None
#: Weights of a composition may add up to a little over 100 % (rounding in data sheets).
WEIGHT_TOLERANCE = Decimal("0.5")


class Component(BaseModel):
    """One substance of a product: its CAS number and its share of the total weight (if known)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cas: CasNumber
    weight_percent: Decimal | None = Field(default=None, ge=0, le=100)


class ProductSpec(BaseModel):
    """What is known of a product: the assessment's input."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1)
    description: str = ""
    kind: Literal["goods", "technology"] = "goods"
    part_number: str | None = None
    hs_code: HsCode | None = None
    composition: tuple[Component, ...] | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)

    @field_validator("composition")
    @classmethod
    def _weights(cls, value: tuple[Component, ...] | None) -> tuple[Component, ...] | None:
        if value is None:
            return value
        total = sum((c.weight_percent or Decimal(0)) for c in value)
        if total > 100 + WEIGHT_TOLERANCE:
            raise ValueError(f"the weights add up to {total} %, more than 100 %")
        seen = [c.cas for c in value]
        for cas in seen:
            if seen.count(cas) > 1:
                raise ValueError(f"CAS {cas} is listed twice")
        return value


class AssessRequest(BaseModel):
    """``{"regime": "jp", "date": "YYYY-MM-DD", "product": {...}}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regime: str = Field(min_length=1)
    date: dt.date
    product: ProductSpec

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("not a date (YYYY-MM-DD)")
        return value


def parse_request(data: bytes | str | Mapping[str, Any]) -> AssessRequest:
    """An assessment request from JSON text or a mapping; :class:`InputError` naming the bad field."""
    try:
        return AssessRequest.model_validate(json_object(data))
    except ValidationError as exc:
        raise invalid(exc) from None


def check_parameters(spec: ProductSpec, vocabulary: Mapping[str, Parameter]) -> dict[str, Any]:
    """The product's parameters checked against the vocabulary (numbers as Decimal); :class:`InputError` on
    ``product.parameters.<name>`` for an unknown name or a value of the wrong type."""
    out: dict[str, Any] = {}
    for name, value in spec.parameters.items():
        where = f"product.parameters.{name}"
        parameter = vocabulary.get(name)
        if parameter is None or parameter.type == "composition":
            known = ", ".join(sorted(n for n, p in vocabulary.items() if p.type != "composition"))
            hint = "give it as product.composition" if name == "composition" else f"known: {known}"
            raise InputError(where, f"unknown parameter ({hint})")
        if value is None:
            continue
        if parameter.derived is not None:
            ratio = parameter.derived
            raise InputError(where, f"computed as {ratio.of} × {ratio.times} / {ratio.per}: give those instead")
        if parameter.type == "number":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InputError(where, f"expected a number in {parameter.unit}, got {value!r}")
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                raise InputError(where, f"expected a number in {parameter.unit}, got {value!r}") from None
            if not number.is_finite():
                raise InputError(where, f"expected a finite number in {parameter.unit}, got {value!r}")
            out[name] = number
        elif parameter.type == "boolean":
            if not isinstance(value, bool):
                raise InputError(where, f"expected true or false, got {value!r}")
            out[name] = value
        else:
            if value not in parameter.values:
                raise InputError(where, f"expected one of {', '.join(parameter.values)}, got {value!r}")
            out[name] = value
    divisors = {p.derived.per for p in vocabulary.values() if p.derived}
    for name in sorted(divisors & set(out)):
        if out[name] <= 0:
            raise InputError(f"product.parameters.{name}", f"expected a number more than 0, got {out[name]}")
    return out


@dataclass(frozen=True, slots=True)
class TestResult:
    """One test as applied: the clause and its text, the parameter and its value, the comparison and the result."""

    clause: str
    clause_text: str
    parameter: str
    value: Any
    comparison: str
    symbol: str
    words: str | None
    threshold: Any
    unit: str | None
    result: Tri
    note: str | None = None
    waits_for: str | None = None


@dataclass(frozen=True, slots=True)
class BranchResult:
    """One alternative of a clause as applied: its tests and whether it catches the product (a text-only clause
    of a partial sheet, ``encoded`` false, has no tests and stays open)."""

    id: str
    clause: str
    clause_text: str
    label: str
    result: Tri
    tests: tuple[TestResult, ...]
    overridden_by: tuple[str, ...] = ()
    encoded: bool = True


@dataclass(frozen=True, slots=True)
class Question:
    """A parameter still open, with its question, unit, allowed values and the entries and clauses needing it."""

    parameter: str
    question: str
    question_local: str
    type: str
    unit: str | None
    values: tuple[dict[str, str], ...]
    entries: tuple[str, ...]
    clauses: tuple[str, ...]
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class EntryAssessment:
    """An entry's verdict for the product, how the entry was found, the tests and branches, and citations."""

    ref: str
    title: str
    title_local: str
    verdict: Verdict
    found_by: tuple[str, ...]
    sheet: bool
    clause: str | None
    sheet_in_force: str | None
    tests: tuple[TestResult, ...]
    branches: tuple[BranchResult, ...]
    questions: tuple[Question, ...]
    citations: tuple[dict[str, Any], ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """The 該非判定 of one product on one date: overall verdict, entries, catch-all placement, open questions."""

    regime: str
    date: dt.date
    product: ProductSpec
    parameters: Mapping[str, Any]
    inferred: Mapping[str, str]
    verdict: Verdict
    entries: tuple[EntryAssessment, ...]
    placement: Placement
    questions: tuple[Question, ...]
    data_version: str
    ordinance_in_force: dt.date
    warnings: tuple[str, ...] = field(default=())


class _Facts:
    """The product's parameters and composition as the tests read them (given or inferred from its words)."""

    def __init__(self, spec: ProductSpec, given: dict[str, Any], vocabulary: Mapping[str, Parameter]) -> None:
        self.spec = spec
        self.values = dict(given)
        self.inferred: dict[str, str] = {}
        #: Choices whose values the words name more than one of: none is assumed, each value's entries are asked.
        self.named: dict[str, tuple[str, ...]] = {}
        words = f"{spec.name}\n{spec.description}".casefold()
        for name, parameter in vocabulary.items():
            if name in self.values or parameter.type != "choice":
                continue
            found = [(v, n) for v, c in parameter.values.items() for n in c.names if _mentions(words, n)]
            # a name inside a longer name that occurs ("photomask" in "photomask blank") does not count
            hits = {v: n for v, n in found if not any(n != m and n.casefold() in m.casefold() for _, m in found)}
            if len(hits) == 1:
                value, name_found = next(iter(hits.items()))
                self.values[name] = value
                self.inferred[name] = f"from the product's words: {name_found!r}"
            elif hits:
                self.named[name] = tuple(hits)
        for name, parameter in vocabulary.items():
            ratio = parameter.derived
            if ratio is not None and ratio.of in self.values and ratio.per in self.values:
                self.values[name] = self.values[ratio.of] * ratio.times / self.values[ratio.per]
                self.inferred[name] = f"computed: {ratio.of} × {ratio.times} / {ratio.per}"


def _mentions(words: str, name: str) -> bool:
    """Whether ``name`` occurs in ``words`` (casefolded; Latin names on word boundaries)."""
    needle = name.casefold()
    if needle.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", words) is not None
    return needle in words


def _compare(test: Test, value: Any) -> bool:
    threshold = test.threshold
    match test.comparison:
        case "at_least":
            return bool(value >= threshold)
        case "over":
            return bool(value > threshold)
        case "below":
            return bool(value < threshold)
        case "at_most":
            return bool(value <= threshold)
        case "equals":
            return bool(value == threshold)
        case _:
            return value in (threshold or ())


class _Evaluator:
    """Applies one sheet value to the facts."""

    def __init__(self, ordinance: GoodsOrdinance, when: dt.date, facts: _Facts, sheets: SheetSet) -> None:
        self.ordinance = ordinance
        self.when = when
        self.facts = facts
        self.vocabulary = sheets.vocabulary.parameters
        # a substance some value lists only on other dates is not identified on this one
        self.known_cas = {cas for sheet in sheets.sheets.values() for cas in sheet.cas(when)}

    def text(self, ref: str) -> tuple[str, str]:
        clause = self.ordinance.clause(ref, self.when)
        return clause.label, clause.text

    def test(self, test: Test, default_clause: str, value: SheetValue) -> TestResult:
        label, text = self.text(test.clause or default_clause)
        parameter = self.vocabulary[test.parameter]
        given = self.facts.values.get(test.parameter)
        note = self.facts.inferred.get(test.parameter)
        result: Tri = None if given is None else _compare(test, given)
        waits_for = None
        composition = self.facts.spec.composition
        if given is None and test.unless_composition_known:
            outside = {o.cas for o in value.outside_families}
            if composition is None:
                waits_for, note = "composition", "asked once the composition is known"
            elif all(c.cas in self.known_cas or c.cas in outside for c in composition):
                result = False
                note = "every component is identified by its CAS number (listed, or known outside the families)"
        symbol, words_local = SYMBOLS[test.comparison]
        return TestResult(
            label,
            text,
            test.parameter,
            given,
            test.comparison,
            symbol,
            test.words or words_local or None,
            test.threshold,
            parameter.unit,
            result,
            note,
            waits_for,
        )

    def substances(self, branch: Branch) -> list[TestResult]:
        assert branch.substances is not None
        group = branch.substances
        label, text = self.text(branch.clause)
        composition = self.facts.spec.composition
        comparison = "over" if group.over is not None else "contains"
        symbol = ">" if group.over is not None else "∋"
        if composition is None:
            return [
                TestResult(
                    label,
                    text,
                    "composition",
                    None,
                    comparison,
                    symbol,
                    group.words,
                    group.over,
                    "% by weight",
                    None,
                    "the composition is not given",
                )
            ]
        listed = {s.cas: s for s in group.list}
        out = []
        for i, component in enumerate(composition):
            substance = listed.get(component.cas)
            if substance is None:
                continue
            sub_label, sub_text = self.text(substance.clause)
            share = component.weight_percent
            result: Tri
            if group.over is None:
                result, note = True, f"{substance.name} (CAS {component.cas}) is caught in any mixture"
            elif share is None:
                result, note = None, f"the weight share of {substance.name} (CAS {component.cas}) is not given"
            else:
                result, note = share > group.over, f"{substance.name} (CAS {component.cas}): {share} % by weight"
            out.append(
                TestResult(
                    f"{label} / {sub_label}",
                    f"{text} — {sub_text}",
                    f"composition[{i}].weight_percent",
                    share,
                    comparison,
                    symbol,
                    group.words,
                    group.over,
                    "% by weight",
                    result,
                    note,
                )
            )
        if not out:
            names = ", ".join(c.cas for c in composition)
            out.append(
                TestResult(
                    label,
                    text,
                    "composition",
                    names,
                    "contains",
                    "∌",
                    group.words,
                    None,
                    None,
                    False,
                    f"none of the {len(group.list)} substances of this branch is in the composition",
                )
            )
        return out


def _all(results: Sequence[Tri]) -> Tri:
    if any(r is False for r in results):
        return False
    return True if all(r is True for r in results) else None


def _any(results: Sequence[Tri]) -> Tri:
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


def _first_open(tests: Sequence[TestResult]) -> TestResult | None:
    return next((t for t in tests if t.result is None), None)


def _question(parameter: str, spec: Parameter, entry: str, clause: str, detail: str | None) -> Question:
    values = tuple({"value": v, "label": c.label, "label_local": c.label_local} for v, c in spec.values.items())
    return Question(
        parameter, spec.question, spec.question_local, spec.type, spec.unit, values, (entry,), (clause,), detail
    )


def assess_sheet(
    sheet: Sheet, value: SheetValue, ev: _Evaluator, ref: str
) -> tuple[Verdict, list[TestResult], list[BranchResult], list[Question]]:
    """One sheet value applied to the facts: the verdict, every test, the branches and the open questions."""
    requires = [ev.test(t, value.clause, value) for t in value.requires]
    branches: list[BranchResult] = []
    for branch in value.any:
        tests = ev.substances(branch) if branch.substances else [ev.test(t, branch.clause, value) for t in branch.all]
        label, text = ev.text(branch.clause)
        result = _any([t.result for t in tests]) if branch.substances else _all([t.result for t in tests])
        branches.append(BranchResult(branch.id, label, text, branch.label, result, tuple(tests)))
    for exc in value.exceptions:
        tests = [ev.test(t, exc.clause, value) for t in exc.all]
        holds = _all([t.result for t in tests])
        for i, b in enumerate(branches):
            if b.id not in exc.overrides or b.result is False:
                continue
            # the exception's tests are shown with the branch; it overrides it when they hold, leaves it open
            # when they are open, and leaves it as it was when they fail
            result = False if holds else None if holds is None else b.result
            overridden = (*b.overridden_by, exc.id) if holds else b.overridden_by
            branches[i] = BranchResult(
                b.id, b.clause, b.clause_text, b.label, result, b.tests + tuple(tests), overridden
            )
    for item in value.text_only or ():
        label, text = ev.text(item.clause)
        branches.append(BranchResult(f"text_only:{label}", label, text, item.label, None, (), encoded=False))
    caught = _all([_all([t.result for t in requires]), _any([b.result for b in branches])])
    verdict: Verdict = "listed" if caught else "not_listed" if caught is False else "undecided"
    questions: list[Question] = []
    if verdict == "undecided":
        open_tests = [] if _all([t.result for t in requires]) is False else [_first_open(requires)]
        if _all([t.result for t in requires]) is not False:
            open_tests += [_first_open(b.tests) for b in branches if b.result is None]
        questions = [q for test in open_tests if test is not None for q in _asks(test, ev, ref)]
    tests = [*requires, *(t for b in branches for t in b.tests)]
    return verdict, tests, branches, _merge(questions)


def _asks(test: TestResult, ev: _Evaluator, ref: str) -> list[Question]:
    """The questions an open test asks: its parameter, or the missing inputs of a derived one."""
    name = test.waits_for or test.parameter.split("[")[0].split(".")[0]
    spec = ev.vocabulary["composition" if name == "composition" else name]
    if spec.derived is None:
        return [_question(name, spec, ref, test.clause, test.note if name == "composition" else None)]
    ratio = spec.derived
    detail = f"for {name} = {ratio.of} × {ratio.times} / {ratio.per}"
    return [
        _question(source, ev.vocabulary[source], ref, test.clause, detail)
        for source in (ratio.of, ratio.per)
        if source not in ev.facts.values
    ]


def _merge(questions: Sequence[Question]) -> list[Question]:
    """One question per parameter (the entries and clauses that need it joined; details kept)."""
    out: dict[str, Question] = {}
    for q in questions:
        if q.parameter not in out:
            out[q.parameter] = q
            continue
        have = out[q.parameter]
        detail = "; ".join(d for d in dict.fromkeys([have.detail, q.detail]) if d) or None
        out[q.parameter] = Question(
            q.parameter,
            q.question,
            q.question_local,
            q.type,
            q.unit,
            q.values,
            tuple(dict.fromkeys(have.entries + q.entries)),
            tuple(dict.fromkeys(have.clauses + q.clauses)),
            detail,
        )
    return list(out.values())


def _term_hits(spec: ProductSpec) -> list[tuple[Term, str]]:
    words = f"{spec.name}\n{spec.description}".casefold()
    digits = hs_digits(spec.hs_code) if spec.hs_code else None
    cas = {c.cas for c in spec.composition or ()}
    found: list[tuple[Term, str]] = []
    for tid, term in terms().terms.items():
        name = next((n for n in term.names.all() if _mentions(words, n)), None)
        if name is not None:
            found.append((term, f"words: {name!r} (search term {tid})"))
        shared = sorted(cas & set(term.cas))
        if shared:
            found.append((term, f"CAS {', '.join(shared)} (search term {tid})"))
        if digits and len(digits) >= 4:
            hs = next((h for h in term.hs if digits.startswith(hs_digits(h)) or hs_digits(h).startswith(digits)), None)
            if hs is not None:
                found.append((term, f"HS {spec.hs_code} ~ {hs} (search term {tid}; a hint, not a classification)"))
    return found


def candidates(spec: ProductSpec, facts: _Facts, sheets: SheetSet, pack: str) -> dict[str, list[str]]:
    """The entries to assess (``7(19)``) with how each was found."""
    found: dict[str, list[str]] = {}
    for term, how in _term_hits(spec):
        for entry in term.entries.get(pack, []):
            found.setdefault(entry, []).append(how)
    cas = {c.cas for c in spec.composition or ()}
    for entry, sheet in sheets.sheets.items():
        listed = sorted(cas & sheet.cas())
        if listed:
            found.setdefault(entry, []).append(f"CAS {', '.join(listed)} listed by the sheet")
        elif spec.composition is not None and "composition" in sheet.parameters():
            found.setdefault(entry, []).append("composition given (the sheet tests compositions)")
        given = sorted(p for p in sheet.parameters() & set(spec.parameters) if p != "goods_type")
        if given:
            found.setdefault(entry, []).append(f"parameters given: {', '.join(given)}")
        kind = facts.values.get("goods_type")
        if kind is not None and kind != "other" and _tests_value(sheet, "goods_type", kind):
            found.setdefault(entry, []).append(
                f"goods_type {kind}" + (" (inferred)" if "goods_type" in facts.inferred else "")
            )
        elif kind is None:  # the words name several kinds: each one's entries are candidates, goods_type asked
            named = [k for k in facts.named.get("goods_type", ()) if _tests_value(sheet, "goods_type", k)]
            if named:
                found.setdefault(entry, []).append(f"goods_type {' or '.join(named)} named in the product's words")
    return {e: list(dict.fromkeys(how)) for e, how in found.items()}


def _tests_value(sheet: Sheet, parameter: str, value: str) -> bool:
    for v in sheet.values.values():
        for test in [*(v.requires if v else ()), *(t for b in (v.any if v else ()) for t in b.all)]:
            if test.parameter == parameter and (test.equals == value or value in (test.one_of or ())):
                return True
    return False


def assess(request: AssessRequest, regulations: Regulations, sheets: SheetSet, ordinance: GoodsOrdinance) -> Assessment:
    """The 該非判定 of ``request.product`` under the pack on ``request.date`` (see the module docstring)."""
    spec, when, pack = request.product, request.date, regulations.meta.id
    facts = _Facts(spec, check_parameters(spec, sheets.vocabulary.parameters), sheets.vocabulary.parameters)
    ev = _Evaluator(ordinance, when, facts, sheets)
    version, earlier = ordinance.version_on(when)
    warnings: list[str] = []
    if earlier:
        warnings.append(
            f"The Goods Ordinance in force on {when} is not bundled: clause texts are those in force"
            f" {version.in_force}."
        )
    gap = ordinance.gap(when)
    if gap:
        warnings.append(f"{gap[0].upper()}{gap[1:]}: entries whose sheet needs it are undecided.")
    records = pack_entries(regulations, when)
    entries: list[EntryAssessment] = []
    for entry, how in candidates(spec, facts, sheets, pack).items():
        record = records.get(f"{pack}:{entry}")
        titles = (record.title, record.title_local or record.text_local) if record else ("", "")
        entries.append(_entry(entry, how, titles, sheets, ev, pack, spec))
    verdicts = [e.verdict for e in entries]
    verdict: Verdict = "listed" if "listed" in verdicts else "undecided" if "undecided" in verdicts else "not_listed"
    if not entries:
        warnings.append(
            "No candidate entry was found from the HS code, the CAS numbers, the product's words or its parameters:"
            f" only the parameter sheets ({', '.join(f'{pack}:{e}' for e in sheets.sheets)}) and the curated search"
            " terms were consulted; read the control list for entries they do not cover."
        )
    placement = place(regulations, spec.hs_code, when, verdict)
    questions = _merge([q for e in entries for q in e.questions])
    if placement.needs_hs_code:
        questions.append(
            Question(
                HS_QUESTION["parameter"],
                HS_QUESTION["question"],
                HS_QUESTION["question_local"],
                "hs_code",
                None,
                (),
                (),
                ("Export Trade Control Order, Appended Table 1, row 16",),
                placement.reason,
            )
        )
    return Assessment(
        pack,
        when,
        spec,
        facts.values,
        facts.inferred,
        verdict,
        tuple(entries),
        placement,
        tuple(questions),
        f"{regulations.data_version}+{ordinance.data_version}+{sheets.data_version}",
        version.in_force,
        tuple(warnings),
    )


def _entry(
    entry: str,
    how: list[str],
    titles: tuple[str, str],
    sheets: SheetSet,
    ev: _Evaluator,
    pack: str,
    spec: ProductSpec,
) -> EntryAssessment:
    ref = f"{pack}:{entry}"
    title, title_local = titles
    sheet = sheets.sheets.get(entry)
    clauses = ev.ordinance.specifying(entry, ev.when)
    cites = tuple(c.citation() for c in clauses)
    in_force = sheet.on(ev.when) if sheet is not None else None
    not_bundled = ev.ordinance.missing(in_force[1].clause, ev.when) if in_force else None
    if sheet is None or sheet.kind != spec.kind or in_force is None or not_bundled:
        if sheet is None:
            note = "No parameter sheet covers this entry: classify it by reading its clauses (classify show)."
        elif sheet.kind != spec.kind:
            note = f"The sheet covers {sheet.kind}; {spec.kind} is classified under its own clauses."
        elif not_bundled:
            note = f"The clauses the sheet reads are not bundled for {ev.when} ({not_bundled}): read the law in force."
        else:
            first = min(sheet.values).isoformat()
            note = (
                f"No parameter sheet is in force on {ev.when} (the sheet starts {first}): read the law then in force."
            )
        return EntryAssessment(
            ref, title, title_local, "undecided", tuple(how), sheet is not None, None, None, (), (), (), cites, note
        )
    assert in_force is not None  # narrowed by the return above
    since, value = in_force
    verdict, tests, branches, questions = assess_sheet(sheet, value, ev, ref)
    clause = ev.ordinance.clause(value.clause, ev.when)
    citations = (clause.citation(), *(c for c in cites if c["provision"] != clause.label))
    unread = [b.clause for b in branches if not b.encoded]
    partial = (
        f"The sheet encodes only part of this entry: it cannot be found not listed while {', '.join(unread)}"
        " (text only) are open; read them (classify show)."
        if verdict == "undecided" and unread
        else None
    )
    return EntryAssessment(
        ref,
        sheet.label or title,
        sheet.label_local or title_local,
        verdict,
        tuple(how),
        True,
        clause.label,
        since.isoformat(),
        tuple(tests),
        tuple(branches),
        tuple(questions),
        citations,
        partial,
    )


@dataclass(frozen=True, slots=True)
class Assessor:
    """What an assessment reads: the pack, its parameter sheets and the Goods Ordinance."""

    regulations: Regulations
    sheets: SheetSet
    ordinance: GoodsOrdinance

    def assess(self, request: AssessRequest) -> Assessment:
        """:func:`assess` under this pack; :class:`InputError` on ``regime`` for another pack's request."""
        if request.regime != self.regulations.id:
            raise InputError("regime", f"{request.regime!r}: parameter sheets exist only for {self.regulations.id!r}")
        return assess(request, self.regulations, self.sheets, self.ordinance)


def assessor(packs: Mapping[str, Regulations], regime: str = "jp") -> Assessor:
    """The assessor of ``regime``; :class:`InputError` on ``regime`` when it has no pack or no parameter sheets."""
    if regime not in packs:
        raise InputError("regime", f"unknown regime {regime!r} (packs: {', '.join(packs)})")
    if regime != "jp":
        raise InputError("regime", f"{regime!r} has no parameter sheets (the Goods Ordinance sheets are for 'jp')")
    ordinance = GoodsOrdinance()
    regulations = packs[regime]
    return Assessor(regulations, SheetSet(regulations.sources, ordinance), ordinance)
