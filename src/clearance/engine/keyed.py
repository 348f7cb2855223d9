"""Batches answered by distinct keys: each line reduced to the facts the law reads, each key answered once.

Within one snapshot of the law (an epoch, not a date) an answer depends on the destination's group and the
pack's country sets it is in (not the destination), the item's codes, kind and currency, the band of its value
among the amounts the pack's conditions compare values with (not the value), the end use, informed, the
exporter's facts, red flags, the product, and the end user's screening result (not the name). :class:`Keyed`
answers each distinct key once per batch and fills in the line's own facts (its reference, date, destination,
value and end user's name): the answer is :func:`~clearance.engine.determine.determine`'s for the line, and its
record is byte for byte :func:`~clearance.engine.encode.line_json`'s (the record of a key is serialised once,
as a template with slots for the line's own facts).

    keyed = Keyed(regulations, screener)
    for number, shipment in enumerate(shipments, start=1):
        out.write(keyed.record(number, shipment) + b"\\n")  # or keyed.determination(shipment)

Screening results are kept per party (name, country and lists screened against) within the batch; answers,
templates and parties are bounded (:data:`KEY_LIMIT`, :data:`PARTY_LIMIT`), so memory stays flat on any batch.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import orjson

from clearance.engine.determine import Case, Hit, Screener, case_of, decide, destination_phrase, lists_screened
from clearance.engine.encode import line_json
from clearance.engine.result import Determination, Step
from clearance.engine.shipment import Shipment
from clearance.law.regulations import Regulations, Snapshot

#: Distinct keys whose answers a batch keeps before starting afresh: an answer and its record template take about
#: 10-20 kB, so this bounds them to a few hundred MB (a realistic 200,000-line batch has about 15,000 keys).
KEY_LIMIT = 20_000
#: Distinct parties whose screening results a batch keeps before starting afresh.
PARTY_LIMIT = 100_000

#: The facts of a line filled into its key's answer, each a JSON slot in the key's record template.
_SLOTS = ("ref", "date", "destination", "where", "value", "end_user")
_MARK = "\ue000"  # a private-use character around a slot's name: never in an answer's own text
_SLOT = re.compile(rb'"\xee\x80\x80(' + b"|".join(s.encode() for s in _SLOTS) + rb')\xee\x80\x80"')


class _Parties:
    """A screener whose results are kept per party (name, country, lists) within a batch, with a key that
    stands for the result (two parties with the same hits have the same key)."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener
        self.found: dict[tuple[str, str | None, frozenset[str]], tuple[Sequence[Hit], bytes]] = {}

    def covers(self, list_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``list_ids`` the screener holds."""
        return self.screener.covers(list_ids)

    def screened(self, name: str, country: str | None, list_ids: frozenset[str]) -> tuple[Sequence[Hit], bytes]:
        """The hits of a party and the key of that result."""
        party = (name, country, list_ids)
        found = self.found.get(party)
        if found is None:
            if len(self.found) >= PARTY_LIMIT:
                self.found.clear()
            hits = self.screener(name, country, list_ids)
            result = orjson.dumps([sorted(list_ids), [h.to_dict() for h in hits]], default=str)
            found = self.found[party] = (hits, result)
        return found

    def __call__(self, name: str, country: str | None, list_ids: frozenset[str]) -> Sequence[Hit]:
        return self.screened(name, country, list_ids)[0]


@dataclass(slots=True)
class _Answer:
    """A key's answer, as determined for the first line with that key (whose value and end user's name it
    shows), and its record template once a record was asked for."""

    determination: Determination
    own: Own
    template: tuple[tuple[bytes, ...], tuple[str, ...]] | None = None

    def where(self, destination: str) -> str:
        """The outcome of the destination-group step for ``destination`` (``CN (China) is in ...``)."""
        step = next(s for s in self.determination.steps if s.rule.startswith("destination_groups."))
        return destination_phrase(destination) + step.outcome.removeprefix(destination_phrase(self.own.destination))


@dataclass(frozen=True, slots=True)
class Own:
    """A line's own facts, which its key leaves out and its answer shows."""

    destination: str
    value: str | None
    end_user: str | None

    @staticmethod
    def of(shipment: Shipment) -> Own:
        """The own facts of ``shipment`` (its reference and date are the answer's own fields)."""
        value = shipment.item.value
        party = shipment.end_user
        return Own(shipment.destination, str(value) if value is not None else None, party.name if party else None)

    def facts(self) -> dict[str, Any]:
        """The own facts by slot name."""
        return {"destination": self.destination, "value": self.value, "end_user": self.end_user}


def _with_own(steps: tuple[Step, ...], own: Mapping[str, Any], where: Any) -> tuple[Step, ...]:
    """The steps with the facts a line's own (destination, value, end user) replaced, and the destination-group
    step's outcome by ``where`` (the other steps shared)."""
    out = []
    for step in steps:
        read = [name for name in _READ if name in step.facts]
        if read:
            facts = dict(step.facts)
            for name in read:
                facts[name] = own[_READ[name]]
            step = replace(step, facts=facts)
        if step.rule.startswith("destination_groups."):
            step = replace(step, outcome=where)
        out.append(step)
    return tuple(out)


#: The facts a step reads that are a line's own -> the own fact.
_READ = {"destination": "destination", "item.value": "value", "end_user": "end_user"}


def _template(determination: Determination) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    """A determination's record cut at the slots for a line's own facts (the text after ``"position":N,``)."""
    slot: dict[str, Any] = {name: f"{_MARK}{name}{_MARK}" for name in _SLOTS}
    steps = _with_own(determination.steps, slot, slot["where"])
    slotted = replace(determination, steps=steps, ref=slot["ref"], date=slot["date"], destination=slot["destination"])
    record = line_json(0, slotted)
    head = b'{"position":0,'
    assert record.startswith(head)
    pieces = _SLOT.split(record[len(head) :])
    return tuple(pieces[0::2]), tuple(p.decode() for p in pieces[1::2])


def _thresholds(regs: Regulations) -> dict[str | None, tuple[Decimal, ...]]:
    """The amounts value conditions of the pack compare a value with (on any date), by currency, sorted."""
    found: dict[str | None, set[Decimal]] = {}
    for cond in regs.conditions():
        for node in cond.walk():
            if node.name == "value_at_most":
                amount, currency = node.arg
                found.setdefault(currency, set()).add(amount)
    return {currency: tuple(sorted(amounts)) for currency, amounts in found.items()}


def facts_key(shipment: Shipment, code: str | None) -> tuple[Hashable, ...]:
    """The facts of a shipment the law reads as they are, with its item's control code as the pack reads it
    (not its date, reference, destination, value or end user)."""
    item = shipment.item
    return (
        code,
        item.cas,
        item.hs_code,
        item.kind,
        item.currency,
        shipment.end_use,
        shipment.informed,
        tuple(sorted(shipment.exporter.items())),
        tuple(shipment.red_flags),
        item.product,
        tuple(sorted((item.classified or {}).items())),
    )


def _destination_sets(snap: Snapshot) -> tuple[frozenset[str], ...]:
    """The country sets the pack's conditions test a destination against in a snapshot (sorted, so that a
    destination's memberships have one order)."""
    found: set[frozenset[str]] = set()
    for cond in snap.regs.conditions():
        for node in cond.walk():
            if node.name == "destination_is":
                found.add(node.arg)
            elif node.name == "destination_in_list":
                found.add(snap.list_members(node.arg) or frozenset())
    return tuple(sorted(found, key=sorted))


class Keyed:
    """Answers a batch's lines by distinct keys (see the module's docstring); one per batch or partition."""

    def __init__(self, regulations: Mapping[str, Regulations] | Regulations, screener: Screener | None = None) -> None:
        self.regulations = regulations
        self.parties = _Parties(screener) if screener is not None else None
        self.answers: dict[Hashable, _Answer] = {}
        self._bands: dict[str, dict[str | None, tuple[Decimal, ...]]] = {}
        self._places: dict[tuple[Snapshot, str], Hashable] = {}

    def key(self, shipment: Shipment) -> tuple[Case, Hashable]:
        """The line's case (the law in force on its date; :class:`InputError` if it cannot be answered) and its
        key: the facts the law reads, with the epoch for the date, the band for the value and the screening
        result for the end user."""
        case = case_of(shipment, self.regulations)
        item = shipment.item
        return case, (
            case.snap,
            self._place(case.snap, case.dest),
            *facts_key(shipment, case.code),
            self._band(case.regs, item.value, item.currency),
            shipment.end_user is not None,
            self._screening(case, shipment),
        )

    def _place(self, snap: Snapshot, destination: str) -> Hashable:
        """What the law reads of a destination: its group and its membership of each country set."""
        found = self._places.get((snap, destination))
        if found is None:
            sets = snap.memo.get("destination sets")
            if sets is None:
                sets = snap.memo["destination sets"] = _destination_sets(snap)
            found = (snap.group_of(destination), tuple(destination in s for s in sets))
            self._places[(snap, destination)] = found
        return found

    def _band(self, regs: Regulations, value: Decimal | None, currency: str | None) -> int | None:
        """Where the value falls among the amounts conditions compare it with (``None`` without a value)."""
        if value is None:
            return None
        bands = self._bands.get(regs.id)
        if bands is None:
            bands = self._bands[regs.id] = _thresholds(regs)
        return bisect_left(bands.get(currency, ()), value)

    def _screening(self, case: Case, shipment: Shipment) -> bytes | None:
        """The key of the end user's screening result (``None`` when it is not screened)."""
        screened = lists_screened(case.snap, shipment, self.parties)
        if not screened or shipment.end_user is None or self.parties is None:
            return None
        return self.parties.screened(shipment.end_user.name, shipment.end_user.country, screened)[1]

    def _answer(self, shipment: Shipment) -> _Answer:
        case, key = self.key(shipment)
        found = self.answers.get(key)
        if found is None:
            if len(self.answers) >= KEY_LIMIT:
                self.answers.clear()
            determination = decide(shipment, case, self.parties)
            found = self.answers[key] = _Answer(determination, Own.of(shipment))
        return found

    def determination(self, shipment: Shipment) -> Determination:
        """The answer for ``shipment``: its key's, with the line's own facts filled in."""
        answer = self._answer(shipment)
        found, own = answer.determination, Own.of(shipment)
        if own != answer.own:
            steps = _with_own(found.steps, own.facts(), answer.where(own.destination))
            return replace(found, steps=steps, destination=own.destination, date=shipment.date, ref=shipment.ref)
        if found.date != shipment.date or found.ref != shipment.ref:
            return replace(found, date=shipment.date, ref=shipment.ref)
        return found

    def record(self, number: int, shipment: Shipment) -> bytes:
        """The batch record of input line ``number`` (the bytes :func:`~clearance.engine.encode.line_json`
        gives for its answer), written from its key's template."""
        answer = self._answer(shipment)
        if answer.template is None:
            answer.template = _template(answer.determination)
        parts, slots = answer.template
        line = Own.of(shipment)
        own = {"ref": shipment.ref, "date": shipment.date, **line.facts()}
        if "where" in slots:
            own["where"] = answer.where(line.destination)
        out = [b'{"position":%d,' % number, parts[0]]
        for slot, part in zip(slots, parts[1:], strict=True):
            out += (orjson.dumps(own[slot]), part)
        return b"".join(out)
