"""Named predicates: the only building blocks of conditions in regulation packs.

A condition in YAML is a mapping with one key, the predicate's name, e.g.
``{destination_in_list: appended_table_3}`` or ``{all: [{item_in_rows: ["5"]}, {informed: true}]}``.
Conditions are parsed and checked at load time (:func:`parse_condition`), bound to the law in force on a
date (:func:`bind`) and then evaluated against a shipment's :class:`~clearance.law.facts.Facts`.
Evaluation is three-valued: a predicate whose fact was not given answers :class:`Unknown`, naming the
missing input fields; ``all``/``any``/``not`` follow Kleene's logic, so an unknown that cannot change the outcome
does not matter and one that can is reported (with every field it turns on) instead of guessed.
There are no expression strings and no ``eval``: each predicate is a small documented function here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from clearance.errors import NoRuleError
from clearance.law.codes import code_within, hs_digits, normalise_code
from clearance.law.facts import Facts


@dataclass(frozen=True, slots=True)
class Unknown:
    """The value of a condition that cannot be decided from the facts given: the input fields it needs.

    It has no truth value (``bool(Unknown(...))`` raises), so it can never be mistaken for ``False``."""

    missing: frozenset[str]

    def __bool__(self) -> bool:
        raise TypeError(f"an undecided condition (missing {', '.join(sorted(self.missing))}) has no truth value")

    @staticmethod
    def of(*fields: str) -> Unknown:
        """The unknown that needs exactly these fields (shared instances for the common cases)."""
        return _unknown(frozenset(fields))


@functools.cache
def _unknown(fields: frozenset[str]) -> Unknown:
    return Unknown(fields)


#: A three-valued truth: ``True``, ``False`` or :class:`Unknown` (naming the facts it needs).
Truth = bool | Unknown

#: A bound condition: a pure function of the facts to a :data:`Truth`.
Check = Callable[[Facts], Truth]


class Binder(Protocol):
    """What a predicate may read from the law in force when it is bound."""

    def list_members(self, list_id: str) -> frozenset[str] | None:
        """Members of a country list on the bound date, or ``None`` if the list has no value then."""
        ...


@dataclass(frozen=True, slots=True)
class Cond:
    """A parsed condition: a predicate name, its normalised argument and (for combinators) children."""

    name: str
    arg: Any = None
    children: tuple[Cond, ...] = ()

    def walk(self) -> Iterator[Cond]:
        """This condition and every condition inside it."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class PredicateSpec:
    """A registered predicate: its documentation, argument, what ids it refers to, parser and binder."""

    name: str
    doc: str
    argument: str
    refers_to: str | None
    parse: Callable[[Any], Any]
    bind: Callable[[Any, Binder], Check]


PREDICATES: dict[str, PredicateSpec] = {}
COMBINATORS = {"all", "any", "not"}


def _register(
    name: str, argument: str, parse: Callable[[Any], Any], refers_to: str | None = None
) -> Callable[[Callable[[Any, Binder], Check]], Callable[[Any, Binder], Check]]:
    def decorate(bind: Callable[[Any, Binder], Check]) -> Callable[[Any, Binder], Check]:
        PREDICATES[name] = PredicateSpec(name, (bind.__doc__ or "").strip(), argument, refers_to, parse, bind)
        return bind

    return decorate


def _text_list(raw: Any) -> frozenset[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str | int) for x in raw):
        raise ValueError("expected a non-empty list of names")
    return frozenset(str(x) for x in raw)


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("expected a name")
    return raw


def _bool(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("expected true or false")
    return raw


def _codes(raw: Any) -> tuple[str, ...]:
    return tuple(sorted(normalise_code(c) for c in _text_list(raw)))


def _amount(raw: Any) -> tuple[Decimal, str]:
    if not isinstance(raw, dict) or set(raw) != {"amount", "currency"}:
        raise ValueError("expected {amount: NUMBER, currency: CODE}")
    try:
        amount = Decimal(str(raw["amount"]))
    except InvalidOperation as exc:
        raise ValueError(f"amount {raw['amount']!r} is not a number") from exc
    return amount, str(raw["currency"])


@_register("destination_is", "list of ISO country codes", _text_list)
def _destination_is(arg: frozenset[str], _: Binder) -> Check:
    """The destination is one of the listed countries."""
    return lambda f: f.destination in arg


@_register("destination_in_list", "id of a country list", _text, refers_to="country_lists")
def _destination_in_list(arg: str, binder: Binder) -> Check:
    """The destination is a member of the country list on the date asked about."""
    members = binder.list_members(arg)
    if members is None:

        def no_value(f: Facts) -> bool:
            raise NoRuleError(f"country list {arg!r} has no value on the date asked about")

        return no_value
    return lambda f: f.destination in members


@_register("destination_in_group", "list of destination-group ids", _text_list, refers_to="destination_groups")
def _destination_in_group(arg: frozenset[str], _: Binder) -> Check:
    """The destination falls in one of the destination groups."""
    return lambda f: f.group in arg


@_register("item_in_rows", "list of control-list row ids", _text_list, refers_to="rows")
def _item_in_rows(arg: frozenset[str], _: Binder) -> Check:
    """The item is classified in one of the control-list rows (a catch-all row counts). Unknown when the item
    could only be placed among candidate rows (no HS code, or one that does not show the row) and some
    candidate is one of these."""

    def check(f: Facts) -> Truth:
        if f.row is None and f.row_candidates & arg:
            return Unknown.of(f.row_needs)
        return f.row in arg

    return check


@_register("item_in_entries", "list of control-list entry ids", _text_list, refers_to="entries")
def _item_in_entries(arg: frozenset[str], _: Binder) -> Check:
    """The item is classified under one of the explicit control-list entries."""
    return lambda f: f.entry in arg


@_register("item_code_in", "list of Wassenaar-style codes", _codes)
def _item_code_in(arg: tuple[str, ...], _: Binder) -> Check:
    """The item's control code is one of the codes or falls under one (``3C002.a.2`` is under ``3C002``)."""
    return lambda f: f.code is not None and any(code_within(f.code, c) for c in arg)


@_register("item_cas_in", "list of CAS registry numbers", _text_list)
def _item_cas_in(arg: frozenset[str], _: Binder) -> Check:
    """The item is one of the chemicals named by CAS number (unknown if ``item.cas`` is not given)."""

    def check(f: Facts) -> Truth:
        if f.cas is None:
            return Unknown.of("item.cas")
        return f.cas in arg

    return check


def _headings(raw: Any) -> tuple[str, ...]:
    headings = tuple(sorted(hs_digits(h) for h in _text_list(raw)))
    if not all(re.fullmatch(r"\d{4}(?:\d{2})?", h) for h in headings):
        raise ValueError("expected HS headings like 84.58 or 8542.90")
    return headings


@_register("item_hs_in", "list of HS headings or subheadings (84.58, 8542.90)", _headings)
def _item_hs_in(arg: tuple[str, ...], _: Binder) -> Check:
    """The item's HS code falls under one of the headings (unknown without an HS code, or with one too short
    to tell)."""

    def check(f: Facts) -> Truth:
        if f.hs_code is None:
            return Unknown.of("item.hs_code")
        digits = hs_digits(f.hs_code)
        if any(digits.startswith(h) for h in arg):
            return True
        return Unknown.of("item.hs_code (to six digits)") if any(h.startswith(digits) for h in arg) else False

    return check


@_register("item_kind_is", "goods or technology", _text)
def _item_kind_is(arg: str, _: Binder) -> Check:
    """The export is goods, or technology (a transfer of technology is controlled in parallel)."""
    return lambda f: f.kind == arg


@_register("end_use_in", "list of end uses (civil, wmd, conventional_weapons)", _text_list)
def _end_use_in(arg: frozenset[str], _: Binder) -> Check:
    """The stated end use is one of these (an ``unknown`` end use makes this unknown too)."""

    def check(f: Facts) -> Truth:
        if f.end_use == "unknown":
            return Unknown.of("end_use")
        return f.end_use in arg

    return check


@_register("informed", "true or false", _bool)
def _informed(arg: bool, _: Binder) -> Check:
    """The authority has informed the exporter that a licence is needed (informed requirement)."""
    return lambda f: f.informed is arg


@_register("value_at_most", "{amount, currency}", _amount)
def _value_at_most(arg: tuple[Decimal, str], _: Binder) -> Check:
    """The contract value is at most the amount, in that currency (no value or another currency: unknown)."""
    limit, currency = arg

    def check(f: Facts) -> Truth:
        if f.value is None:
            return Unknown.of("item.value")
        if f.currency != currency:
            return Unknown.of(f"item.value in {currency}")
        return f.value <= limit

    return check


@_register("exporter_has", "mapping of exporter attribute to accepted values", lambda raw: _exporter_arg(raw))
def _exporter_has(arg: tuple[tuple[str, frozenset[str]], ...], _: Binder) -> Check:
    """The exporter has each attribute with one of the accepted values (an absent attribute: unknown)."""

    def check(f: Facts) -> Truth:
        given = {key: str(f.exporter[key]).lower() for key, _ in arg if f.exporter.get(key) is not None}
        if any(given[key] not in accepted for key, accepted in arg if key in given):
            return False
        missing = [f"exporter.{key}" for key, _ in arg if key not in given]
        return Unknown.of(*missing) if missing else True

    return check


@_register("exporter_at_least", "mapping of numeric exporter attribute to its minimum", lambda raw: _minimum_arg(raw))
def _exporter_at_least(arg: tuple[tuple[str, Decimal], ...], _: Binder) -> Check:
    """Each numeric exporter attribute is at least its minimum (an absent attribute: unknown)."""

    def check(f: Facts) -> Truth:
        missing: list[str] = []
        for key, minimum in arg:
            value = f.exporter.get(key)
            if value is None:
                missing.append(f"exporter.{key}")
                continue
            try:
                if Decimal(str(value)) < minimum:
                    return False
            except InvalidOperation:
                return False
        return Unknown.of(*missing) if missing else True

    return check


def _minimum_arg(raw: Any) -> tuple[tuple[str, Decimal], ...]:
    if not isinstance(raw, dict) or not raw:
        raise ValueError("expected a mapping of exporter attributes to minimum numbers")
    try:
        return tuple(sorted((str(k), Decimal(str(v))) for k, v in raw.items()))
    except InvalidOperation as exc:
        raise ValueError(f"minimums must be numbers, got {raw!r}") from exc


@_register("end_user_on_list", "id of a restricted-party list (e.g. jp-meti-eul)", _text, refers_to="party_lists")
def _end_user_on_list(arg: str, _: Binder) -> Check:
    """The end user matches an entry of the restricted-party list (unknown if no end user was named or the
    end user could not be screened)."""

    def check(f: Facts) -> Truth:
        if f.end_user is None:
            return Unknown.of("end_user")
        if f.end_user_hits is None or arg not in f.end_user_hits:
            return Unknown.of(f"end_user screening against {arg}")
        return bool(f.end_user_hits[arg])

    return check


@_register("text_not_held", "what the rule turns on that the pack does not hold", _text)
def _text_not_held(arg: str, _: Binder) -> Check:
    """Always undecided: the rule turns on a text or notice the pack does not hold (named by the argument), so
    the answer names it as an open question instead of guessing either way."""
    unknown = Unknown.of(arg)
    return lambda f: unknown


@_register("red_flag_reported", "true or false", _bool)
def _red_flag_reported(arg: bool, _: Binder) -> Check:
    """The exporter reports at least one red flag about the transaction (``red_flags`` in the shipment)."""
    return lambda f: bool(f.red_flags) is arg


def _exporter_arg(raw: Any) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(raw, dict) or not raw:
        raise ValueError("expected a mapping of exporter attributes to accepted values")
    return tuple(sorted((str(k), frozenset(str(v).lower() for v in _text_list(raw[k]))) for k in raw))


def parse_condition(raw: Any, where: str = "when") -> Cond:
    """Parse a YAML condition, raising ``ValueError('<path>: <problem>')`` for the first problem found."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ValueError(f"{where}: a condition is a mapping with exactly one predicate name")
    ((name, arg),) = raw.items()
    path = f"{where}.{name}"
    if name in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            raise ValueError(f"{path}: expected a non-empty list of conditions")
        return Cond(name, None, tuple(parse_condition(c, f"{path}[{i}]") for i, c in enumerate(arg)))
    if name == "not":
        return Cond(name, None, (parse_condition(arg, path),))
    spec = PREDICATES.get(name)
    if spec is None:
        known = ", ".join(sorted({*PREDICATES, *COMBINATORS}))
        raise ValueError(f"{where}: unknown predicate {name!r} (known: {known})")
    try:
        return Cond(name, spec.parse(arg))
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def references(cond: Cond, kind: str) -> set[str]:
    """The ids of one kind (``country_lists``, ``destination_groups``, ``rows``, ``entries``) a condition names."""
    found: set[str] = set()
    for node in cond.walk():
        spec = PREDICATES.get(node.name)
        if spec is not None and spec.refers_to == kind:
            found |= {node.arg} if isinstance(node.arg, str) else set(node.arg)
    return found


def bind(cond: Cond, binder: Binder) -> Check:
    """Turn a parsed condition into a check over facts, with the law in force on the binder's date."""
    if cond.name in ("all", "any"):
        checks = tuple(bind(c, binder) for c in cond.children)
        return _conjunction(checks) if cond.name == "all" else _disjunction(checks)
    if cond.name == "not":
        inner = bind(cond.children[0], binder)
        return lambda f: _negate(inner(f))
    return PREDICATES[cond.name].bind(cond.arg, binder)


def _negate(value: Truth) -> Truth:
    return value if isinstance(value, Unknown) else not value


def _merge(unknowns: list[Unknown]) -> Unknown:
    """One unknown naming every field of several."""
    return unknowns[0] if len(unknowns) == 1 else _unknown(frozenset().union(*(u.missing for u in unknowns)))


def _conjunction(checks: tuple[Check, ...]) -> Check:
    """Kleene ``and``: false if any is false, else unknown (naming what each unknown needs) if any is unknown,
    else true (short-circuits on false)."""
    if len(checks) == 1:
        return checks[0]

    def every(f: Facts) -> Truth:
        unknowns: list[Unknown] = []
        for check in checks:
            value = check(f)
            if value is False:
                return False
            if value is not True:
                unknowns.append(value)
        return _merge(unknowns) if unknowns else True

    return every


def _disjunction(checks: tuple[Check, ...]) -> Check:
    """Kleene ``or``: true if any is true, else unknown (naming what each unknown needs) if any is unknown,
    else false (short-circuits on true)."""
    if len(checks) == 1:
        return checks[0]

    def some(f: Facts) -> Truth:
        unknowns: list[Unknown] = []
        for check in checks:
            value = check(f)
            if value is True:
                return True
            if value is not False:
                unknowns.append(value)
        return _merge(unknowns) if unknowns else False

    return some


def describe(cond: Cond) -> str:
    """A short human-readable rendering of a condition, for traces and docs."""
    if cond.name in ("all", "any"):
        joiner = " and " if cond.name == "all" else " or "
        return "(" + joiner.join(describe(c) for c in cond.children) + ")"
    if cond.name == "not":
        return f"not {describe(cond.children[0])}"
    arg = cond.arg
    if isinstance(arg, frozenset | tuple) and all(isinstance(a, str) for a in arg):
        arg = "[" + ", ".join(sorted(arg)) + "]"
    elif isinstance(arg, tuple) and len(arg) == 2 and isinstance(arg[0], Decimal):
        arg = f"{arg[0]:,} {arg[1]}"
    return f"{cond.name}: {arg}"
