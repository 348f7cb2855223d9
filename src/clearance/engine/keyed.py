"""Batches answered by distinct keys: each line reduced to the facts the law reads, each key answered once.

Within one snapshot of the law (an epoch, not a date) an answer depends on the destination's group and the
pack's country sets it is in (not the destination), the item's codes, kind and currency, the band of its value
among the amounts the pack's conditions compare values with (not the value), the end use, informed, the
exporter's facts, red flags, the product, and the end user's screening result (not the name). :class:`Keyed`
answers each distinct key once per batch and fills in the line's own facts (its reference, date, destination,
value and end user's name): the answer is :func:`~clearance.engine.determine.determine`'s for the line, and its
record is byte for byte :func:`~clearance.engine.encode.line_json`'s (a key's first line gets the answer's own
record; from its second line on, the key's record is serialised once as a template with slots for the line's own
facts: most keys of a batch have one line, and a template costs more than a record).

    keyed = Keyed(regulations, screener)
    for number, shipment in enumerate(shipments, start=1):
        out.write(keyed.record(number, shipment) + b"\\n")  # or keyed.determination(shipment)

A batch of JSON lines goes through :meth:`Keyed.line_record`: a line whose shape (everything but its own facts,
:mod:`clearance.engine.lines`) was read before is answered without the shipment model, its own facts read by the
model's validators; the record is the same bytes.

A batch given as columns (a pyarrow Table) goes through :mod:`clearance.engine.columns`, which works out the same
keys vectorised and shares these answers.

Screening results are kept per party (name, country and lists screened against) within the batch; answers,
templates and parties are bounded (:data:`KEY_LIMIT`, :data:`PARTY_LIMIT`), so memory stays flat on any batch.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from sys import intern
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from clearance.cellvalues import parse_date, parse_number
from clearance.engine.determine import Case, Hit, Screener, case_of, decide, destination_phrase, lists_screened
from clearance.engine.encode import kept, line_json, record_json, shared_record
from clearance.engine.lines import Cut, cut
from clearance.engine.result import Determination, Step
from clearance.engine.shipment import Shipment
from clearance.errors import ClearanceError
from clearance.law.countries import check_country
from clearance.law.regulations import Regulations, Snapshot

if TYPE_CHECKING:
    from clearance.engine.kept import KeptAnswers

#: Distinct keys whose answers a batch keeps: a batch of records keeps a key's record template only (about 1 kB
#: once the pieces keys share are kept once), or, for a key met on one line so far, its answer (about 4.5 kB), so
#: this bounds them to 20-90 MB (a realistic 200,000-line batch has about 15,000 keys, 100,000 lines 12,412 of
#: which 5,456 on one line: 24 MB more peak memory than templates alone). When they are that many, the keys used
#: least since the last time are let go (those used more are kept: a long batch meets most keys again).
KEY_LIMIT = 20_000
#: Distinct parties whose screening results a batch keeps before starting afresh.
PARTY_LIMIT = 100_000

#: The facts of a line filled into its key's answer, each a JSON slot in the key's record template (by number).
SLOTS = ("ref", "date", "destination", "where", "value", "end_user")
_MARK = "\ue000"  # a private-use character around a slot's name: never in an answer's own text
_MARKED = _MARK.encode()
#: Each slot's marked name, where the template's record has the line's fact.
_SLOTTED = {name: f"{_MARK}{name}{_MARK}" for name in SLOTS}
_SLOT = re.compile(rb'"\xee\x80\x80(' + b"|".join(s.encode() for s in SLOTS) + rb')\xee\x80\x80"')
#: Where a template's text is cut besides its slots (before each), so that keys share what their records have in
#: common in other combinations (the steps between two steps' citations, the warnings): a cut loses nothing, the
#: pieces are joined.
_SEAMS = (b'],"citations":[', b'"warnings":')
#: Where each slot is among a template's pieces, with the slot's number in :data:`SLOTS`.
_Slots = tuple[tuple[int, int], ...]
#: A key's record template: its pieces (an empty one where a line's fact goes, the first for the position) and
#: its :data:`_Slots`.
Template = tuple[tuple[bytes, ...], _Slots]


class _Parties:
    """A screener whose results are kept per party (name, country, lists) within a batch, with a key that
    stands for the result (two parties with the same hits have the same key)."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener
        self.found: dict[tuple[str, str | None, frozenset[str]], tuple[Sequence[Hit], bytes]] = {}
        self.covered: dict[frozenset[str], frozenset[str]] = {}

    def covers(self, list_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``list_ids`` the screener holds (asked once per set of lists: a screener is pure)."""
        found = self.covered.get(list_ids)
        if found is None:
            found = self.covered[list_ids] = self.screener.covers(list_ids)
        return found

    def screened(self, name: str, country: str | None, list_ids: frozenset[str]) -> tuple[Sequence[Hit], bytes]:
        """The hits of a party and the key of that result."""
        party = (name, country, list_ids)
        found = self.found.get(party)
        if found is None:
            if len(self.found) >= PARTY_LIMIT:
                self.found.clear()
            hits = self.screener(name, country, list_ids)
            result = kept(orjson.dumps([sorted(list_ids), [h.to_dict() for h in hits]], default=str))
            found = self.found[party] = (hits, result)
        return found

    def __call__(self, name: str, country: str | None, list_ids: frozenset[str]) -> Sequence[Hit]:
        return self.screened(name, country, list_ids)[0]


@dataclass(slots=True)
class KeyAnswer:
    """A key's answer, as determined for the first line with that key (whose value and end user's name it
    shows), where the line's own facts show in its steps, and its record template once a record was asked for a
    second line (the answer, its own facts and plan are then let go: a batch of records keeps the templates, and
    the answers of keys met on one line)."""

    determination: Determination | None
    own: Own | None
    plan: Plan | None
    #: The destination-group step's outcome after the destination's phrase (`` is in ...``), if there is one.
    group: str | None
    #: The answer's ``licence_required``, ``basis`` and ``licence_options`` (kept when the answer is let go).
    columns: tuple[bool | None, tuple[str, ...], tuple[str, ...]]
    #: The answer's ``destination_group`` (kept when the answer is let go).
    destination_group: str | None
    template: Template | None = None
    #: Lines answered since the keys were last thinned (:meth:`Keyed._thin`).
    uses: int = 0

    @staticmethod
    def of(determination: Determination, own: Own) -> KeyAnswer:
        """The answer of a key, decided for a line with the own facts ``own``."""
        steps = determination.steps
        step = next((s for s in steps if s.rule.startswith("destination_groups.")), None)
        group = None if step is None else intern(step.outcome.removeprefix(destination_phrase(own.destination)))
        columns = (determination.licence_required, determination.basis, determination.licence_options)
        return KeyAnswer(determination, own, _plan(steps), group, columns, determination.destination_group)


class LineAnswer(NamedTuple):
    """A line's batch record, its reference and its key's answer (whose :attr:`~KeyAnswer.columns` and
    :attr:`~KeyAnswer.destination_group` the record holds)."""

    record: bytes
    ref: str | None
    answer: KeyAnswer


def _where(destination: str, group: str) -> str:
    """The outcome of the destination-group step for ``destination`` (``CN (China) is in ...``)."""
    return destination_phrase(destination) + group


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


#: Where a line's own facts show in an answer's steps: each such step's position, the own facts it reads and
#: whether it is the destination-group step.
Plan = tuple[tuple[int, tuple[str, ...], bool], ...]


def _plan(steps: tuple[Step, ...]) -> Plan:
    """The :data:`Plan` of ``steps``."""
    plan = []
    for number, step in enumerate(steps):
        read = tuple(name for name in _READ if name in step.facts)
        group = step.rule.startswith("destination_groups.")
        if read or group:
            plan.append((number, read, group))
    return tuple(plan)


def _with_own(steps: tuple[Step, ...], plan: Plan, own: Mapping[str, Any], where: Any) -> tuple[Step, ...]:
    """The steps with the facts a line's own (destination, value, end user) replaced, and the destination-group
    step's outcome by ``where``, where ``plan`` says they show (the other steps shared)."""
    out = list(steps)
    for number, changes in _own_changes(plan, lambda number: out[number].facts, own, where):
        out[number] = replace(out[number], **changes)
    return tuple(out)


def _own_changes(
    plan: Plan, facts_of: Callable[[int], Mapping[str, Any]], own: Mapping[str, Any], where: Any
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each planned step's number and the changes that show a line's ``own`` facts and ``where`` in it (``facts_of``
    gives a step's facts by its number)."""
    for number, read, group in plan:
        changes: dict[str, Any] = {"outcome": where} if group else {}
        if read:
            changes["facts"] = {**facts_of(number), **{name: own[_READ[name]] for name in read}}
        yield number, changes


#: The facts a step reads that are a line's own -> the own fact.
_READ = {"destination": "destination", "item.value": "value", "end_user": "end_user"}


def _template(answer: KeyAnswer, pieces: dict[bytes, bytes], places: dict[_Slots, _Slots]) -> Template:
    """An answer's record cut at the slots for a line's own facts and at the seams (:data:`_SEAMS`), each piece the
    one kept in ``pieces`` and the slots' places the ones kept in ``places`` when another key's template has them
    (most do: keys share their steps)."""
    determination = answer.determination
    assert determination is not None and answer.plan is not None
    slotted = shared_record(0, determination)  # the own facts' slots set in its steps' dicts (no copies)
    slotted.update(ref=_SLOTTED["ref"], date=_SLOTTED["date"], destination=_SLOTTED["destination"])
    steps = slotted["steps"]
    for number, changes in _own_changes(
        answer.plan, lambda number: steps[number]["facts"], _SLOTTED, _SLOTTED["where"]
    ):
        steps[number].update(changes)
    record = record_json(slotted)
    head = b'{"position":0,'
    assert record.startswith(head)
    cut, slots = [b""], []
    for text in _at_seams(record[len(head) :]):
        if _MARKED not in text:  # most stretches between seams hold no slot
            cut.append(pieces.setdefault(text, text))
            continue
        for number, part in enumerate(_SLOT.split(text)):
            if number % 2:
                slots.append((len(cut), SLOTS.index(part.decode())))
                cut.append(b"")
            else:
                cut.append(pieces.setdefault(part, part))
    return tuple(cut), places.setdefault(tuple(slots), tuple(slots))


def _at_seams(text: bytes) -> list[bytes]:
    """``text`` cut before each of :data:`_SEAMS` (by plain search: a regular expression with a look-ahead tried
    at every byte took 0.3 ms a record)."""
    out, start = [], 0
    for at in sorted(at for seam in _SEAMS for at in _places(text, seam)):
        out.append(text[start:at])
        start = at
    out.append(text[start:])
    return out


def _places(text: bytes, seam: bytes) -> Iterator[int]:
    """Where ``seam`` is in ``text``."""
    at = text.find(seam)
    while at >= 0:
        yield at
        at = text.find(seam, at + len(seam))


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


def _place(snap: Snapshot, destination: str) -> Hashable:
    """What the law reads of a destination: its group and its membership of each country set."""
    sets = snap.memo.get("destination sets")
    if sets is None:
        sets = snap.memo["destination sets"] = _destination_sets(snap)
    return (snap.group_of(destination), tuple(destination in s for s in sets))


@dataclass(slots=True)
class Shape:
    """What the lines of one shape share, from one of them read by the model: the shipment, the facts
    ``case_of`` checks besides the destination, and the facts of the key by the control code as the pack reads
    it."""

    shipment: Shipment
    checked: tuple[Hashable, ...]
    facts: dict[str | None, tuple[Hashable, ...]] = field(default_factory=dict)


def _own_shipment(
    shipment: Shipment,
    ref: str | None,
    day: date,
    destination: str,
    value: Decimal | None,
    party: tuple[str, str | None] | None,
) -> Shipment:
    """A shipment of ``shipment``'s shape with a line's own facts, each as the model's validators read it."""
    update: dict[str, Any] = {
        "ref": ref,
        "date": day,
        "destination": destination,
        "item": shipment.item.model_copy(update={"value": value}),
    }
    if party is not None and shipment.end_user is not None:
        update["end_user"] = shipment.end_user.model_copy(update={"name": party[0], "country": party[1]})
    return shipment.model_copy(update=update)


def _kept(kept: dict[Any, Any], read: Callable[[Any], Any], text: Any) -> Any:
    """``read(text)``, kept per text (or other key) in ``kept``, at most :data:`KEY_LIMIT` (``ValueError`` as
    ``read`` gives, not kept): a batch's own facts repeat (dates, values, countries)."""
    try:
        return kept[text]
    except KeyError:
        if len(kept) >= KEY_LIMIT:
            kept.clear()
        found = kept[text] = read(text)
        return found


def _checked(shipment: Shipment) -> tuple[Hashable, ...]:
    """The facts :func:`~clearance.engine.determine.case_of` checks besides the date and the destination."""
    item = shipment.item
    return (item.control_code, item.product is None, item.classified is None, tuple(shipment.red_flags))


def _facts(shipment: Shipment, code: str | None) -> tuple[Hashable, ...]:
    """The facts of the key read as they are (:func:`facts_key`) and whether there is an end user."""
    return (*facts_key(shipment, code), shipment.end_user is not None)


#: A line's own facts as :meth:`Keyed.fill` takes them: its reference, date, destination, value and end user's name.
OwnFacts = tuple[str | None, date, str, Decimal | None, str | None]


def _own_facts(shipment: Shipment) -> OwnFacts:
    """The own facts of ``shipment`` as :meth:`Keyed.fill` takes them."""
    name = None if shipment.end_user is None else shipment.end_user.name
    return shipment.ref, shipment.date, shipment.destination, shipment.item.value, name


class Keyed:
    """Answers a batch's lines by distinct keys (see the module's docstring); one per batch or partition."""

    def __init__(
        self,
        regulations: Mapping[str, Regulations] | Regulations,
        screener: Screener | None = None,
        kept: KeptAnswers | None = None,
    ) -> None:
        self.regulations = regulations
        #: The packs by regime, as ``case_of`` finds them.
        self._packs = (
            {regulations.id: regulations} if isinstance(regulations, Regulations) else dict(regulations.items())
        )
        self.parties = _Parties(screener) if screener is not None else None
        #: Keys' answers kept across runs (read for a key not answered in this batch, given each key decided).
        self.kept = kept
        self.answers: dict[Hashable, KeyAnswer] = {}
        self._pieces: dict[bytes, bytes] = {}
        self._places: dict[_Slots, _Slots] = {}
        self._wheres: dict[tuple[str, str], bytes] = {}
        self._bands: dict[str, dict[str | None, tuple[Decimal, ...]]] = {}
        self._epochs: dict[tuple[str, date], Snapshot] = {}
        self._lists: dict[tuple[Snapshot, bool], frozenset[str]] = {}
        self._cases: dict[Hashable, tuple[Case, Hashable]] = {}
        self._shapes: dict[bytes, Shape] = {}
        self._countries: dict[str, str] = {}
        self._days: dict[str, Any] = {}
        self._numbers: dict[str | int | None, Any] = {}
        #: How many times the answers were thinned (:meth:`_thin`): what is kept per answer elsewhere may go then.
        self.thinned = 0

    def key(self, shipment: Shipment) -> tuple[Case, Hashable]:
        """The line's case (the law in force on its date; :class:`InputError` if it cannot be answered) and its
        key: the facts the law reads, with the epoch for the date, the band for the value and the screening
        result for the end user."""
        case, place = self.case(shipment)
        item, party = shipment.item, shipment.end_user
        return case, (
            case.snap,
            place,
            _facts(shipment, case.code),
            self._band(case.regs, item.value, item.currency),
            self._screening(case, shipment, None if party is None else (party.name, party.country)),
        )

    def epoch(self, regime: str, day: date) -> Snapshot | None:
        """The snapshot of the law in force on ``day`` under ``regime`` (``None`` when the pack is not known or the
        day is before its coverage: a line of that day is checked by ``case_of``, which names the error)."""
        found = self._epochs.get((regime, day))
        if found is None:
            regs = self._packs.get(regime)
            if regs is None or day < regs.meta.coverage_from:
                return None
            if len(self._epochs) >= KEY_LIMIT:
                self._cases.clear()
                self._epochs.clear()
            found = self._epochs[(regime, day)] = regs.at(day)
        return found

    def known_case(self, snap: Snapshot, destination: str, checked: Hashable) -> tuple[Case, Hashable] | None:
        """The case and what the law reads of the destination, if a line with that epoch, destination and checked
        facts (what ``case_of`` checks besides the date and the destination) was answered."""
        return self._cases.get((snap, destination, checked))

    def case(self, shipment: Shipment) -> tuple[Case, Hashable]:
        """:func:`~clearance.engine.determine.case_of` and what the law reads of the destination, kept per epoch
        of the date and the facts ``case_of`` checks (a line it refuses is checked afresh, so its error is
        ``case_of``'s own)."""
        snap = self.epoch(shipment.regime, shipment.date)
        checked = _checked(shipment)
        found = None if snap is None else self.known_case(snap, shipment.destination, checked)
        if found is None:
            if len(self._cases) >= KEY_LIMIT or len(self._epochs) >= KEY_LIMIT:
                self._cases.clear()
                self._epochs.clear()
            case = case_of(shipment, self.regulations)
            self._epochs[(shipment.regime, shipment.date)] = case.snap
            found = self._cases[(case.snap, shipment.destination, checked)] = (case, _place(case.snap, case.dest))
        return found

    def thresholds(self, regs: Regulations, currency: str | None) -> tuple[Decimal, ...]:
        """The amounts the pack's conditions compare a value in ``currency`` with, sorted (kept per pack)."""
        bands = self._bands.get(regs.id)
        if bands is None:
            bands = self._bands[regs.id] = _thresholds(regs)
        return bands.get(currency, ())

    def _band(self, regs: Regulations, value: Decimal | None, currency: str | None) -> int | None:
        """Where the value falls among the amounts conditions compare it with (``None`` without a value)."""
        if value is None:
            return None
        return bisect_left(self.thresholds(regs, currency), value)

    def lists(self, snap: Snapshot, shipment: Shipment) -> frozenset[str]:
        """The lists the end user of a line of ``shipment``'s shape is screened against in ``snap`` (kept per
        snapshot and whether there is an end user, all they depend on)."""
        found: frozenset[str] = _kept(
            self._lists, lambda _: lists_screened(snap, shipment, self.parties), (snap, shipment.end_user is None)
        )
        return found

    def party_key(self, party: tuple[str, str | None] | None, lists: frozenset[str]) -> bytes | None:
        """The key of the screening result of a party (its name and country) against ``lists`` (``None`` when
        it is not screened)."""
        if not lists or party is None or self.parties is None:
            return None
        return self.parties.screened(*party, lists)[1]

    def _screening(self, case: Case, shipment: Shipment, party: tuple[str, str | None] | None) -> bytes | None:
        """The key of the screening result of the end user (its name and country; ``None`` when it is not
        screened)."""
        return self.party_key(party, self.lists(case.snap, shipment))

    def _answer(self, shipment: Shipment, whole: bool = False) -> KeyAnswer:
        """The key's answer (decided afresh when ``whole`` and only its template was kept)."""
        case, key = self.key(shipment)
        return self._answered(shipment, case, key, whole)

    def _answered(self, shipment: Shipment, case: Case, key: Hashable, whole: bool = False) -> KeyAnswer:
        """:meth:`_answer` for a shipment whose case and key are known."""
        found = self.known(key)
        if found is None or (whole and found.determination is None):
            if len(self.answers) >= KEY_LIMIT:
                self._thin()
            determination = decide(shipment, case, self.parties)
            found = self.answers[key] = KeyAnswer.of(determination, Own.of(shipment))
            if self.kept is not None and not whole:  # kept as its template (a whole answer is asked for)
                self.template(found)
                self.kept.put(key, found)
        found.uses += 1
        return found

    def known(self, key: Hashable) -> KeyAnswer | None:
        """The answer of ``key`` if it was answered in this batch or kept by an earlier one (:attr:`kept`)."""
        found = self.answers.get(key)
        if found is None and self.kept is not None:
            found = self.kept.get(key)
            if found is not None:
                if len(self.answers) >= KEY_LIMIT:
                    self._thin()
                self.answers[key] = found
        return found

    def _thin(self) -> None:
        """Let go of the answers used least since the last time (at least half of them), and count afresh."""
        uses = sorted(answer.uses for answer in self.answers.values())
        least = uses[len(uses) // 2]
        self.answers = {key: answer for key, answer in self.answers.items() if answer.uses > least}
        templates = [answer.template for answer in self.answers.values() if answer.template is not None]
        self._pieces = {piece: piece for pieces, _ in templates for piece in pieces}
        self._places = {slots: slots for _, slots in templates}
        for answer in self.answers.values():
            answer.uses = 0
        self.thinned += 1

    def determination(self, shipment: Shipment) -> Determination:
        """The answer for ``shipment``: its key's, with the line's own facts filled in."""
        answer = self._answer(shipment, whole=True)
        found, own = answer.determination, Own.of(shipment)
        assert found is not None and answer.plan is not None
        if own != answer.own:
            where = None if answer.group is None else _where(own.destination, answer.group)
            steps = _with_own(found.steps, answer.plan, own.facts(), where)
            return replace(found, steps=steps, destination=own.destination, date=shipment.date, ref=shipment.ref)
        if found.date != shipment.date or found.ref != shipment.ref:
            return replace(found, date=shipment.date, ref=shipment.ref)
        return found

    def record(self, number: int, shipment: Shipment) -> bytes:
        """The batch record of input line ``number`` (the bytes :func:`~clearance.engine.encode.line_json`
        gives for its answer), written from its key's template."""
        return self._recorded(number, shipment).record

    def _recorded(self, number: int, shipment: Shipment) -> LineAnswer:
        return self._filled(number, self._answer(shipment), _own_facts(shipment))

    def _filled(self, number: int, answer: KeyAnswer, own: OwnFacts) -> LineAnswer:
        """The :class:`LineAnswer` of input line ``number`` with the own facts ``own`` and its key's answer."""
        return LineAnswer(self.fill(number, answer, *own), own[0], answer)

    def line_record(self, number: int, line: bytes | str, read: Callable[[bytes | str], Shipment]) -> bytes:
        """:meth:`record` for input line ``number`` given as JSON text and read by ``read`` (which a line of a
        shape read before, whose answer is known, does not need: its own facts are filled in from the text)."""
        return self.line_answer(number, line, read).record

    def line_answer(self, number: int, line: bytes | str, read: Callable[[bytes | str], Shipment]) -> LineAnswer:
        """:meth:`line_record`'s record with the line's reference and its key's answer (what the record holds,
        for a caller that wants its fields without parsing it back)."""
        return self._filled(number, *self._line_key(line, read))

    def line_key_answer(self, line: bytes | str, read: Callable[[bytes | str], Shipment]) -> KeyAnswer:
        """The answer of the key of a line given as JSON text (decided if it was not before), as
        :meth:`line_answer` finds it, without writing the line's record: for a caller that writes it from the
        key's template (:mod:`clearance.engine.columns`). :class:`ClearanceError` for a line that cannot be
        answered."""
        return self._line_key(line, read)[0]

    def _line_key(self, line: bytes | str, read: Callable[[bytes | str], Shipment]) -> tuple[KeyAnswer, OwnFacts]:
        """The answer of a line's key and the line's own facts."""
        parts = cut(line)
        if parts is not None:
            shape = self.known_shape(parts.shape)
            if shape is not None:
                found = self._quick(parts, shape)
                if found is not None:
                    return found
        shipment = read(line)
        if parts is not None:
            self.keep_shape(parts.shape, shipment)
        return self._answer(shipment), _own_facts(shipment)

    def known_shape(self, shape: bytes) -> Shape | None:
        """What the lines of a shape (:attr:`~clearance.engine.lines.Cut.shape`) share, if one was read."""
        return self._shapes.get(shape)

    def keep_shape(self, shape: bytes, shipment: Shipment) -> Shape:
        """What the lines of a shape share, from ``shipment``, a line of that shape read by the model (kept)."""
        if len(self._shapes) >= KEY_LIMIT:
            self._shapes.clear()
        return self._shapes.setdefault(shape, Shape(shipment, _checked(shipment)))

    def facts(self, shape: Shape, code: str | None) -> tuple[Hashable, ...]:
        """The facts of the key of a line of ``shape`` whose control code the pack reads as ``code``."""
        found = shape.facts.get(code)
        if found is None:
            found = shape.facts[code] = _facts(shape.shipment, code)
        return found

    def _quick(self, parts: Cut, shape: Shape) -> tuple[KeyAnswer, OwnFacts] | None:
        """The answer of the key of a line of a known shape and its own facts, read from the line's text (``None``
        when the model is to read it: an own fact a validator refuses, or a line the law refuses, whose error is then
        the model's and the law's own). A line whose key was not answered yet is answered as the shape's shipment
        with its own facts."""
        try:
            day = _kept(self._days, parse_date, parts.date)
            destination = self.country(parts.destination)
            value = _kept(self._numbers, parse_number, parts.value)
            party = parts.end_user
            if party is not None and party[1] is not None:
                party = (party[0], self.country(party[1]))
        except ValueError:
            return None
        if type(value) is int:
            value = Decimal(value)
        if type(day) is not date or not (value is None or (type(value) is Decimal and value >= 0)):
            return None
        shipment = shape.shipment
        snap = self.epoch(shipment.regime, day)
        found = None if snap is None else self.known_case(snap, destination, shape.checked)
        if found is None:
            return self._own_answer(_own_shipment(shape.shipment, parts.ref, day, destination, value, party))
        case, place = found
        band = self._band(case.regs, value, shipment.item.currency)
        screening = self._screening(case, shipment, party)
        key = (snap, place, self.facts(shape, case.code), band, screening)
        answer = self.known(key)
        if answer is not None:
            answer.uses += 1
        else:
            own = _own_shipment(shipment, parts.ref, day, destination, value, party)
            try:
                answer = self._answered(own, case, key)
            except ClearanceError:
                return None
        return answer, (parts.ref, day, destination, value, None if party is None else party[0])

    def _own_answer(self, shipment: Shipment) -> tuple[KeyAnswer, OwnFacts] | None:
        """The answer of the key of a line of a known shape and its own facts (``None`` if the law refuses it: the
        model reads it again)."""
        try:
            return self._answer(shipment), _own_facts(shipment)
        except ClearanceError:
            return None

    def country(self, text: str) -> str:
        """:func:`~clearance.law.countries.check_country`, kept per text (``ValueError`` as it gives)."""
        found: str = _kept(self._countries, check_country, text)
        return found

    def fill(
        self,
        number: int,
        answer: KeyAnswer,
        ref: str | None,
        day: date,
        destination: str,
        value: Decimal | None,
        end_user: str | None,
    ) -> bytes:
        """The record of input line ``number`` from its key's answer, with the line's own facts: the answer's
        own record on the line it was decided for (most keys of a batch have one line: no template), else from its
        record template (made on the key's second line: the answer, its own facts and plan are then let go)."""
        amount = None if value is None else str(value)
        if answer.template is None:
            found = answer.determination
            assert found is not None
            if (
                answer.uses <= 1
                and (found.ref, found.date) == (ref, day)
                and answer.own == Own(destination, amount, end_user)
            ):
                return line_json(number, found, shared=True)
        pieces, slots = self.template(answer)
        where = b"" if answer.group is None else self.where_json(destination, answer.group)
        dumps = orjson.dumps
        own = (dumps(ref), dumps(day), dumps(destination), where, dumps(amount), dumps(end_user))
        out = list(pieces)
        out[0] = b'{"position":%d,' % number
        for place, slot in slots:
            out[place] = own[slot]
        return b"".join(out)

    def template(self, answer: KeyAnswer) -> Template:
        """A key's record template (made from its answer the first time: the answer, its own facts and plan are
        then let go)."""
        if answer.template is None:
            answer.template = _template(answer, self._pieces, self._places)
            answer.determination = answer.own = answer.plan = None
        return answer.template

    def where_json(self, destination: str, group: str) -> bytes:
        """:func:`_where` as JSON, kept per destination and group."""
        found = self._wheres.get((destination, group))
        if found is None:
            if len(self._wheres) >= KEY_LIMIT:
                self._wheres.clear()
            found = self._wheres[(destination, group)] = kept(orjson.dumps(_where(destination, group)))
        return found
