"""A batch given as columns (a pyarrow Table of shipments, as read from Parquet; ``DataFrame.to_arrow()`` for
Polars) answered by distinct keys, vectorised, through :class:`~clearance.engine.keyed.Keyed`.

Each part of a line's key is worked out once per distinct value and joined back to the lines as integer columns:
the line's shape (every column but its own facts, :mod:`clearance.engine.lines`) by hashing its columns, one line
of each shape read by the model; the epoch per distinct (regime, date); what the law reads of the destination per
distinct (epoch, destination, checked facts); the value's band by ``searchsorted`` of the value in whole
millionths against the pack's thresholds (values written as plain decimals: compared exactly); the screening
result per distinct (party, lists). Each distinct key is then looked up among the answers the :class:`Keyed` holds;
a key not answered yet is answered by the per-line path on its first line (:meth:`Keyed.line_key_answer`: the key's
answer, the line then written from the key's template like its other lines).

A line the columns cannot take exactly (an own fact the model would read otherwise or refuses, a value not written
as a plain decimal, a shape the model refuses, a line the law refuses...) is answered by the per-line path, so every
line's answer and record are :meth:`Keyed.line_record`'s.

The records are written as columns too, a slice of lines at a time into one buffer (:func:`table_slices`): each
key's record template as the numbers of its pieces among the pieces of all templates (one arrow array), the
line's own facts (position, reference, date, destination, value, end user) as JSON columns, each distinct value
encoded once, and the per-line path's records; one ``take`` of pieces and facts in each line's order joins them.

    answers = answer_table(keyed, table)  # position, key, licence_required, basis, licence_options, error
    for number, record, error in table_records(keyed, table):  # the batch records, in order
        ...
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import numpy.typing as npt
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from clearance.cellvalues import parse_date
from clearance.collector import few_collections
from clearance.columnar import as_json
from clearance.engine.batch import Reader
from clearance.engine.determine import Case, Screener
from clearance.engine.encode import line_json
from clearance.engine.io import parse_shipment
from clearance.engine.kept import KeptAnswers
from clearance.engine.keyed import SLOTS, KeyAnswer, Keyed, Shape, Template
from clearance.engine.lines import cut, plain_text
from clearance.errors import ClearanceError
from clearance.law.regulations import Regulations, Snapshot
from clearance.problems import BatchError

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

#: Values are compared in whole millionths: a value with more decimals, or more than 12 digits before the point,
#: is answered by the per-line path, and so is a value of a pack whose thresholds are not whole millionths.
SCALE = 10**6
PLAIN_VALUE = r"^[0-9]{1,12}(\.[0-9]{1,6})?$"
#: The characters Python's ``str.strip`` removes (``str.isspace``); the model's stripping removes some of them.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
#: The own facts of a line: top-level columns, and fields of the ``item`` and ``end_user`` columns.
_OWN = {"ref", "date", "destination"}
_OWN_FIELDS = {"item": {"value"}, "end_user": {"name", "country"}}


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _hashed_as_is(kind: pa.DataType) -> bool:
    """Whether a column's values are hashed as they are for a line's shape (else by their JSON)."""
    return _is_text(kind) or bool(pa.types.is_boolean(kind) or pa.types.is_integer(kind))


def answer_table(
    keyed: Keyed, table: pa.Table | pa.RecordBatch, read: Reader = parse_shipment, first: int = 1
) -> pa.Table:
    """The answers to a table of shipments, its rows numbered from ``first``: per line its ``position``, ``key``
    (the number of its distinct answer in this table; null for a line answered by the per-line path), and
    ``licence_required``, ``basis``, ``licence_options`` and ``error`` (an error record's message) as its record
    (:meth:`Keyed.line_record`'s) holds them."""
    batch = _Batch(keyed, table, read, first)
    alone = np.flatnonzero(batch.key < 0).tolist()
    # the distinct answers, then the per-line path's records (as their JSON holds them); each line takes its own
    answers = [(*a.columns, None) for a in batch.answers]
    for _, record, error in batch.alone_records(alone):
        data = orjson.loads(record)
        message = data.get("message") if error else None
        answers.append((data.get("licence_required"), data.get("basis"), data.get("licence_options"), message))
    index = batch.key.copy()
    index[alone] = len(batch.answers) + np.arange(len(alone), dtype=np.int64)
    taken, texts = pa.array(index), pa.list_(pa.string())
    kinds = {"licence_required": pa.bool_(), "basis": texts, "licence_options": texts, "error": pa.string()}
    return pa.table(
        {
            "position": pa.array(batch.numbers),
            "key": pa.array(batch.key, mask=batch.key < 0),
            **{
                name: pa.array([a[n] for a in answers], kind).take(taken)
                for n, (name, kind) in enumerate(kinds.items())
            },
        }
    )


def record_tables(
    tables: Iterable[pa.Table | pa.RecordBatch],
    regulations: Mapping[str, Regulations],
    read: Reader = parse_shipment,
    screener: Screener | None = None,
    after: int = 0,
    kept: KeptAnswers | None = None,
) -> Iterator[Records]:
    """:func:`~clearance.engine.batch.record_lines` for a batch given as tables (a Parquet file's row groups, in
    order; only the lines after line ``after`` when resuming), each answered as columns: the same records, a
    slice of lines at a time (:func:`table_slices`); ``kept``: keys' answers kept across runs, given the keys
    decided when the batch ends."""
    keyed, first = Keyed(regulations, screener, kept), 1
    with few_collections():
        for table in tables:
            skip = min(max(after - first + 1, 0), table.num_rows)
            yield from table_slices(keyed, table.slice(skip), read, first + skip)
            first += table.num_rows
    if kept is not None:
        kept.save()


#: Lines whose records are written as one slice of columns: about 8 kB a line, so buffers of about 2 MB. Larger
#: slices cost less user time (about 0.9 ms a slice) but more system time writing them: 512 lines, 0.8 CPU s more per
#: 100,000 lines; 2,048 (17 MB), up to 1 s more and 60 MB more at the peak.
_SLICE = 256


def table_records(
    keyed: Keyed, table: pa.Table | pa.RecordBatch, read: Reader = parse_shipment, first: int = 1
) -> Iterator[tuple[int, bytes, bool]]:
    """The batch record of each line of a table, in order: its number (from ``first``), the bytes
    :meth:`Keyed.line_record` gives for it (an error record for a line that cannot be answered) and whether it is
    an error record (:func:`table_slices`' records one by one)."""
    for records in table_slices(keyed, table, read, first):
        yield from records


def table_slices(
    keyed: Keyed, table: pa.Table | pa.RecordBatch, read: Reader = parse_shipment, first: int = 1
) -> Iterator[Records]:
    """The records of a table's lines (numbered from ``first``) a slice of lines at a time, each slice's as one
    buffer: the records of lines with a known key written as columns from their keys' templates, without a
    Python step per line."""
    batch = _Batch(keyed, table, read, first, templated=True)
    for start in range(0, batch.n, _SLICE):
        yield batch.records(start, min(start + _SLICE, batch.n))


@dataclass(frozen=True)
class Records:
    """The records of lines ``numbers``, in one buffer: line ``numbers[i]``'s record and its newline are
    ``data[ends[i]:ends[i + 1]]``; ``errors`` says which are error records. Iterated, each line's number, record
    (without the newline) and whether it is an error record."""

    numbers: Ints
    data: pa.Buffer
    ends: npt.NDArray[np.int32]
    errors: Flags

    def __len__(self) -> int:
        return len(self.errors)

    @property
    def lines(self) -> memoryview:
        """The records, each with its newline."""
        return memoryview(self.data)[: int(self.ends[-1])]

    def __iter__(self) -> Iterator[tuple[int, bytes, bool]]:
        data, ends = memoryview(self.data), self.ends.tolist()
        for n, (number, error) in enumerate(zip(self.numbers.tolist(), self.errors.tolist(), strict=True)):
            yield number, bytes(data[ends[n] : ends[n + 1] - 1]), error


#: Text that needs escaping in JSON as orjson writes it (a quote, a backslash, a control character).
_ESCAPED = r'["\\\x00-\x1f]'
#: A value's text that ``str(Decimal(text))`` writes as it is (no leading zeros).
_OWN_TEXT = r"^(0|[1-9][0-9]*)(\.[0-9]+)?$"


def json_texts(texts: pa.Array) -> pa.Array:
    """Each text as orjson writes it (null as ``null``), as a binary array: quoted, and the few that need escaping
    written by orjson."""
    quoted = pc.binary_join_element_wise(_bytes(b'"'), pc.cast(texts, pa.binary()), _bytes(b'"'), _bytes(b""))
    escaped = pc.fill_null(pc.match_substring_regex(texts, _ESCAPED), False)
    if pc.any(escaped).as_py():
        written = [orjson.dumps(text) for text in texts.filter(escaped).to_pylist()]
        quoted = pc.replace_with_mask(quoted, escaped, pa.array(written, pa.binary()))
    return pc.fill_null(quoted, _bytes(b"null"))


def _bytes(value: bytes) -> pa.Scalar:
    return pa.scalar(value, pa.binary())


def _nulls(count: int) -> pa.Array:
    """``null`` as JSON, ``count`` times."""
    return pa.array([b"null"], pa.binary()).take(pa.array(np.zeros(count, np.int64)))


#: The program of a line answered by the per-line path: its record (the last own column) and a newline.
_BY_LINE = np.array([-2 - len(SLOTS), 0], np.int64)

#: First lines of new keys whose JSON is taken from a table at once (:meth:`_Batch._answers`): about 300 bytes each.
_FIRST_LINES = 1_024
#: Lines whose own facts are written as JSON columns at once (:meth:`_Batch._own_of`): about 100 bytes a line.
_OWN_LINES = 4_096

#: Pieces of record templates kept (per :class:`Keyed`) before starting afresh.
PIECES_LIMIT = 100_000


class _Pieces:
    """The pieces of a :class:`Keyed`'s record templates, numbered (a newline first), and each template as a
    program: the numbers of its pieces, -1 for a record's head (its position), -2 - n for slot n of
    :data:`~clearance.engine.keyed.SLOTS`, and the newline."""

    def __init__(self) -> None:
        self.numbers: dict[bytes, int] = {}
        self.pieces: list[bytes] = []
        self.programs: dict[Template, Ints] = {}
        #: How many times the pieces were started afresh (programs made before then are let go).
        self.generation = 0
        self._thinned = 0  # the keyed answers' thinning the programs were last let go after
        self.start()

    def start(self, keyed: Keyed | None = None) -> None:
        """Before a slice's programs: start afresh when :data:`PIECES_LIMIT` pieces are kept, and let go of the
        programs of templates ``keyed`` holds no answer of once it thinned its answers (they grew with every
        template the batch made: 12,207 programs, 18 MB at 10,000,000 lines)."""
        if len(self.pieces) >= PIECES_LIMIT or not self.pieces:
            self.numbers, self.pieces, self.programs = {b"\n": 0}, [b"\n"], {}  # a record's newline: piece 0
            self.generation += 1
        if keyed is not None and keyed.thinned != self._thinned:
            self._thinned, held = keyed.thinned, {answer.template for answer in keyed.answers.values()}
            self.programs = {template: code for template, code in self.programs.items() if template in held}

    def program(self, template: Template) -> Ints:
        """The program of a record template (made the first time)."""
        found = self.programs.get(template)
        if found is None:
            pieces, slots = template
            at = dict(slots)
            codes = [-1]
            for place in range(1, len(pieces)):
                if place in at:
                    codes.append(-2 - at[place])
                elif pieces[place]:
                    codes.append(self._number(pieces[place]))
            codes.append(0)
            found = self.programs[template] = np.array(codes, np.int64)
        return found

    def _number(self, piece: bytes) -> int:
        found = self.numbers.get(piece)
        if found is None:
            found = self.numbers[piece] = len(self.pieces)
            self.pieces.append(piece)
        return found

    def pool(self, codes: Ints) -> tuple[pa.Array, Ints]:
        """The distinct pieces numbered ``codes`` as one array (those a slice uses: an array of all the pieces cost a
        copy of them whenever pieces were added), and each code's place in it (hashed, not sorted)."""
        encoded = pc.dictionary_encode(pa.array(codes))
        pieces, used = self.pieces, encoded.dictionary.to_numpy().tolist()
        return pa.array([pieces[n] for n in used], pa.binary()), encoded.indices.to_numpy().astype(np.int64)


_KEPT: WeakKeyDictionary[Keyed, _Pieces] = WeakKeyDictionary()


def _pieces_of(keyed: Keyed) -> _Pieces:
    """The :class:`_Pieces` of a :class:`Keyed`'s templates (kept across its tables)."""
    found = _KEPT.get(keyed)
    if found is None:
        found = _KEPT[keyed] = _Pieces()
    return found


def _line_record(keyed: Keyed, number: int, line: bytes | str, read: Reader) -> tuple[bytes, bool]:
    """The per-line path's record of a line (an error record when it cannot be answered), and whether it is one."""
    try:
        return keyed.line_record(number, line, read), False
    except ClearanceError as exc:
        return line_json(number, BatchError.of(number, exc)), True


def _encode(array: pa.Array) -> tuple[Ints, list[Any]]:
    """Each value's number among the distinct values (null one of them), and the distinct values."""
    if pa.types.is_null(array.type):
        return np.zeros(len(array), np.int64), [None]
    encoded = pc.dictionary_encode(array, null_encoding="encode")
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


def _distinct(codes: Ints) -> tuple[Ints, Ints]:
    """Each code's number among the distinct codes (in order of first appearance), and each distinct code's first
    position."""
    if not len(codes):
        return codes, codes
    inverse = pc.dictionary_encode(pa.array(codes)).indices.to_numpy().astype(np.int64)
    top = np.maximum.accumulate(inverse)
    return inverse, np.flatnonzero(np.r_[True, top[1:] > top[:-1]])


def _each(distinct: list[Any], read: Callable[[Any], int]) -> Ints:
    return np.array([read(value) for value in distinct], np.int64).reshape(-1)


def _child(array: pa.Array, name: str) -> pa.Array | None:
    """A struct column's field (null where the struct is), if it has one."""
    if not pa.types.is_struct(array.type) or array.type.get_field_index(name) < 0:
        return None
    return pc.struct_field(array, name)


def _leaves(array: pa.Array, leave_out: Collection[str] = ()) -> Iterator[pa.Array]:
    """Columns whose values, together, tell a column's JSON (without the fields ``leave_out``): a struct's validity
    and its fields' leaves, a plain column as it is, any other by its JSON."""
    if pa.types.is_struct(array.type):
        yield pc.is_valid(array)
        for field in array.type:
            if field.name not in leave_out:
                yield from _leaves(pc.struct_field(array, field.name))
    elif _hashed_as_is(array.type) or pa.types.is_null(array.type):
        yield array
    else:
        yield pa.array([as_json(value) for value in array.to_pylist()], pa.binary())


def _ids(values: Iterable[Hashable]) -> Ints:
    """Each value's number among the distinct values, in order of first appearance."""
    found: dict[Hashable, int] = {}
    return np.array([found.setdefault(v, len(found)) for v in values], np.int64).reshape(-1)


def _combined(columns: list[Ints]) -> Ints:
    """One code per row for the tuple of its values in ``columns`` (each of numbers from 0)."""
    code, size = np.zeros(len(columns[0]), np.int64), 1
    for column in columns:
        width = int(column.max()) + 1 if len(column) else 1
        if size * width >= 2**62:
            code, firsts = _distinct(code)
            size = len(firsts)
        code *= width
        code += column
        size *= width
    return code


def millionths(values: pa.Array) -> tuple[Flags, Ints]:
    """Which values are taken exactly in whole millionths (whole numbers from 0 to 10**12 - 1, and text that is a
    plain decimal of at most 12 digits and 6 decimals; not nulls nor any other), and each one so (0 if not)."""
    valid = values.is_valid().to_numpy(zero_copy_only=False)
    if pa.types.is_integer(values.type):
        whole = pc.fill_null(values, 0).to_numpy().astype(np.int64)
        taken = valid & (whole >= 0) & (whole < 10**12)
        return taken, np.where(taken, whole, 0) * SCALE
    if not _is_text(values.type):
        return np.zeros(len(values), np.bool_), np.zeros(len(values), np.int64)
    plain = pc.fill_null(pc.match_substring_regex(values, PLAIN_VALUE), False)
    # such a decimal is exactly a decimal of 18 digits and 6 places, whose unscaled integer (the low 64 bits of
    # its 128) is the value in millionths
    exact = pc.cast(pc.if_else(plain, values, pa.scalar("0", values.type)), pa.decimal128(18, 6))
    words = np.frombuffer(exact.buffers()[1], dtype=np.int64).reshape(-1, 2)
    return plain.to_numpy(zero_copy_only=False), words[exact.offset : exact.offset + len(values), 0].copy()


def _millionths(amount: Decimal) -> int | None:
    """An amount in whole millionths (``None`` if it is not a whole number of them, or too large to compare)."""
    sign, digits, exponent = amount.as_tuple()
    if not isinstance(exponent, int):
        return None
    whole = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    shift = exponent + 6
    if shift >= 0:
        found = whole * 10**shift
    else:
        found, rest = divmod(whole, 10**-shift)
        if rest:
            return None
    return found if abs(found) < 2**62 else None


class _Batch:
    """Each line of a table reduced to its key, as the number of its answer among ``answers`` (``key``: -1 for a
    line left to the per-line path)."""

    def __init__(
        self,
        keyed: Keyed,
        table: pa.Table | pa.RecordBatch,
        read: Reader,
        first: int,
        templated: bool = False,
    ) -> None:
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        self.keyed, self.table, self.read = keyed, table.combine_chunks(), read
        #: Whether each key's record template is made as it is decided (its answer then let go: records are asked).
        self.templated = templated
        self.n = n = table.num_rows
        #: Each row's line number (from ``first``).
        self.numbers: Ints = np.arange(first, first + n, dtype=np.int64)
        self.answers: list[KeyAnswer] = []
        self.key: Ints = np.full(n, -1, np.int64)
        self.ok: Flags = np.ones(n, np.bool_)
        self.days: list[date] = []
        self.places: list[str] = []
        self.names: list[str] = []
        self.countries: list[str | None] = [None]
        self.shapes: list[Shape | None] = []
        self._generation = -1  # of the pieces the programs below are made of (see _program)
        self._codes: Ints = _BY_LINE
        self._begin = self._length = np.zeros(0, np.int64)
        #: The JSON of the own facts of the lines with a key from line ``_own_from`` to ``_own_to`` (:meth:`_own_of`).
        self._own_from = self._own_to = 0
        self._own_columns: list[pa.Array] = []
        self.ref = self.values = None
        item = self.column("item")
        if n == 0 or item is None or not pa.types.is_struct(item.type):
            return
        self._refuse(~item.is_valid().to_numpy(zero_copy_only=False))
        self._own(item)
        if self.ok.any():
            self._shapes()
            self._keys(np.flatnonzero(self.ok))

    def column(self, name: str) -> pa.Array | None:
        """The table's column ``name``, if it has one."""
        return self.table.column(name).chunk(0) if name in self.table.column_names else None

    def _refuse(self, rows: Flags) -> None:
        """Leave ``rows`` to the per-line path."""
        self.ok &= ~rows

    def _own(self, item: pa.Array) -> None:
        """Each line's own facts as the model's validators read them (each distinct text once; a value compared in
        millionths), the lines whose own facts the model would read otherwise or refuse left to the per-line
        path."""
        n = self.n
        self.ref = ref = self.column("ref")
        if ref is not None and not pa.types.is_null(ref.type):
            edge = pc.not_equal(pc.utf8_trim(ref, SPACES), ref) if _is_text(ref.type) else ref.is_valid()
            self._refuse(pc.fill_null(edge, False).to_numpy(zero_copy_only=False))
        dates, destinations = self.column("date"), self.column("destination")
        if dates is None or destinations is None or not _is_text(destinations.type):
            self.ok[:] = False
            return
        if not (_is_text(dates.type) or pa.types.is_date32(dates.type)):
            self.ok[:] = False
            return
        index, distinct = _encode(dates)
        self.day = _each(distinct, self._day)[index]
        index, distinct = _encode(destinations)
        self.destination = _each(distinct, lambda text: self._country(text, self.places))[index]
        self._refuse((self.day < 0) | (self.destination < 0))
        self._value(_child(item, "value"))
        party = self.column("end_user")
        self.party: Flags = np.zeros(n, np.bool_)
        self.name: Ints = np.zeros(n, np.int64)
        self.country: Ints = np.zeros(n, np.int64)
        if party is None or pa.types.is_null(party.type):
            return
        has = party.is_valid().to_numpy(zero_copy_only=False)
        names, countries = _child(party, "name"), _child(party, "country")
        if names is None or not _is_text(names.type):
            self._refuse(has)
            return
        self.party = has
        index, distinct = _encode(names)
        self.name = np.where(has, _each(distinct, self._name)[index], 0)
        self._refuse(self.name < 0)
        if countries is not None and not pa.types.is_null(countries.type):
            if not _is_text(countries.type):
                self._refuse(has & countries.is_valid().to_numpy(zero_copy_only=False))
                return
            index, distinct = _encode(countries)
            read = lambda text: 0 if text is None else self._country(text, self.countries)  # noqa: E731
            self.country = np.where(has, _each(distinct, read)[index], 0)
            self._refuse(self.country < 0)

    def _day(self, value: Any) -> int:
        """The number of a date as a line gives it (-1 when the per-line path is to read it)."""
        if isinstance(value, date):
            value = value.isoformat()  # a date column, which the line's JSON writes so
        if type(value) is not str:
            return -1
        try:
            day = parse_date(value)
        except ValueError:
            return -1
        if type(day) is not date:
            return -1
        self.days.append(day)
        return len(self.days) - 1

    def _country(self, text: Any, into: list[Any]) -> int:
        """The number of a country as a line gives it, added to ``into`` (-1 when the per-line path is to read
        it)."""
        if type(text) is not str or not plain_text(text):
            return -1
        try:
            into.append(self.keyed.country(text))
        except ValueError:
            return -1
        return len(into) - 1

    def _name(self, text: Any) -> int:
        """The number of a party's name as a line gives it (-1 when the per-line path is to read it)."""
        if type(text) is not str or not text or not plain_text(text):
            return -1
        self.names.append(text)
        return len(self.names) - 1

    def _value(self, values: pa.Array | None) -> None:
        """Each line's value in whole millionths (``has_value`` where there is one); a value not written as a
        plain decimal of at most 12 digits and 6 decimals left to the per-line path."""
        self.values = values
        self.has_value: Flags = np.zeros(self.n, np.bool_)
        self.minor: Ints = np.zeros(self.n, np.int64)
        if values is None or pa.types.is_null(values.type):
            return
        self.has_value = has = values.is_valid().to_numpy(zero_copy_only=False)
        taken, self.minor = millionths(values)
        self._refuse(has & ~taken)

    def _shapes(self) -> None:
        """Each line's shape as a number (``shape``), and what the lines of each share (``shapes``: from the first
        of them, read by the model unless a line of that shape was read before; ``None`` if it refuses it)."""
        leaves = [np.zeros(self.n, np.int64)]
        for name in self.table.column_names:
            if name not in _OWN:
                array = self.column(name)
                assert array is not None
                leaves += [_encode(leaf)[0] for leaf in _leaves(array, _OWN_FIELDS.get(name, set()))]
        self.shape, firsts = _distinct(np.where(self.ok, _combined(leaves), -1))
        rows = firsts.tolist()
        for row, line in zip(rows, self.json_lines(rows), strict=True):
            self.shapes.append(self._read_shape(line) if self.ok[row] else None)
        self._refuse(np.array([s is None for s in self.shapes], np.bool_)[self.shape])

    def _read_shape(self, line: bytes | str) -> Shape | None:
        parts = cut(line)
        if parts is None:
            return None
        found = self.keyed.known_shape(parts.shape)
        if found is None:
            try:
                found = self.keyed.keep_shape(parts.shape, self.read(line))
            except ClearanceError:
                return None
        return found

    def _keys(self, rows: Ints) -> None:
        """The answer of each of ``rows`` (the lines taken so far), each part of its key worked out once per
        distinct value; a line whose part cannot be (the law refuses its first line...) left to the per-line
        path."""
        shapes = self.shapes
        shape, day, destination = self.shape[rows], self.day[rows], self.destination[rows]
        good = np.ones(len(rows), np.bool_)

        def each(codes: Ints, part: Callable[[int], Any]) -> tuple[Ints, list[Any]]:
            """Each good row's number among the distinct ``codes``, and ``part`` of each code by its first row
            (``None``: its rows are left to the per-line path)."""
            return each_of(codes, lambda firsts: [part(j) for j in firsts])

        def each_of(codes: Ints, parts: Callable[[list[int]], list[Any]]) -> tuple[Ints, list[Any]]:
            """:func:`each`, ``parts`` giving the parts of the codes by their first rows at once."""
            inverse, distinct = _distinct(np.where(good, codes, -1))
            firsts = distinct.tolist()
            given = iter(parts([j for j in firsts if good[j]]))
            found = [next(given) if good[j] else None for j in firsts]
            good[np.array([f is None for f in found], np.bool_)[inverse]] = False
            return inverse, found

        def at(j: int) -> Shape:
            found: Shape | None = shapes[shape[j]]
            assert found is not None
            return found

        # the epoch of each (regime, date), and the case of each (epoch, destination, checked facts)
        regimes = _ids(s.shipment.regime if s else None for s in shapes)
        epoch, snaps = each(regimes[shape] * len(self.days) + day, lambda j: self._epoch(at(j), day[j], destination[j]))
        snap_ids = _ids(snaps)[epoch]
        checked = _ids(s.checked if s else None for s in shapes)
        code = _combined([snap_ids, destination, checked[shape]])
        case, cases = each(code, lambda j: self._case(at(j), snaps[epoch[j]], day[j], destination[j]))

        # the value's band among the thresholds of the pack in the item's currency
        currencies = _ids(s.shipment.item.currency if s else None for s in shapes)
        packs = _ids(c[0].regs.id if c else None for c in cases)
        group, limits = each(
            _combined([packs[case], currencies[shape]]),
            lambda j: self._limits(cases[case[j]][0].regs, at(j).shipment.item.currency),
        )
        band = np.zeros(len(rows), np.int64)
        minor = self.minor[rows]
        for number, found in enumerate(limits):
            if found is not None:
                these = np.flatnonzero(group == number)
                band[these] = np.searchsorted(found, minor[these], side="left")
        band[~self.has_value[rows]] = -1

        # the end user's screening result, per party and lists screened against
        party = self.party[rows].astype(np.int64)
        good &= party == np.array([bool(s and s.shipment.end_user) for s in shapes], np.int64)[shape]
        screened, lists = each(
            _combined([snap_ids, party]), lambda j: self.keyed.lists(snaps[epoch[j]], at(j).shipment)
        )
        code = _combined([self.name[rows], self.country[rows], _ids(lists)[screened], party])
        party_ids, parties = each(code, lambda j: self._party(lists[screened[j]], rows[j]))

        # the facts read as they are, per shape and control code as the pack reads it
        codes = _ids(c[0].code if c else None for c in cases)
        facts_of, facts = each(
            _combined([shape, codes[case]]), lambda j: self.keyed.facts(at(j), cases[case[j]][0].code)
        )

        # each distinct key, looked up once (answered on its first line when it was not before)
        places = _ids((c[0].snap, c[1]) if c else None for c in cases)[case]
        screenings = _ids(p[0] if p else None for p in parties)[party_ids]
        code = _combined([places, _ids(facts)[facts_of], band + 1, screenings])

        def key_of(j: int) -> Hashable:
            found, place = cases[case[j]]
            return (
                found.snap,
                place,
                facts[facts_of[j]],
                None if band[j] < 0 else int(band[j]),
                parties[party_ids[j]][0],
            )

        key, answers = each_of(
            code, lambda firsts: self._answers([int(rows[j]) for j in firsts], [key_of(j) for j in firsts])
        )
        distinct = {id(a): a for a in answers if a is not None}
        self.answers = list(distinct.values())
        numbered = {ident: n for n, ident in enumerate(distinct)}
        numbers = np.array([-1 if a is None else numbered[id(a)] for a in answers], np.int64)
        taken = rows[good]
        self.key[taken] = numbers[key][good]
        uses = np.bincount(self.key[taken], minlength=len(self.answers)).tolist()
        for answer, count in zip(self.answers, uses, strict=True):
            answer.uses += count

    def _epoch(self, shape: Shape, day: int, destination: int) -> Snapshot | None:
        """The epoch of a day under the shape's regime (``None`` if the law refuses the line of that day)."""
        regime, when = shape.shipment.regime, self.days[day]
        found = self.keyed.epoch(regime, when)
        if found is None and self._checked(shape, when, self.places[destination]) is not None:
            found = self.keyed.epoch(regime, when)
        return found

    def _case(self, shape: Shape, snap: Snapshot, day: int, destination: int) -> tuple[Case, Hashable] | None:
        """The case of a line (``None`` if the law refuses it)."""
        found = self.keyed.known_case(snap, self.places[destination], shape.checked)
        return found if found is not None else self._checked(shape, self.days[day], self.places[destination])

    def _checked(self, shape: Shape, day: date, destination: str) -> tuple[Case, Hashable] | None:
        """:meth:`Keyed.case` for a line of ``shape`` on ``day`` to ``destination`` (``None`` if it refuses it)."""
        shipment = shape.shipment
        if (shipment.date, shipment.destination) != (day, destination):
            shipment = shipment.model_copy(update={"date": day, "destination": destination})
        try:
            return self.keyed.case(shipment)
        except ClearanceError:
            return None

    def _limits(self, regs: Regulations, currency: str | None) -> Ints | None:
        """The pack's thresholds in ``currency``, in millionths (``None`` if one is not a whole number of them)."""
        found = [_millionths(amount) for amount in self.keyed.thresholds(regs, currency)]
        return None if None in found else np.array(found, np.int64)

    def _party(self, lists: frozenset[str], row: int) -> tuple[bytes | None]:
        """The key of the screening result of the line's end user (boxed: ``(None,)`` when it is not screened)."""
        if not self.party[row]:
            return (None,)
        return (self.keyed.party_key((self.names[self.name[row]], self.countries[self.country[row]]), lists),)

    def _answers(self, rows: list[int], keys: list[Hashable]) -> list[KeyAnswer | None]:
        """The answers of ``keys``, each not answered before decided by the per-line path on its first line (in
        ``rows``), the JSON of those lines taken :data:`_FIRST_LINES` at a time (a row's alone costs 5 times more):
        without the line's record, written from its key's template; ``None`` if the per-line path refuses the line
        or finds it another key, and the line is left to it."""
        keyed = self.keyed
        found = [keyed.known(key) for key in keys]
        new = [n for n, answer in enumerate(found) if answer is None]
        for start in range(0, len(new), _FIRST_LINES):
            these = new[start : start + _FIRST_LINES]
            for n, line in zip(these, self.json_lines([rows[n] for n in these]), strict=True):
                found[n] = self._decided(line, keys[n])
        return found

    def _decided(self, line: bytes | str, key: Hashable) -> KeyAnswer | None:
        """The answer of ``key``, decided by the per-line path on ``line`` (``None`` as :meth:`_answers` says)."""
        keyed = self.keyed
        try:
            keyed.line_key_answer(line, self.read)
        except ClearanceError:
            return None
        answer = keyed.known(key)
        if answer is not None and self.templated:
            keyed.template(answer)
        return answer

    def alone_records(self, rows: list[int]) -> Iterator[tuple[int, bytes, bool]]:
        """The per-line path's records of ``rows`` (lines it answers) and whether each is an error record."""
        for row, line in zip(rows, self.json_lines(rows), strict=True):
            yield row, *_line_record(self.keyed, int(self.numbers[row]), line, self.read)

    def json_lines(self, rows: list[int]) -> list[bytes | str]:
        """The JSON lines of ``rows`` as the per-line path reads them: each row's JSON."""
        if not rows:
            return []
        if len(rows) == 1:  # a key's first line: a slice costs far less than a take of the table
            return [as_json(self.table.slice(rows[0], 1).to_pylist()[0])]
        return [as_json(line) for line in self.table.take(pa.array(rows, pa.int64())).to_pylist()]

    def records(self, start: int, stop: int) -> Records:
        """The records of the lines from ``start`` to ``stop``, written without a Python step per line: a line with
        a key from its key's template (the pieces as numbers among the :class:`_Pieces`, the line's own facts as
        JSON, :meth:`_own_json`), the others' by the per-line path; all taken as one column whose data is the
        records, each with its newline."""
        count = stop - start
        templated = self.key[start:stop] >= 0
        rows, others = np.flatnonzero(templated), np.flatnonzero(~templated)
        alone = list(self.alone_records((start + others).tolist()))
        errors = np.zeros(count, np.bool_)
        errors[others] = [error for _, _, error in alone]
        pieces = _pieces_of(self.keyed)
        pieces.start(self.keyed)
        keys = self.key[start + rows]
        self._program(pieces, keys)
        # each line's program: its key's, or the per-line path's record
        begin, length = np.zeros(count, np.int64), np.full(count, len(_BY_LINE), np.int64)
        begin[rows], length[rows] = self._begin[keys], self._length[keys]
        ends = np.zeros(count + 1, np.int64)
        np.cumsum(length, out=ends[1:])
        line = np.repeat(np.arange(count), length)
        codes = self._codes[np.repeat(begin - ends[:-1], length) + np.arange(len(line))]
        # the line's own JSON for a slot, by the line's place among those of its kind
        place = np.zeros(count, np.int64)
        place[rows], place[others] = np.arange(len(rows)), np.arange(len(others))
        own = [*self._own_of(start, stop), pa.array([record for _, record, _ in alone], pa.binary())]
        # the pieces the slice's programs use, then the own facts
        piece = codes >= 0
        pool, inverse = pieces.pool(codes[piece])
        bases = np.cumsum([len(pool)] + [len(column) for column in own])[:-1]
        index = np.empty(len(codes), np.int64)
        index[piece], index[~piece] = inverse, bases[-1 - codes[~piece]] + place[line[~piece]]
        taken = pa.concat_arrays([pool, *own]).take(pa.array(index))
        offsets = np.frombuffer(taken.buffers()[1], np.int32, len(taken) + 1, taken.offset * 4)
        return Records(self.numbers[start:stop], taken.buffers()[2], offsets[ends], errors)

    def _program(self, pieces: _Pieces, keys: Ints) -> None:
        """The programs of the answers ``keys`` (made for those without one: the answer's record template then
        made), at ``_begin[key]`` in ``_codes``, ``_length[key]`` long (the per-line path's first)."""
        if self._generation != pieces.generation:
            self._generation, self._codes = pieces.generation, _BY_LINE
            self._begin = np.full(len(self.answers), -1, np.int64)
            self._length = np.zeros(len(self.answers), np.int64)
        new = np.unique(keys[self._begin[keys] < 0])
        if not len(new):
            return
        answers = [self.answers[key] for key in new.tolist()]
        programs = [pieces.program(self.keyed.template(answer)) for answer in answers]
        lengths = np.array([len(program) for program in programs], np.int64)
        self._begin[new] = len(self._codes) + np.cumsum(lengths) - lengths
        self._length[new] = lengths
        self._codes = np.concatenate([self._codes, *programs])

    def _own_of(self, start: int, stop: int) -> list[pa.Array]:
        """The JSON of the own facts of the lines with a key from ``start`` to ``stop`` (:meth:`_own_json`), made for
        :data:`_OWN_LINES` lines at a time (fewer, larger calls to arrow's kernels than one per slice) and sliced."""
        if not self._own_from <= start < stop <= self._own_to:
            self._own_from, self._own_to = start, min(self.n, max(stop, start + _OWN_LINES))
            rows = start + np.flatnonzero(self.key[start : self._own_to] >= 0)
            self._own_columns = self._own_json(rows) if len(rows) else [pa.array([], pa.binary())] * (1 + len(SLOTS))
        skip = int(np.count_nonzero(self.key[self._own_from : start] >= 0))
        return [column.slice(skip, int(np.count_nonzero(self.key[start:stop] >= 0))) for column in self._own_columns]

    @cached_property
    def _groups(self) -> tuple[Ints, list[str | None]]:
        """Each answer's destination group as a number among the distinct groups, and the groups."""
        groups = [answer.group for answer in self.answers]
        return _ids(groups), list(dict.fromkeys(groups))

    def _own_json(self, rows: Ints) -> list[pa.Array]:
        """The JSON of each of ``rows``' own facts (lines with a key) as its template's slots want them: its record's
        head (with its position), then each of :data:`~clearance.engine.keyed.SLOTS` (``where`` by the line's
        destination and its key's destination group); each distinct value encoded once."""
        count = len(rows)
        group, groups = self._groups[0][self.key[rows]], self._groups[1]
        numbers = pc.cast(pa.array(self.numbers[rows]), pa.string())
        head = pc.binary_join_element_wise(
            _bytes(b'{"position":'), pc.cast(numbers, pa.binary()), _bytes(b","), _bytes(b"")
        )
        destination = self.destination[rows]
        place, firsts = _distinct(_combined([destination, group]))
        wheres = [
            b"" if groups[group[j]] is None else self.keyed.where_json(self.places[destination[j]], groups[group[j]])
            for j in firsts.tolist()
        ]
        party = self.party[rows]
        own = {
            "ref": _nulls(count)
            if self.ref is None or not _is_text(self.ref.type)
            else json_texts(self.ref.take(rows)),
            "date": self._days_json.take(self.day[rows]),
            "destination": self._places_json.take(destination),
            "where": pa.array(wheres, pa.binary()).take(place),
            "value": self._value_json(rows),
            "end_user": pc.if_else(
                pa.array(party),
                self._names_json.take(self.name[rows]) if self.names else _nulls(count),
                _bytes(b"null"),
            ),
        }
        return [head, *(own[name] for name in SLOTS)]

    @cached_property
    def _days_json(self) -> pa.Array:
        """Each of the batch's distinct dates as JSON."""
        return pa.array([orjson.dumps(day) for day in self.days], pa.binary())

    @cached_property
    def _places_json(self) -> pa.Array:
        """Each of the batch's distinct destinations as JSON."""
        return pa.array([orjson.dumps(place) for place in self.places], pa.binary())

    @cached_property
    def _names_json(self) -> pa.Array:
        """Each of the batch's distinct end users' names as JSON."""
        return json_texts(pa.array(self.names, pa.string()))

    def _value_json(self, rows: Ints) -> pa.Array:
        """Each of ``rows``' values as the per-line path writes it (``str(Decimal(value))``'s JSON, null without
        one): whole numbers and plain decimals without leading zeros are their own text."""
        values = self.values
        if values is None or pa.types.is_null(values.type):
            return _nulls(len(rows))
        taken = values.take(rows)
        if not _is_text(taken.type):
            return json_texts(pc.cast(taken, pa.string()))
        written = json_texts(taken)
        other = pc.and_(taken.is_valid(), pc.invert(pc.fill_null(pc.match_substring_regex(taken, _OWN_TEXT), True)))
        if not pc.any(other).as_py():
            return written
        texts = taken.filter(other).to_pylist()
        return pc.replace_with_mask(
            written, other, pa.array([orjson.dumps(str(Decimal(t))) for t in texts], pa.binary())
        )
