"""Parameter sheets (パラメータシート): a control-list entry's clauses as named tests on named parameters, as data.

A sheet (``regulations/<pack>/goods_ordinance/sheets/<entry>.yaml``, the file name is the entry id with ``-``
for ``(`` and no ``)``) holds dated values; each value lists the tests every branch needs (``requires``: the clause's
own subject, e.g. "a resist"), the branches of the clause (``any``: 「次のいずれかに該当するもの」), each either
``all`` of its tests or a list of ``substances`` caught above a share of the total weight, and labelled
``exceptions`` (「〜を除く」) that name the branches they override. A sheet that encodes only some of the clauses
specifying its entry lists the others as ``text_only``: every sub-item must then be encoded by a branch, listed
text-only, or deleted (削除), which loading checks (also once the list is empty, ``text_only: []``, when the
last clause is encoded), and an open text-only clause keeps the entry from being ``not_listed``. A test
compares one parameter of the vocabulary (``classify/data/parameters.yaml``) with the clause's own comparison:
``at_least`` (以上 ≥), ``over`` (超 >), ``below`` (未満 <), ``at_most`` (以下 ≤), ``equals`` or ``one_of``. Every
test cites a clause of the Goods Ordinance and may quote its ``words``, which must appear in that clause's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from clearance.classify.datafile import DATA, Strict, read, validate
from clearance.classify.ordinance import ROOT, GoodsOrdinance, OrdinanceClause, clause_id
from clearance.errors import InputError, PackError
from clearance.law.codes import CasNumber
from clearance.law.yamlio import read_yaml

SHEETS = ROOT / "sheets"
#: The text of a deleted clause (削除): nothing to encode.
DELETED = "削除"
Comparison = Literal["at_least", "over", "below", "at_most", "equals", "one_of"]
_COMPARISONS: tuple[Comparison, ...] = ("at_least", "over", "below", "at_most", "equals", "one_of")
#: How each comparison is written: the symbol and the Japanese legal phrase.
SYMBOLS: dict[str, tuple[str, str]] = {
    "at_least": ("≥", "以上"),
    "over": (">", "超"),
    "below": ("<", "未満"),
    "at_most": ("≤", "以下"),
    "equals": ("=", ""),
    "one_of": ("∈", ""),
}


class Choice(Strict):
    """One allowed value of a choice parameter, with the words that name it in a description."""

    label: str
    label_local: str
    names: list[str] = Field(default_factory=list)


class Ratio(Strict):
    """How a number the clause compares is computed from two given ones: ``of`` × ``times`` / ``per``
    (Art. 6(1)(xvii) ヘ (一) 2: the wavelength in nm times 0.35 divided by the numerical aperture)."""

    of: str
    times: Decimal
    per: str


class Parameter(Strict):
    """A parameter of the vocabulary: type, unit, allowed values and the question that asks for it; a ``derived``
    number is never given but computed from two others, which are asked instead."""

    type: Literal["number", "boolean", "choice", "composition"]
    unit: str | None = None
    question: str
    question_local: str
    values: dict[str, Choice] = Field(default_factory=dict)
    derived: Ratio | None = None

    @model_validator(mode="after")
    def _shape(self) -> Parameter:
        if (self.type == "choice") != bool(self.values):
            raise ValueError("a choice parameter needs values; other types take none")
        if self.type == "number" and not self.unit:
            raise ValueError("a number parameter needs a unit")
        if self.derived is not None and self.type != "number":
            raise ValueError("only a number parameter is derived")
        return self


class Vocabulary(Strict):
    """``parameters.yaml``: the parameters by name."""

    parameters: dict[str, Parameter]

    @model_validator(mode="after")
    def _inputs(self) -> Vocabulary:
        for name, parameter in self.parameters.items():
            for source in (parameter.derived.of, parameter.derived.per) if parameter.derived else ():
                given = self.parameters.get(source)
                if given is None or given.type != "number" or given.derived is not None:
                    raise ValueError(f"{name} is derived from {source!r}, which is not a given number parameter")
        return self


class Test(Strict):
    """One comparison of a parameter with the clause's threshold or value."""

    parameter: str
    at_least: Decimal | None = None
    over: Decimal | None = None
    below: Decimal | None = None
    at_most: Decimal | None = None
    equals: str | bool | None = None
    one_of: list[str] | None = None
    clause: str | None = None
    words: str | None = None
    unless_composition_known: bool = False

    @model_validator(mode="after")
    def _one_comparison(self) -> Test:
        if len([k for k in SYMBOLS if getattr(self, k) is not None]) != 1:
            raise ValueError("exactly one of at_least, over, below, at_most, equals, one_of is required")
        return self

    @property
    def comparison(self) -> Comparison:
        """Which comparison the test makes."""
        found: Comparison = next(k for k in _COMPARISONS if getattr(self, k) is not None)
        return found

    @property
    def threshold(self) -> Any:
        """The value the parameter is compared with."""
        return getattr(self, self.comparison)


class Substance(Strict):
    """A listed substance: the sub-item naming it, its CAS number and name."""

    clause: str
    cas: CasNumber
    name: str


class Substances(Strict):
    """Substances caught themselves or in mixtures where one of them is over ``over`` % of the total weight
    (``None``: in any mixture)."""

    over: Decimal | None = None
    words: str
    list: tuple[Substance, ...] = Field(min_length=1)


class Branch(Strict):
    """One alternative of the clause: ``all`` of its tests, or one of its ``substances`` above the share."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    label: str
    all: tuple[Test, ...] = ()
    substances: Substances | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Branch:
        if bool(self.all) == (self.substances is not None):
            raise ValueError("a branch has either all (tests) or substances")
        return self


class SheetException(Strict):
    """A labelled exclusion (〜を除く): when ``all`` its tests hold, the branches it ``overrides`` do not catch."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    label: str
    overrides: tuple[str, ...] = Field(min_length=1)
    all: tuple[Test, ...] = Field(min_length=1)


class Outside(Strict):
    """A substance known to be no member of the chemical families a sheet asks about, and why."""

    cas: CasNumber
    name: str
    reason: str


class TextOnly(Strict):
    """A clause specifying the entry that the sheet does not encode: its text alone decides, so it stays open."""

    clause: str
    label: str


class SheetValue(Strict):
    """The sheet in force from one date."""

    clause: str
    sources: list[str] = Field(min_length=1)
    requires: tuple[Test, ...] = ()
    any: tuple[Branch, ...] = Field(min_length=1)
    exceptions: tuple[SheetException, ...] = ()
    text_only: tuple[TextOnly, ...] | None = None  # declared (even empty): every sub-item must be accounted for
    outside_families: tuple[Outside, ...] = ()
    verified: bool = True
    note: str | None = None


class Sheet(Strict):
    """A parameter sheet: the entry it decides and its dated values (``null`` ends it)."""

    entry: str
    label: str
    label_local: str
    kind: Literal["goods", "technology"]
    values: dict[dt.date, SheetValue | None] = Field(min_length=1)

    def on(self, when: dt.date) -> tuple[dt.date, SheetValue] | None:
        """The value in force on ``when`` with its date, if any."""
        dates = [d for d in sorted(self.values) if d <= when]
        if not dates or self.values[dates[-1]] is None:
            return None
        value = self.values[dates[-1]]
        assert value is not None
        return dates[-1], value

    def parameters(self) -> set[str]:
        """Every parameter a value of the sheet tests."""
        out: set[str] = set()
        for value in self.values.values():
            for test in _tests(value) if value else ():
                out.add(test.parameter)
            if value and any(b.substances for b in value.any):
                out.add("composition")
        return out

    def cas(self, when: dt.date | None = None) -> set[str]:
        """Every CAS number the sheet lists (only in the value in force on ``when``, if given)."""
        if when is None:
            values = [v for v in self.values.values() if v]
        else:
            found = self.on(when)
            values = [found[1]] if found else []
        return {s.cas for v in values for b in v.any if b.substances for s in b.substances.list}


def _tests(value: SheetValue) -> list[Test]:
    return [*value.requires, *(t for b in value.any for t in b.all), *(t for e in value.exceptions for t in e.all)]


def clauses_read(value: SheetValue) -> list[str]:
    """Every clause a sheet value cites, in order, once."""
    refs = [value.clause]
    for branch in value.any:
        refs += [branch.clause, *(s.clause for s in branch.substances.list)] if branch.substances else [branch.clause]
    refs += [e.clause for e in value.exceptions]
    refs += [t.clause for t in value.text_only or ()]
    refs += [t.clause for t in _tests(value) if t.clause]
    return list(dict.fromkeys(refs))


def file_stem(entry: str) -> str:
    """The file name (without ``.yaml``) of an entry's sheet: ``7(19)`` → ``7-19``; ``3-2(1)`` → ``3-2-1``;
    ``7(17-2)`` → ``7-17-2`` (so the stem alone cannot tell ``3-2(2)`` from ``3(2-2)``: the sheet's ``entry`` does)."""
    return entry.replace("(", "-").removesuffix(")")


class SheetSet:
    """The vocabulary and the sheets of one pack, checked against the Goods Ordinance and the pack's sources."""

    def __init__(
        self,
        sources: Mapping[str, Any],
        ordinance: GoodsOrdinance,
        folder: Path = SHEETS,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.vocabulary = vocabulary or parameters()
        self.ordinance = ordinance
        self.sheets: dict[str, Sheet] = {}
        digest = hashlib.sha256((DATA / "parameters.yaml").read_bytes())
        for path in sorted(folder.glob("*.yaml")):
            label = f"goods_ordinance/sheets/{path.name}"
            sheet = validate(Sheet, read_yaml(path, label), label)
            if file_stem(sheet.entry) != path.stem:
                raise PackError(label, "entry", f"{sheet.entry!r} does not match the file name ({path.stem}.yaml)")
            self._check(sheet, label, sources)
            self._same_text(sheet, label)
            self.sheets[sheet.entry] = sheet
            digest.update(path.name.encode() + path.read_bytes())
        self.data_version = f"sheets-{digest.hexdigest()[:16]}"

    def _check(self, sheet: Sheet, label: str, sources: Mapping[str, Any]) -> None:
        for day, value in sheet.values.items():
            if value is None:
                continue
            where = f"values.{day.isoformat()}"
            for i, sid in enumerate(value.sources):
                if sid not in sources:
                    raise PackError(label, f"{where}.sources[{i}]", f"unknown source id {sid!r} (not in sources.yaml)")
            self._clause(label, f"{where}.clause", value.clause, None, day)
            ids = {b.id for b in value.any}
            for i, test in enumerate(value.requires):
                self._test(label, f"{where}.requires[{i}]", test, value.clause, day)
            for i, branch in enumerate(value.any):
                self._clause(label, f"{where}.any[{i}].clause", branch.clause, None, day)
                for j, test in enumerate(branch.all):
                    self._test(label, f"{where}.any[{i}].all[{j}]", test, branch.clause, day)
                if branch.substances:
                    path = f"{where}.any[{i}].substances"
                    self._clause(label, path, branch.clause, branch.substances.words, day)
                    for j, substance in enumerate(branch.substances.list):
                        self._clause(label, f"{path}.list[{j}].clause", substance.clause, None, day)
            for i, exc in enumerate(value.exceptions):
                for j, rid in enumerate(exc.overrides):
                    if rid not in ids:
                        raise PackError(label, f"{where}.exceptions[{i}].overrides[{j}]", f"no branch {rid!r}")
                for j, test in enumerate(exc.all):
                    self._test(label, f"{where}.exceptions[{i}].all[{j}]", test, exc.clause, day)
            for i, item in enumerate(value.text_only or ()):
                self._clause(label, f"{where}.text_only[{i}].clause", item.clause, None, day)
            if value.text_only is not None:
                self._coverage(label, f"{where}.text_only", sheet.entry, value, day)

    def _coverage(self, label: str, path: str, entry: str, value: SheetValue, day: dt.date) -> None:
        """A partial sheet accounts for every clause specifying its entry: encoded, text-only or deleted."""
        when = max(day, self.ordinance.versions[0].in_force)
        branches = {clause_id(b.clause) for b in value.any} | {clause_id(t.clause) for t in value.text_only or ()}
        cited = {clause_id(t.clause) for b in value.any for t in b.all if t.clause}

        def accounted(item: OrdinanceClause) -> bool:
            # a test citing a clause accounts for it only when it has no sub-items (a test of a whole item's subject
            # does not encode the item's alternatives)
            children = list(self.ordinance.children(item))
            return (
                item.id in branches
                or (not children and item.id in cited)
                or item.text == DELETED
                or (bool(children) and all(accounted(c) for c in children))
            )

        encoded = {clause_id(b.clause) for b in value.any} | cited
        for text_only in value.text_only or ():
            inside = sorted(e for e in encoded if _within(e, clause_id(text_only.clause)))
            if inside:
                raise PackError(label, path, f"{text_only.clause} is text only but a branch encodes {inside[0]}")
        top = self.ordinance.clause(value.clause, when)
        others = [c for c in self.ordinance.specifying(entry, when) if c.id != top.id]
        for item in [*self.ordinance.children(top), *others]:
            if not accounted(item):
                raise PackError(label, path, f"{item.label} is neither encoded by a branch, text only, nor deleted")

    def _same_text(self, sheet: Sheet, label: str) -> None:
        """A value stays in force until the next one: every bundled version in between must read the clauses it
        cites (with the clauses under and above them) exactly as the version it was read from."""
        days = sorted(sheet.values)
        for i, day in enumerate(days):
            value = sheet.values[day]
            if value is None:
                continue
            until = days[i + 1] if i + 1 < len(days) else dt.date.max
            base_version = self.ordinance.version_on(day)[0]
            for ref in clauses_read(value):
                base = self.ordinance.reading(ref, base_version)
                for version in self.ordinance.versions:
                    text = self.ordinance.reading(ref, version) if day < version.in_force < until else None
                    if text is None or text == base:
                        continue
                    changed = sorted(k for k in text.keys() | (base or {}).keys() if text.get(k) != (base or {}).get(k))
                    raise PackError(
                        label,
                        f"values.{day.isoformat()}",
                        f"{ref} reads differently in the Goods Ordinance of {version.in_force} ({', '.join(changed)}):"
                        f" the value cannot stay in force past it; add a value from {version.in_force}",
                    )

    def _clause(self, label: str, path: str, ref: str, words: str | None, day: dt.date) -> None:
        try:
            clause = self.ordinance.clause(ref, max(day, self.ordinance.versions[0].in_force))
        except InputError as exc:
            raise PackError(label, path, exc.message) from None
        if words is not None and words not in clause.text:
            raise PackError(label, path, f"the words {words!r} are not in the text of {clause.label}")

    def _test(self, label: str, path: str, test: Test, clause: str, day: dt.date) -> None:
        parameter = self.vocabulary.parameters.get(test.parameter)
        if parameter is None:
            raise PackError(
                label, f"{path}.parameter", f"unknown parameter {test.parameter!r} (not in parameters.yaml)"
            )
        numeric = test.comparison in ("at_least", "over", "below", "at_most")
        if numeric != (parameter.type == "number"):
            raise PackError(label, path, f"{test.comparison} does not fit the {parameter.type} {test.parameter!r}")
        choices: list[str | bool | None] = [*(test.one_of or [])] or (
            [test.equals] if parameter.type == "choice" else []
        )
        for value in choices:
            if not isinstance(value, str) or value not in parameter.values:
                raise PackError(label, path, f"{value!r} is not a value of {test.parameter!r}")
        if parameter.type == "boolean" and not isinstance(test.equals, bool):
            raise PackError(label, f"{path}.equals", "a boolean parameter is compared with true or false")
        self._clause(label, f"{path}.clause", test.clause or clause, test.words, day)


@cache
def parameters() -> Vocabulary:
    """The bundled parameter vocabulary (read once)."""
    return read(DATA / "parameters.yaml", Vocabulary)


def _within(ref: str, clause: str) -> bool:
    """Whether clause id ``ref`` is ``clause`` or a clause under it (``6(1)(xvii)ツ(一)`` is under ``6(1)(xvii)ツ``;
    ``2(1)(i)イロ`` is not under ``2(1)(i)イ``, nor ``…(一)10`` under ``…(一)1``)."""
    if not ref.startswith(clause):
        return False
    rest = ref[len(clause) :]
    return not rest or rest[0] == "(" or (rest[0].isdigit() and clause.endswith(")"))
